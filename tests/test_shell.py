"""`make shell` for counsellors: rasa shell with the same model and action server, driven in tmux."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from bot.settings import PROJECT_ROOT
from bot.texts import locale
from tests.conftest import MODEL, free_port
from tests.test_conversations import CONVERSATIONS

pytestmark = pytest.mark.e2e


def capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", session],
                          capture_output=True, text=True).stdout


def wait_for(session: str, needle: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = capture(session)
        if needle in screen:
            return screen
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} did not appear; screen:\n{capture(session)}")


def _last_line(screen: str) -> str:
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _waiting_for_input(screen: str) -> bool:
    """An empty text prompt, or the button list whose last choice is free text."""
    last = _last_line(screen)
    return last.endswith("Your input ->") or "Type out your own message" in last


def _until(session: str, condition, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = capture(session)
        if condition(screen):
            return screen
        time.sleep(0.3)
    raise AssertionError(f"the shell did not get ready; screen:\n{capture(session)}")


def send(session: str, text: str, timeout: float = 60) -> str:
    """Type a message (choosing free text when buttons are offered) and wait for the shell's answer."""
    screen = _until(session, _waiting_for_input, timeout)
    if "Type out your own message" in _last_line(screen):
        subprocess.run(["tmux", "send-keys", "-t", session, "Up", "Enter"], check=True)
        _until(session, lambda s: _last_line(s).endswith("Your input ->"), timeout)
    subprocess.run(["tmux", "send-keys", "-t", session, "-l", text], check=True)
    subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
    time.sleep(0.5)
    return _until(session, _waiting_for_input, timeout)


def wait_for_count(session: str, needle: str, count: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = capture(session)
        if screen.count(needle) >= count:
            return screen
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} did not appear {count} times; screen:\n{capture(session)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (make test-deps installs it)")
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_shell_answers_like_the_widget(session_db):
    session = f"shell-{uuid.uuid4().hex[:8]}"
    env = {"DATABASE_URL": session_db, "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
           "RASA_URL": f"http://127.0.0.1:{free_port()}", "RASA_TELEMETRY_ENABLED": "false"}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = f"cd {shlex.quote(str(PROJECT_ROOT))} && env {exports} {shlex.quote(sys.executable)} -m bot.stack --shell"
    command += "; echo shell exited with $?; sleep 600"  # keeps the screen for the failure message
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50", command], check=True,
                   env={**os.environ, "TERM": "xterm"})
    try:
        wait_for(session, "Your input", timeout=180)
        screen = send(session, "ich brauche eine wohnung in britz")
        assert "Quelle" in screen and "Neukölln" in screen
        # A whole conversation in each language (tests/test_conversations.py), each after /restart.
        for language, (greet, topic, district, thanks) in CONVERSATIONS.items():
            label = locale(language)["ui"]["label_source"]
            send(session, "/restart")
            send(session, greet)
            before = capture(session).count(label)
            send(session, topic)
            assert capture(session).count(label) > before, f"{language}: the topic answer names its source"
            screen = send(session, district)
            assert capture(session).count(label) > before + 1, f"{language}: the district answer names its source"
            assert "Spandau" in screen.split(district)[-1], f"{language}: the district answer names Spandau"
            send(session, thanks)
        subprocess.run(["tmux", "send-keys", "-t", session, "/stop", "Enter"], check=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

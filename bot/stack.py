"""Starting and stopping every process of the bot: the action server, the Rasa server and the public
API. Used by `make run`, `make shell`, the end-to-end tests and the benchmark.

    python -m bot.stack            start everything, wait until ready, print the URL; Ctrl-C stops all
    python -m bot.stack --shell    start the action server and open `rasa shell` for counsellors

Rasa and the action server listen on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bot.settings import PROJECT_ROOT, get_settings

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1].split("/")[0]


def process_env(extra: Optional[dict] = None) -> dict:
    env = dict(os.environ)
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SANIC_HOST": "127.0.0.1",  # rasa-sdk's action server binds here instead of 0.0.0.0
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    })
    settings = get_settings()
    env.setdefault("ACTION_SERVER_URL", settings.action_server_url)
    env.setdefault("DATABASE_URL", settings.database_url)
    env.update(extra or {})
    return env


@dataclass
class Service:
    name: str
    command: list
    ready_url: str
    process: Optional[subprocess.Popen] = None
    log_path: Optional[Path] = None


@dataclass
class Stack:
    """The bot's processes. Use as a context manager: started and ready inside, stopped after."""

    model: Path = PROJECT_ROOT / "models" / "current.tar.gz"
    with_api: bool = True
    env: dict = field(default_factory=dict)
    log_dir: Optional[Path] = None
    quiet: bool = False
    services: list = field(default_factory=list)

    def __post_init__(self) -> None:
        settings = get_settings()
        self.rasa_url = self.env.get("RASA_URL", settings.rasa_url)
        self.action_url = self.env.get("ACTION_SERVER_URL", settings.action_server_url)
        self.api_port = int(self.env.get("API_PORT", settings.api_port))
        self.services = [
            Service("action server", [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                                      "--port", _port(self.action_url)], f"{self.action_url}/health"),
            Service("rasa", [str(VENV_BIN / "rasa"), "run", "--model", str(self.model), "--interface", "127.0.0.1",
                             "--port", _port(self.rasa_url), "--endpoints", "endpoints.yml",
                             "--credentials", "credentials.yml"], f"{self.rasa_url}/"),
        ]
        if self.with_api:
            self.api_url = f"http://127.0.0.1:{self.api_port}"
            self.services.append(Service(
                "api", [str(VENV_BIN / "uvicorn"), "api.main:app", "--host", self.env.get("API_HOST", settings.api_host),
                        "--port", str(self.api_port), "--no-access-log", "--ws", "none"],
                f"http://127.0.0.1:{self.api_port}/health",
            ))

    def _say(self, msg: str) -> None:
        if not self.quiet:
            print(msg, flush=True)

    def start(self, timeout: float = 180.0) -> "Stack":
        env = process_env({**self.env, "ACTION_SERVER_URL": self.action_url, "RASA_URL": self.rasa_url})
        for svc in self.services:
            out = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                svc.log_path = self.log_dir / f"{svc.name.replace(' ', '_')}.log"
                out = open(svc.log_path, "wb")
            self._say(f"starting {svc.name} ...")
            svc.process = subprocess.Popen(
                svc.command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        pending = list(self.services)
        while pending:
            for svc in list(pending):
                if svc.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{svc.name} exited with code {svc.process.returncode}"
                                       + (f"; see {svc.log_path}" if svc.log_path else ""))
                if _answers(svc.ready_url):
                    self._say(f"{svc.name} is ready ({svc.ready_url.rsplit('/', 1)[0]})")
                    pending.remove(svc)
            if pending and time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"not ready after {timeout:.0f}s: {', '.join(s.name for s in pending)}")
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        for svc in reversed(self.services):
            if svc.process is not None and svc.process.poll() is None:
                try:
                    os.killpg(svc.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for svc in self.services:
            if svc.process is not None:
                try:
                    svc.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(svc.process.pid, signal.SIGKILL)
                    svc.process.wait()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait(self) -> int:
        """Block until Ctrl-C or until a process dies; then stop all."""
        try:
            while True:
                for svc in self.services:
                    if svc.process.poll() is not None:
                        print(f"{svc.name} stopped (exit code {svc.process.returncode}); stopping the rest",
                              file=sys.stderr)
                        return 1
                time.sleep(1)
        except KeyboardInterrupt:
            print("\nstopping ...", flush=True)
            return 0
        finally:
            self.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shell", action="store_true", help="counsellor's rasa shell instead of the servers")
    args = parser.parse_args(argv)
    if args.shell:
        return shell()
    _stop_on_signals()
    stack = Stack()
    stack.start()
    settings = get_settings()
    api = next((s for s in stack.services if s.name == "api"), None)
    if api is not None:
        print(f"\nThe bot is ready: open http://localhost:{stack.api_port}/ (Ctrl-C stops everything)", flush=True)
    else:
        print(f"\nThe bot is ready: REST channel {settings.rasa_url}/webhooks/rest/webhook, "
              f"action server {settings.action_server_url} (Ctrl-C stops everything)", flush=True)
    return stack.wait()


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C, kill and a closed terminal all stop every process (also where a parent shell ignored
    SIGINT, as for background jobs)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)


def shell() -> int:
    """`rasa shell` against the model, with its own action server (text answers as on Telegram)."""
    _stop_on_signals()
    stack = Stack(with_api=False)
    stack.services = [s for s in stack.services if s.name == "action server"]
    stack.start()
    try:
        return subprocess.call(
            [str(VENV_BIN / "rasa"), "shell", "--model", str(stack.model), "--endpoints", "endpoints.yml",
             # The shell runs its own Rasa server: on a free port, so it never collides with `make run`
             # (5005) or anything else listening here.
             "--port", str(free_port())],
            cwd=PROJECT_ROOT, env=process_env({"ACTION_SERVER_URL": stack.action_url}),
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())

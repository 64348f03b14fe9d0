"""Shared fixtures: databases (SQLite and a real PostgreSQL server started here), the loaded
directory, and the running bot stack for end-to-end tests."""
from __future__ import annotations

import glob
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.stack import free_port  # noqa: F401  (re-exported for tests)

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

CATALOG_DIR = PROJECT_ROOT / "catalog"
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"


# ------------------------------------------------------------------------------------- PostgreSQL


class PostgresServer:
    """A throw-away PostgreSQL cluster on a free loopback port (Debian's postgresql package)."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found (install Debian's postgresql: make test-deps)")
        self.bin = Path(bins[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="pgtest-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.process = None

    def start(self) -> "PostgresServer":
        subprocess.run(self.as_user + [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                                       "--auth=trust", "-E", "UTF8", "--no-instructions"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.process = subprocess.Popen(
            self.as_user + [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                            "-h", "127.0.0.1", "-k", str(self.dir), "-c", "fsync=off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import psycopg2

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres").close()
                return self
            except psycopg2.OperationalError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("PostgreSQL did not start")
                time.sleep(0.2)

    def create_database(self) -> str:
        import psycopg2

        name = f"t_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute(f"CREATE DATABASE {name}")
        conn.close()
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer().start()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'directory.sqlite3'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def loaded_db(db_url):
    """A database with the real catalog loaded."""
    from bot.catalog import load_catalog_dir
    from bot.db import migrate, session_scope

    migrate(db_url)
    with session_scope(db_url) as session:
        load_catalog_dir(session, CATALOG_DIR)
    return db_url


@pytest.fixture(scope="session")
def session_db(tmp_path_factory):
    """One SQLite directory for the whole session (read-only tests: actions, answers)."""
    from bot.catalog import load_catalog_dir
    from bot.db import migrate, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'directory.sqlite3'}"
    migrate(url)
    with session_scope(url) as session:
        load_catalog_dir(session, CATALOG_DIR)
    return url


@pytest.fixture
def catalog_copy(tmp_path):
    """A writable copy of the real catalog, for tests that break it."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


# ------------------------------------------------------------------------ fake Telegram Bot API


class FakeTelegram:
    """Records Bot API calls (POST /bot<token>/<method>) and answers like Telegram does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                method = self.path.rsplit("/", 1)[-1]
                outer.calls.append((method, body))
                reply = json.dumps({"ok": True, "result": {"message_id": len(outer.calls)}}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):  # keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sent(self, method: str = "sendMessage") -> list[dict]:
        return [body for m, body in self.calls if m == method]

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def fake_telegram():
    server = FakeTelegram()
    yield server
    server.stop()


TELEGRAM_TOKEN, TELEGRAM_SECRET = "123456:TEST-token", "test-secret-123"


@pytest.fixture(scope="session")
def live(session_db, fake_telegram, tmp_path_factory):
    """The whole bot as users reach it: action server, Rasa and the public API on free loopback ports,
    started once per test session."""
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` (make test does)")
    from bot.stack import Stack

    rasa_port, action_port, api_port = free_port(), free_port(), free_port()
    env = {
        "DATABASE_URL": session_db,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
        "API_HOST": "127.0.0.1",
        "API_PORT": str(api_port),
        "BOT_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE": fake_telegram.url,
        "RATE_PER_CONVERSATION": "30",
        "RATE_PER_CLIENT": "1000",
    }
    stack = Stack(model=MODEL, env=env, log_dir=tmp_path_factory.mktemp("logs"), quiet=True)
    with stack:
        yield stack

"""All settings in one place: environment variables with documented defaults.

Nothing is read at import time; call :func:`get_settings` where a setting is needed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


@dataclass(frozen=True)
class Settings:
    #: SQLAlchemy URL of the directory. Default: SQLite file under var/ (ignored by git).
    #: PostgreSQL: postgresql+psycopg2://user:pass@host:5432/dbname
    database_url: str
    #: Folder with the catalog YAML files (the directory's version-controlled source).
    catalog_dir: Path
    #: Where the Rasa server listens (only on loopback; api/ is the public surface).
    rasa_url: str
    #: Where the action server listens.
    action_server_url: str
    #: Public API (FastAPI): the only surface reachable from outside.
    api_host: str
    api_port: int
    #: Key that signs conversation ids. Empty: a random key is created in var/ on first use.
    api_secret: str
    #: Longest chat message accepted, in characters.
    max_message_chars: int
    #: Messages allowed per minute, per conversation and per client address.
    rate_per_conversation: int
    rate_per_client: int
    #: Telegram: bot token, webhook secret (X-Telegram-Bot-Api-Secret-Token), public base URL of this
    #: API (for setWebhook) and the Bot API base URL (a local fake in tests).
    telegram_token: str
    telegram_secret: str
    telegram_public_url: str
    telegram_api_base: str
    var_dir: Path = field(default=PROJECT_ROOT / "var")


def load_settings() -> Settings:
    var_dir = Path(_env("BOT_VAR_DIR", str(PROJECT_ROOT / "var")))
    return Settings(
        database_url=_env("DATABASE_URL", f"sqlite:///{var_dir / 'directory.sqlite3'}"),
        catalog_dir=Path(_env("CATALOG_DIR", str(PROJECT_ROOT / "catalog"))),
        rasa_url=_env("RASA_URL", "http://127.0.0.1:5005"),
        action_server_url=_env("ACTION_SERVER_URL", "http://127.0.0.1:5055"),
        api_host=_env("API_HOST", "0.0.0.0"),
        api_port=int(_env("API_PORT", "8000")),
        api_secret=_env("API_SECRET", ""),
        max_message_chars=int(_env("MAX_MESSAGE_CHARS", "2000")),
        rate_per_conversation=int(_env("RATE_PER_CONVERSATION", "20")),
        rate_per_client=int(_env("RATE_PER_CLIENT", "60")),
        telegram_token=_env("TELEGRAM_TOKEN", ""),
        telegram_secret=_env("TELEGRAM_SECRET", ""),
        telegram_public_url=_env("TELEGRAM_PUBLIC_URL", ""),
        telegram_api_base=_env("TELEGRAM_API_BASE", "https://api.telegram.org"),
        var_dir=var_dir,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process (read once, on first use)."""
    return load_settings()

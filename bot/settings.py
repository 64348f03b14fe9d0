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
    #: Public API port (FastAPI).
    api_host: str
    api_port: int
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
        var_dir=var_dir,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process (read once, on first use)."""
    return load_settings()

"""Conversation ids and rate limits of the public API.

A conversation id is created by the server: 128 random bits plus an HMAC signature, so a client can
only continue a conversation whose id it was given, never pick or guess someone else's."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from pathlib import Path
from typing import Optional

from bot.settings import Settings


def load_secret(settings: Settings) -> bytes:
    """API_SECRET, else a random key kept in var/api_secret (created once)."""
    if settings.api_secret:
        return settings.api_secret.encode()
    path = Path(settings.var_dir) / "api_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


class ConversationIds:
    def __init__(self, secret: bytes):
        self._secret = secret

    def _sign(self, raw: str) -> str:
        return hmac.new(self._secret, raw.encode(), hashlib.sha256).hexdigest()[:32]

    def new(self) -> str:
        raw = secrets.token_urlsafe(16)
        return f"{raw}.{self._sign(raw)}"

    def verify(self, token: Optional[str]) -> Optional[str]:
        """The token if it was issued here, else None."""
        if not token or not isinstance(token, str) or token.count(".") != 1 or len(token) > 100:
            return None
        raw, signature = token.split(".")
        return token if hmac.compare_digest(signature, self._sign(raw)) else None

    @staticmethod
    def sender(token: str, prefix: str = "web") -> str:
        """The id Rasa sees (the signature stays with the client)."""
        return f"{prefix}-{token.split('.')[0]}"


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (sliding window, in memory)."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._events: dict[str, deque] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Optional[float]:
        """Record an event; None if allowed, else the seconds until the next one is."""
        now = time.monotonic()
        with self._lock:
            if len(self._events) > self.max_keys:
                self._prune(now)
            events = self._events.setdefault(key, deque())
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= self.limit:
                return max(0.0, self.window - (now - events[0]))
            events.append(now)
            return None

    def _prune(self, now: float) -> None:
        for key in [k for k, ev in self._events.items() if not ev or now - ev[-1] > self.window]:
            del self._events[key]

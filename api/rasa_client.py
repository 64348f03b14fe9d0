"""Talking to Rasa's REST channel (on loopback) and checking the services behind the API."""
from __future__ import annotations

from typing import Any, Optional

import httpx


class RasaUnavailable(Exception):
    pass


class RasaClient:
    def __init__(self, rasa_url: str, action_server_url: str, timeout: float = 30.0):
        self.rasa_url = rasa_url.rstrip("/")
        self.action_server_url = action_server_url.rstrip("/")
        self._client = httpx.AsyncClient(timeout=timeout)

    async def send(self, sender: str, message: str, metadata: Optional[dict] = None) -> list[dict[str, Any]]:
        """One user turn; the bot's messages (text, buttons, custom payloads)."""
        try:
            response = await self._client.post(
                f"{self.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": metadata or {}},
            )
            response.raise_for_status()
            return list(response.json() or [])
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc)) from exc

    async def rasa_ready(self) -> bool:
        return await self._ok(f"{self.rasa_url}/")

    async def actions_ready(self) -> bool:
        return await self._ok(f"{self.action_server_url}/health")

    async def _ok(self, url: str) -> bool:
        try:
            return (await self._client.get(url, timeout=3.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self._client.aclose()

"""Telegram channel (replaces Rasa's connector, which fails on every message with the aiogram that
installs here): a webhook that checks Telegram's secret header, relays messages and button presses to
Rasa and sends the answers back through the Bot API.

- every update gets a 200 unless the secret is wrong (401) or the body is not JSON (400), so Telegram
  never retries updates the bot does not handle (edited messages, stickers, photos, blocked bot);
- replies are split at Telegram's 4096-character limit; buttons become inline keyboards whose presses
  reach the bot as their payload;
- /start greets, /language offers the seven languages; the user's language_code is the language hint;
- chat ids are never logged; Rasa sees a hash of the chat id, not the id.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any, Optional

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.chat import chat_turn
from bot.language import SUPPORTED_LANGUAGES, normalise_hint
from bot.texts import LANGUAGE_NAMES

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for callback_data
LANGUAGE_PREFIX = "lang:"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at paragraph, then line, then word boundaries so that no part exceeds ``limit``."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


class BotApi:
    """The few Bot API methods the channel uses (no getMe per message)."""

    def __init__(self, base_url: str, token: str):
        self._base = f"{base_url.rstrip('/')}/bot{token}"
        self._client = httpx.AsyncClient(timeout=15.0)

    async def call(self, method: str, payload: dict) -> Optional[dict]:
        try:
            response = await self._client.post(f"{self._base}/{method}", json=payload)
            if response.status_code != 200:
                logger.warning("Telegram %s answered %s", method, response.status_code)
            return response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        except httpx.HTTPError as exc:
            logger.warning("Telegram %s failed: %s", method, type(exc).__name__)
            return None

    async def close(self) -> None:
        await self._client.aclose()


def sender_for(chat_id: Any, secret: str) -> str:
    """What Rasa sees instead of the chat id."""
    digest = hmac.new(secret.encode() or b"telegram", str(chat_id).encode(), hashlib.sha256).hexdigest()[:24]
    return f"tg-{digest}"


def keyboard(buttons: list[dict], payload_store: dict) -> Optional[dict]:
    """Inline keyboard, two buttons a row. Payloads longer than callback_data allows are stored and
    replaced by a short key."""
    if not buttons:
        return None
    rows, row = [], []
    for button in buttons:
        data = str(button.get("payload") or button.get("title") or "")
        if len(data.encode()) > MAX_CALLBACK_DATA:
            key = "p:" + hashlib.sha256(data.encode()).hexdigest()[:16]
            payload_store[key] = data
            data = key
        row.append({"text": str(button.get("title") or data)[:60], "callback_data": data})
        if len(row) == 2:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return {"inline_keyboard": rows}


def language_keyboard() -> dict:
    buttons = [{"text": LANGUAGE_NAMES[code], "callback_data": f"{LANGUAGE_PREFIX}{code}"} for code in SUPPORTED_LANGUAGES]
    return {"inline_keyboard": [buttons[i:i + 2] for i in range(0, len(buttons), 2)]}


def register(app: FastAPI) -> None:
    state = app.state
    state.telegram_payloads = {}
    state.telegram_api = None  # created on first use, closed by the app's lifespan

    def bot_api() -> BotApi:
        if state.telegram_api is None:
            state.telegram_api = BotApi(state.settings.telegram_api_base, state.settings.telegram_token)
        return state.telegram_api

    @app.post("/telegram/webhook", include_in_schema=False)
    async def webhook(request: Request):
        settings = state.settings
        expected = settings.telegram_secret
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if not expected or not settings.telegram_token or not hmac.compare_digest(given, expected):
            return JSONResponse({"ok": False, "error": "unauthorized"}, status_code=401)
        try:
            update = json.loads(await request.body())
            if not isinstance(update, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"ok": False, "error": "malformed update"}, status_code=400)
        try:
            await handle_update(update, state, bot_api())
        except Exception:  # never make Telegram retry an update forever
            logger.exception("Telegram update could not be handled")
        return {"ok": True}


async def handle_update(update: dict, state: Any, api: BotApi) -> None:
    settings = state.settings
    if isinstance(update.get("callback_query"), dict):
        query = update["callback_query"]
        message = query.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id")
        data = str(query.get("data") or "")
        await api.call("answerCallbackQuery", {"callback_query_id": query.get("id")})
        if chat_id is None or not data:
            return
        language_code = (query.get("from") or {}).get("language_code")
        if data.startswith(LANGUAGE_PREFIX):
            chosen = normalise_hint(data[len(LANGUAGE_PREFIX):])
            await relay(state, api, chat_id, "/greet", language=chosen, hint=language_code)
            return
        data = state.telegram_payloads.get(data, data)
        await relay(state, api, chat_id, data, hint=language_code)
        return
    message = update.get("message")
    if not isinstance(message, dict):
        return  # edited_message, my_chat_member (user blocked the bot), channel posts ...: acknowledged
    chat_id = (message.get("chat") or {}).get("id")
    text = message.get("text")
    if chat_id is None or not isinstance(text, str) or not text.strip():
        return  # photos, stickers, voice ...: acknowledged without an answer
    language_code = (message.get("from") or {}).get("language_code")
    command = text.strip().split()[0].split("@")[0].lower()
    if command == "/start":
        await relay(state, api, chat_id, "/greet", hint=language_code)
    elif command == "/language":
        await api.call("sendMessage", {"chat_id": chat_id, "text": "🌐", "reply_markup": language_keyboard()})
    else:
        await relay(state, api, chat_id, text[: settings.max_message_chars], hint=language_code)


async def relay(state: Any, api: BotApi, chat_id: Any, text: str, *, language: Optional[str] = None,
                hint: Optional[str] = None) -> None:
    sender = sender_for(chat_id, state.settings.telegram_secret)
    messages = await chat_turn(state.rasa, sender, text, language=language, language_hint=hint)
    for message in messages:
        body = message.get("text")
        if not body:
            continue  # custom payloads are for the widget; the text stands on its own
        parts = split_text(body)
        markup = keyboard(message.get("buttons") or [], state.telegram_payloads)
        for i, part in enumerate(parts):
            payload = {"chat_id": chat_id, "text": part, "disable_web_page_preview": True}
            if markup and i == len(parts) - 1:
                payload["reply_markup"] = markup
            await api.call("sendMessage", payload)


async def register_webhook(settings) -> dict:
    """setWebhook with the secret token (make telegram-webhook)."""
    if not (settings.telegram_token and settings.telegram_secret and settings.telegram_public_url):
        raise SystemExit("set TELEGRAM_TOKEN, TELEGRAM_SECRET and TELEGRAM_PUBLIC_URL first")
    api = BotApi(settings.telegram_api_base, settings.telegram_token)
    try:
        return await api.call("setWebhook", {
            "url": f"{settings.telegram_public_url.rstrip('/')}/telegram/webhook",
            "secret_token": settings.telegram_secret,
            "allowed_updates": ["message", "callback_query"],
        }) or {}
    finally:
        await api.close()


if __name__ == "__main__":  # python -m api.telegram: register the webhook
    import asyncio

    from bot.settings import get_settings

    print(asyncio.run(register_webhook(get_settings())))

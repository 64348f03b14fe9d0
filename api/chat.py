"""One chat turn through Rasa for any channel (web widget, Telegram): never an error or silence
towards the user."""
from __future__ import annotations

import logging
from typing import Optional

from api.rasa_client import RasaClient, RasaUnavailable
from bot.language import DEFAULT_LANGUAGE, normalise_hint
from bot.texts import t

logger = logging.getLogger(__name__)


async def chat_turn(rasa: RasaClient, sender: str, text: str, *, language: Optional[str] = None,
                    language_hint: Optional[str] = None) -> list[dict]:
    """The bot's messages for one user message. ``language``: an explicit choice (picker, /language);
    ``language_hint``: a weak hint (browser, Telegram's language_code)."""
    metadata = {}
    if normalise_hint(language):
        metadata["language"] = normalise_hint(language)
    if normalise_hint(language_hint):
        metadata["language_hint"] = normalise_hint(language_hint)
    ui_language = metadata.get("language") or metadata.get("language_hint") or DEFAULT_LANGUAGE
    try:
        messages = await rasa.send(sender, text, metadata)
    except RasaUnavailable:
        logger.warning("Rasa did not answer a chat turn")  # no user text, no sender id
        return [{"text": t("api_unavailable", ui_language), "error": "unavailable"}]
    if not any(m.get("text") or m.get("custom") for m in messages):
        logger.warning("Rasa answered a chat turn with no message")
        return [{"text": t("api_no_reply", ui_language)}]
    return messages

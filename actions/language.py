"""Explicit language requests ("answer in English", "auf Deutsch bitte")."""
from __future__ import annotations

from rasa_sdk import Action

from actions.common import language_of, latest_text
from bot.answers import language_names
from bot.language import CONVERSATION_LANGUAGES, requested_language
from bot.texts import t


class ActionChooseLanguage(Action):
    def name(self):
        return "action_choose_language"

    async def run(self, dispatcher, tracker, domain):
        asked = requested_language(latest_text(tracker))
        language = language_of(tracker)
        names = language_names(CONVERSATION_LANGUAGES)
        if asked in CONVERSATION_LANGUAGES:
            # The slot was already switched by action_validate_slot_mappings.
            dispatcher.utter_message(text=t("language_switched", language))
            return []
        if asked is None:
            dispatcher.utter_message(text=t("language_which", language, languages=names))
            return []
        dispatcher.utter_message(text="\n".join(
            t("language_unsupported", lang, languages=names) for lang in ("en", "de")
        ))
        return []

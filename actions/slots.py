"""Slots filled after every user message (action_validate_slot_mappings): the conversation's language,
the district (resolved through the directory) and the last target group named."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from actions.common import latest_entities, latest_intent, latest_text, off_loop, repository
from bot.language import CONVERSATION_LANGUAGES, Detection, decide_language, normalise_hint, requested_language


class ValidateSlotMappings(ValidationAction):
    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def extract_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        current = tracker.get_slot("language")
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        chosen = normalise_hint(metadata.get("language"))  # the widget's picker, Telegram's /language
        if chosen in CONVERSATION_LANGUAGES:
            return {"language": chosen}
        text = latest_text(tracker)
        if latest_intent(tracker) == "choose_language":
            asked = requested_language(text)
            if asked in CONVERSATION_LANGUAGES:
                return {"language": asked}
        places = latest_entities(tracker, "district")
        identified = (tracker.latest_message or {}).get("language") or {}
        detection = (Detection(identified["code"], float(identified.get("confidence") or 0.0),
                               int(identified.get("words") or 0)) if identified.get("code") else None)
        language = await off_loop(decide_language, current, text, metadata.get("language_hint"), places, detection)
        return {"language": language} if language != current else {}

    async def extract_district(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: Dict[Text, Any]) -> Dict[Text, Any]:
        for place in latest_entities(tracker, "district"):
            match = await off_loop(repository().district_from_place, place)
            if match is not None:
                return {"district": match.district.id}
        return {}

    async def extract_target_group(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: Dict[Text, Any]) -> Dict[Text, Any]:
        groups = latest_entities(tracker, "target_group")
        return {"target_group": groups[0]} if groups and groups[0] != tracker.get_slot("target_group") else {}

"""Emergencies: 110/112 and the matching crisis lines, in the first reply."""
from __future__ import annotations

import logging

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import language_of, latest_text, off_loop, repository, send
from actions.topics import INTENT_TOPICS, answer_topic, target_group
from bot import answers
from bot.emergency import EMERGENCY_SITUATIONS_KEY, detect_emergency

#: The classifier's own topic is answered after the emergency numbers when it is at least this sure
#: ("my husband hits me, can I get my own flat?": 110/112 first, then the housing answer).
SECOND_TOPIC_CONFIDENCE = 0.5

logger = logging.getLogger(__name__)


class ActionAnswerEmergency(Action):
    def name(self):
        return "action_answer_emergency"

    async def run(self, dispatcher, tracker, domain):
        situations = await self._situations(tracker)
        try:
            numbers = await off_loop(repository().emergency_numbers)
        except Exception:  # the directory is down: 110/112 must still go out
            logger.exception("emergency numbers could not be read; answering with 110/112 only")
            numbers = []
        language = language_of(tracker)
        send(dispatcher, answers.emergency_answer(numbers, situations, language))
        second = self._classifier_topic(tracker)
        if second is not None:
            reply = await off_loop(answer_topic, second, tracker.get_slot("district"), target_group(tracker),
                                   language)
            if reply is not None:
                send(dispatcher, reply)
                return [SlotSet("topic", second)]
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        send(dispatcher, answers.after_emergency([INTENT_TOPICS.get(r.get("name")) for r in ranking], language))
        return [SlotSet("topic", "emergency")]

    @staticmethod
    async def _situations(tracker) -> tuple:
        """The situations the NLU pipeline matched (EmergencyOverride); the patterns are matched here
        only when the parse result lacks them (a button payload, a model trained before this key)."""
        latest = tracker.latest_message or {}
        if EMERGENCY_SITUATIONS_KEY in latest:
            return tuple(latest[EMERGENCY_SITUATIONS_KEY] or ())
        match = await off_loop(detect_emergency, latest_text(tracker))
        return match.situations if match else ()

    @staticmethod
    def _classifier_topic(tracker):
        """The topic the classifier saw under the emergency override, if it was sure enough."""
        return classifier_topic((tracker.latest_message or {}).get("intent_ranking") or [])


def classifier_topic(ranking: list) -> "str | None":
    """The topic of the best non-emergency intent of an NLU ranking, if its confidence reaches
    SECOND_TOPIC_CONFIDENCE (also used by the benchmark to count what users are shown)."""
    for entry in ranking:
        if entry.get("name") in ("emergency", "nlu_fallback"):
            continue
        topic = INTENT_TOPICS.get(entry.get("name"))
        if topic and topic != "emergency" and (entry.get("confidence") or 0) >= SECOND_TOPIC_CONFIDENCE:
            return topic
        return None
    return None

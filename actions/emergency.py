"""Emergencies: 110/112 and the matching crisis lines, in the first reply."""
from __future__ import annotations

import logging

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import language_of, latest_text, off_loop, repository, send
from bot import answers
from bot.emergency import detect_emergency

logger = logging.getLogger(__name__)


class ActionAnswerEmergency(Action):
    def name(self):
        return "action_answer_emergency"

    async def run(self, dispatcher, tracker, domain):
        match = detect_emergency(latest_text(tracker))
        situations = match.situations if match else ()
        try:
            numbers = await off_loop(repository().emergency_numbers)
        except Exception:  # the directory is down: 110/112 must still go out
            logger.exception("emergency numbers could not be read; answering with 110/112 only")
            numbers = []
        send(dispatcher, answers.emergency_answer(numbers, situations, language_of(tracker)))
        return [SlotSet("topic", "emergency")]

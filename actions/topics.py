"""Answering a topic question from the directory, the menu and the low-confidence fallback."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, latest_entities, latest_intent, off_loop, repository, send
from bot import answers
from bot.taxonomy import TOPIC_SLUGS

#: Intents that are answered like a topic.
INTENT_TOPICS = {slug: slug for slug in TOPIC_SLUGS} | {"request_human": "counselling"}


def answer_topic(topic_slug: str, district_id: Optional[str], target_group: Optional[str],
                 language: str) -> Optional[answers.Reply]:
    """Blocking: all directory lookups for one topic answer."""
    repo = repository()
    topic = repo.topic(topic_slug)
    if topic is None:
        return None
    result = repo.services_for_topic(topic_slug, district_id=district_id, target_group=target_group,
                                     language=language)
    return answers.topic_answer(topic, result, repo.responsible_office(topic_slug), language)


def target_group(tracker: Tracker) -> Optional[str]:
    """The group named in this message, else the last one named in the conversation."""
    groups = latest_entities(tracker, "target_group")
    return groups[0] if groups else tracker.get_slot("target_group")


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        topic = INTENT_TOPICS.get(latest_intent(tracker) or "") or tracker.get_slot("topic")
        if topic not in TOPIC_SLUGS:
            send(dispatcher, answers.menu(language))
            return []
        reply = await off_loop(answer_topic, topic, tracker.get_slot("district"), target_group(tracker), language)
        if reply is None:
            send(dispatcher, answers.menu(language))
            return []
        send(dispatcher, reply)
        return [SlotSet("topic", topic)]


class ActionShowMenu(Action):
    def name(self) -> Text:
        return "action_show_menu"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        full = latest_intent(tracker) == "help"
        send(dispatcher, answers.all_topics_menu(language) if full else answers.menu(language))
        return []


class ActionOfferTopics(Action):
    """Low confidence: the closest topics as buttons, never "I don't understand"."""

    def name(self) -> Text:
        return "action_offer_topics"

    async def run(self, dispatcher, tracker, domain):
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        candidates = [INTENT_TOPICS.get(r.get("name")) for r in ranking]
        send(dispatcher, answers.fallback([c for c in candidates if c], language_of(tracker)))
        return []

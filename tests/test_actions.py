"""Every custom action, run with a CollectingDispatcher and constructed trackers against the real
directory (SQLite)."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.common
from actions.districts import ActionSetDistrict
from actions.emergency import ActionAnswerEmergency
from actions.language import ActionChooseLanguage
from actions.slots import ValidateSlotMappings
from actions.topics import ActionAnswerTopic, ActionOfferTopics, ActionShowMenu
from bot.settings import get_settings


@pytest.fixture(autouse=True)
def directory(session_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", session_db)
    get_settings.cache_clear()
    actions.common.repository.cache_clear()
    yield
    get_settings.cache_clear()
    actions.common.repository.cache_clear()


def tracker(text="", intent=None, slots=None, entities=(), ranking=(), metadata=None, **parse):
    """A tracker whose latest message has this text, intent, entities ((type, value) pairs), ranking
    and any further keys of the parse result."""
    latest = {**parse,
        "text": text,
        "intent": {"name": intent, "confidence": 0.9} if intent else {},
        "entities": [{"entity": e, "value": v} for e, v in entities],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "metadata": metadata or {},
    }
    return Tracker("test-user", dict(slots or {}), latest, [], False, None, {}, "action_listen")


def run(action, trk):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, trk, {}))
    return dispatcher.messages, events


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def custom(messages):
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1
    return payloads[0]


def test_topic_answer_has_orientation_services_responsible_office_and_sources():
    messages, events = run(ActionAnswerTopic(), tracker("i need a flat", "housing", {"language": "en"}))
    text = texts(messages)
    payload = custom(messages)
    assert payload["topic"] == "housing" and payload["district"] is None and payload["language"] == "en"
    assert 1 <= len(payload["services"]) <= 3
    for card in payload["services"]:
        assert card["name_de"] in text and card["source_url"] in text
    assert payload["responsible_office"]["name_de"] in text
    assert "Source:" in text and ("as of" in text or "undated source" in text)
    assert "Where do you live?" in text
    assert any(b["payload"] == "/inform_district" for m in messages for b in m.get("buttons") or [])
    assert SlotSet("topic", "housing") in events


def test_topic_answer_in_german_by_default():
    messages, _ = run(ActionAnswerTopic(), tracker("wohnung", "housing"))
    assert "Quelle:" in texts(messages) and "Wo wohnst du?" in texts(messages)


def test_topic_answer_for_a_district():
    messages, _ = run(ActionAnswerTopic(), tracker("kita", "school", {"language": "de", "district": "neukoelln"}))
    payload = custom(messages)
    assert payload["district"] == {"id": "neukoelln", "name": "Neukölln"}
    assert all(card["district"] in (None, "Neukölln") for card in payload["services"])
    assert "Neukölln" in texts(messages) and "Wo wohnst du?" not in texts(messages)


def test_talking_to_a_person_leads_to_counselling():
    messages, events = run(ActionAnswerTopic(), tracker("I want to talk to a real person", "request_human",
                                                        {"language": "en"}))
    assert custom(messages)["topic"] == "counselling"
    assert SlotSet("topic", "counselling") in events


def test_emergency_answer_names_110_112_and_matching_lines():
    messages, _ = run(ActionAnswerEmergency(), tracker("my husband is beating me right now", "emergency",
                                                       {"language": "en"}))
    text = texts(messages)
    assert "110" in text and "112" in text
    assert text.index("110") < 400, "the numbers come first"
    payload = custom(messages)
    assert payload["topic"] == "emergency" and "domestic_violence" in payload["situations"]
    assert len(payload["services"]) >= 3, "110, 112 and at least one matching line"


def test_suicidal_message_gets_a_crisis_line():
    messages, _ = run(ActionAnswerEmergency(), tracker("ich will nicht mehr leben", "emergency"))
    payload = custom(messages)
    assert "suicidal" in payload["situations"]
    assert "TelefonSeelsorge" in texts(messages), "the crisis line for suicidal thoughts is named"
    assert [c["name_de"] for c in payload["services"][:2]] == ["Polizei-Notruf 110", "Feuerwehr und Rettungsdienst 112"]


def test_emergency_lines_follow_the_situations_the_nlu_pipeline_matched():
    """EmergencyOverride passes the matched situations with the parse result; the action uses them
    instead of matching the patterns again (here a text that matches no pattern)."""
    messages, _ = run(ActionAnswerEmergency(), tracker("...", "emergency", {"language": "de"},
                                                       emergency_situations=["suicidal"]))
    payload = custom(messages)
    assert payload["situations"] == ["suicidal"]
    assert "TelefonSeelsorge" in texts(messages)
    # Raised by the classifier's score alone: no situation, the general card with 110/112.
    messages, _ = run(ActionAnswerEmergency(), tracker("my husband is beating me right now", "emergency",
                                                       {"language": "en"}, emergency_situations=[]))
    assert custom(messages)["situations"] == []
    assert "110" in texts(messages) and "112" in texts(messages)


def test_emergency_then_the_topic_the_classifier_was_sure_about():
    trk = tracker("my husband beats me sometimes, can i get my own flat", "emergency", {"language": "en"},
                  ranking=[("emergency", 1.0), ("housing", 0.8), ("women", 0.1)])
    messages, events = run(ActionAnswerEmergency(), trk)
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert [p["topic"] for p in payloads] == ["emergency", "housing"]
    assert "110" in messages[0]["text"]
    assert SlotSet("topic", "housing") in events


def test_emergency_alone_when_the_classifier_was_unsure():
    trk = tracker("fire fire", "emergency", {"language": "en"}, ranking=[("emergency", 1.0), ("housing", 0.3)])
    messages, _ = run(ActionAnswerEmergency(), trk)
    assert [m["custom"]["topic"] for m in messages if m.get("custom")] == ["emergency"]


def test_emergency_still_answers_when_the_directory_is_down(monkeypatch):
    class Broken:
        def emergency_numbers(self):
            raise RuntimeError("database down")

    monkeypatch.setattr(actions.emergency, "repository", lambda: Broken())
    messages, _ = run(ActionAnswerEmergency(), tracker("fire in the building", "emergency", {"language": "en"}))
    assert "110" in texts(messages) and "112" in texts(messages)


def test_district_given_later_reanswers_the_topic():
    trk = tracker("Britz", "inform_district", {"language": "de", "topic": "health"}, [("district", "Britz")])
    messages, events = run(ActionSetDistrict(), trk)
    assert "Britz" in messages[0]["text"] and "Neukölln" in messages[0]["text"]
    assert custom(messages)["topic"] == "health" and custom(messages)["district"]["id"] == "neukoelln"
    assert SlotSet("district", "neukoelln") in events


def test_unknown_place_asks_for_the_district():
    messages, events = run(ActionSetDistrict(), tracker("Hamburg", "inform_district", {"language": "en"},
                                                        [("district", "Hamburg")]))
    assert "Hamburg" in messages[0]["text"] and len(messages[0]["buttons"]) == 12
    assert events == []


def test_district_button_without_place_lists_districts():
    messages, _ = run(ActionSetDistrict(), tracker("/inform_district", "inform_district", {"language": "en"}))
    assert len(messages[0]["buttons"]) == 12
    assert all(b["payload"].startswith("/inform_district{") for b in messages[0]["buttons"])


def test_district_without_topic_asks_what_is_needed():
    messages, events = run(ActionSetDistrict(), tracker("ich wohne in pankow", "inform_district", {},
                                                        [("district", "pankow")]))
    assert SlotSet("district", "pankow") in events
    assert messages[-1]["buttons"], "offers topics"


def test_low_confidence_offers_closest_topics():
    trk = tracker("blabla", "nlu_fallback", {"language": "en"},
                  ranking=[("nlu_fallback", 0.4), ("health", 0.3), ("housing", 0.2), ("greet", 0.1)])
    messages, _ = run(ActionOfferTopics(), trk)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["/health", "/housing"]
    assert "understood" in messages[0]["text"]


def test_menu_lists_topics():
    messages, _ = run(ActionShowMenu(), tracker("help", "help", {"language": "de"}))
    assert len(messages[0]["buttons"]) == 18


@pytest.mark.parametrize("current, text, metadata, intent, expected", [
    (None, "I need a doctor for my child", {}, "health", {"language": "en"}),
    (None, "Ich brauche einen Arzt für mein Kind", {}, "health", {"language": "de"}),
    ("en", "ok", {}, "affirm", {}),
    ("de", "Kita", {}, "school", {}),
    ("en", "Hallo", {}, "greet", {}),
    ("de", "where can I find a German course in Neukölln", {}, "language_courses", {"language": "en"}),
    ("en", "need help with jobcenter termin", {}, "benefits", {}),
    ("de", "hi", {"language": "en"}, "greet", {"language": "en"}),
    ("de", "answer in english please", {}, "choose_language", {"language": "en"}),
    (None, "hi", {"language_hint": "en-GB"}, "greet", {"language": "en"}),
])
def test_language_slot(current, text, metadata, intent, expected):
    action = ValidateSlotMappings()
    places = [("district", "Neukölln")] if "Neukölln" in text else []
    trk = tracker(text, intent, {"language": current}, places, metadata=metadata)
    result = asyncio.run(action.extract_language(CollectingDispatcher(), trk, {}))
    assert result == expected


def test_district_slot_resolved_through_the_directory():
    action = ValidateSlotMappings()
    trk = tracker("arzt in britz", "health", {}, [("district", "britz")])
    assert asyncio.run(action.extract_district(CollectingDispatcher(), trk, {})) == {"district": "neukoelln"}
    trk = tracker("arzt in hamburg", "health", {}, [("district", "hamburg")])
    assert asyncio.run(action.extract_district(CollectingDispatcher(), trk, {})) == {}


def test_unsupported_language_is_answered_in_english_and_german():
    messages, _ = run(ActionChooseLanguage(), tracker("in French please", "choose_language", {"language": "en"}))
    text = messages[0]["text"]
    assert "Sorry" in text and "leider" in text and "Deutsch" in text and "English" in text


def test_topic_answer_puts_services_for_the_named_group_first_and_keeps_a_general_one():
    general = custom(run(ActionAnswerTopic(), tracker("دكتور", "health", {"language": "ar"}))[0])["services"]
    messages, _ = run(ActionAnswerTopic(), tracker("بدي دكتور لطفلي", "health", {"language": "ar"},
                                                   entities=[("target_group", "children")]))
    services = custom(messages)["services"]
    assert len(services) == 3 and services != general
    assert services[0]["id"] != general[0]["id"] and general[0]["id"] in [s["id"] for s in services]


def test_target_group_slot_keeps_the_last_group_named():
    action = ValidateSlotMappings()
    named = tracker("ich bin schwul", "lgbtiq", {}, [("target_group", "lgbtiq")])
    assert asyncio.run(action.extract_target_group(CollectingDispatcher(), named, {})) == {"target_group": "lgbtiq"}
    later = tracker("Pankow", "inform_district", {"target_group": "lgbtiq"}, [("district", "Pankow")])
    assert asyncio.run(action.extract_target_group(CollectingDispatcher(), later, {})) == {}


def test_district_given_later_keeps_the_group_named_before():
    slots = {"language": "en", "topic": "housing"}
    without = custom(run(ActionSetDistrict(), tracker("Britz", "inform_district", slots,
                                                      [("district", "Britz")]))[0])["services"]
    messages, _ = run(ActionSetDistrict(), tracker("Britz", "inform_district", {**slots, "target_group": "lgbtiq"},
                                                   [("district", "Britz")]))
    services = custom(messages)["services"]
    assert custom(messages)["district"]["id"] == "neukoelln"
    assert [s["id"] for s in services] != [s["id"] for s in without]
    expected = actions.common.repository().services_for_topic("housing", district_id="neukoelln",
                                                              target_group="lgbtiq", language="en")
    assert [s["id"] for s in services] == [s.id for s in expected.services]


def test_emergency_without_a_sure_topic_offers_topics_to_go_on_with():
    trk = tracker("how do i light a gas stove", "emergency", {"language": "en"},
                  ranking=[("emergency", 1.0), ("housing", 0.3), ("greet", 0.1), ("health", 0.05)])
    messages, events = run(ActionAnswerEmergency(), trk)
    assert "110" in messages[0]["text"] and "112" in messages[0]["text"], "the numbers still come first"
    follow = messages[-1]
    assert "When you are safe" in follow["text"]
    payloads = [b["payload"] for b in follow["buttons"]]
    assert payloads[:3] == ["/housing", "/health", "/counselling"] and "/emergency" not in payloads
    assert payloads[-1] == "/help"
    assert SlotSet("topic", "emergency") in events


def test_emergency_with_a_sure_topic_answers_it_instead_of_offering_topics():
    trk = tracker("my husband beats me sometimes, can i get my own flat", "emergency", {"language": "de"},
                  ranking=[("emergency", 1.0), ("housing", 0.8)])
    messages, _ = run(ActionAnswerEmergency(), trk)
    assert not any("Sicherheit bist" in (m.get("text") or "") for m in messages)

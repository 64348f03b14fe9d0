"""Telegram channel against a local fake Bot API: real update JSON in, recorded Bot API calls out."""
from __future__ import annotations

import itertools

import httpx
import pytest

from api.telegram import MAX_CALLBACK_DATA, keyboard, split_text
from tests.conftest import TELEGRAM_SECRET

CHAT_ID = 987654321
_ids = itertools.count(1000)


def post(live, update, secret=TELEGRAM_SECRET, raw=None):
    headers = {"content-type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return httpx.post(f"{live.api_url}/telegram/webhook", headers=headers, timeout=30,
                      **({"content": raw} if raw is not None else {"json": update}))


def message(text=None, chat_id=CHAT_ID, language_code="de", **extra):
    msg = {"message_id": next(_ids), "date": 1700000000, "chat": {"id": chat_id, "type": "private"},
           "from": {"id": chat_id, "is_bot": False, "first_name": "A", "language_code": language_code}, **extra}
    if text is not None:
        msg["text"] = text
    return {"update_id": next(_ids), "message": msg}


def press(data, chat_id=CHAT_ID, language_code="de"):
    return {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)), "data": data, "chat_instance": "1",
        "from": {"id": chat_id, "is_bot": False, "first_name": "A", "language_code": language_code},
        "message": {"message_id": next(_ids), "date": 1700000000, "chat": {"id": chat_id, "type": "private"}}}}


@pytest.fixture
def sent(fake_telegram):
    fake_telegram.calls.clear()
    return fake_telegram


def test_requests_without_the_secret_are_refused(live, sent):
    assert post(live, message("hallo"), secret=None).status_code == 401
    assert post(live, message("hallo"), secret="wrong").status_code == 401
    assert sent.calls == []


def test_text_message_is_answered_with_buttons(live, sent):
    assert post(live, message("ich brauche eine wohnung")).status_code == 200
    replies = sent.sent()
    assert replies and all(r["chat_id"] == CHAT_ID for r in replies)
    assert "Quelle" in replies[0]["text"]
    buttons = [b for r in replies for row in r.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    assert any(b["callback_data"] == "/inform_district" for b in buttons)


def test_button_press_reaches_the_bot_as_its_payload(live, sent):
    post(live, message("ich brauche einen deutschkurs", chat_id=CHAT_ID + 1))
    sent.calls.clear()
    assert post(live, press("/inform_district", chat_id=CHAT_ID + 1)).status_code == 200
    assert sent.sent("answerCallbackQuery")
    districts = [b for row in sent.sent()[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert len(districts) == 12
    sent.calls.clear()
    pankow = next(b for b in districts if b["text"] == "Pankow")
    post(live, press(pankow["callback_data"], chat_id=CHAT_ID + 1))
    assert any("Pankow" in r["text"] for r in sent.sent())


@pytest.mark.parametrize("update", [
    {"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "chat": {"id": CHAT_ID}, "text": "edit"}},
    message(photo=[{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]),
    message(sticker={"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1, "is_animated": False}),
    {"update_id": 2, "my_chat_member": {"chat": {"id": CHAT_ID}, "from": {"id": CHAT_ID},
                                         "new_chat_member": {"status": "kicked"}}},
])
def test_updates_it_does_not_handle_get_200_and_no_message(live, sent, update):
    assert post(live, update).status_code == 200
    assert sent.sent() == []


def test_malformed_body_is_refused(live, sent):
    assert post(live, None, raw=b"{not json").status_code == 400
    assert sent.calls == []


def test_start_greets_and_language_switches(live, sent):
    chat = CHAT_ID + 2
    post(live, message("/start", chat_id=chat))
    assert "Chatbot" in sent.sent()[0]["text"]
    sent.calls.clear()
    post(live, message("/language", chat_id=chat))
    languages = [b["callback_data"] for row in sent.sent()[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert languages == ["lang:de", "lang:en", "lang:ar", "lang:uk", "lang:fa", "lang:ru", "lang:tr"]
    sent.calls.clear()
    post(live, press("lang:en", chat_id=chat))
    assert "chatbot" in sent.sent()[0]["text"].lower() and "Hello" in sent.sent()[0]["text"]


def test_language_code_is_the_hint(live, sent):
    post(live, message("hi", chat_id=CHAT_ID + 3, language_code="en"))
    assert "Hello" in sent.sent()[0]["text"]


def test_chat_ids_are_not_logged(live, sent):
    post(live, message("ich brauche hilfe beim jobcenter", chat_id=555000111))
    logs = "".join(s.log_path.read_text(errors="replace") for s in live.services if s.log_path)
    assert "555000111" not in logs
    assert "jobcenter" not in logs.lower()


def test_long_text_is_split_at_telegram_limits():
    text = ("Absatz " * 400 + "\n\n") * 4
    parts = split_text(text)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_long_payloads_fit_callback_data():
    store = {}
    markup = keyboard([{"title": "x", "payload": "/inform_district" + '{"district":"' + "y" * 80 + '"}'}], store)
    data = markup["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= MAX_CALLBACK_DATA and store[data].startswith("/inform_district")


@pytest.mark.parametrize("language", ["de", "en", "ar", "uk", "fa", "ru", "tr"])
def test_whole_conversation_in_each_language(live, sent, language):
    """The conversations of tests/test_conversations.py through the Telegram webhook."""
    from bot.texts import locale
    from tests.test_conversations import CONVERSATIONS

    chat = CHAT_ID + 100 + ["de", "en", "ar", "uk", "fa", "ru", "tr"].index(language)
    greet, topic, district, thanks = CONVERSATIONS[language]
    ui = locale(language)["ui"]
    replies = []
    for text in (greet, topic, district, thanks):
        sent.calls.clear()
        assert post(live, message(text, chat_id=chat, language_code=language)).status_code == 200
        replies.append(sent.sent())
        assert replies[-1] and all(r["chat_id"] == chat for r in replies[-1]), f"no reply to {text!r}"
    text = lambda turn: "\n".join(r["text"] for r in replies[turn])  # noqa: E731
    assert ui["label_source"] in text(1), "the topic answer names its source in the language"
    assert ui["label_source"] in text(2) and "Spandau" in text(2), "the answer for the district follows"
    assert text(3).strip()

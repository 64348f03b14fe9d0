"""A whole conversation in each of the seven languages through the public API (as the widget talks)."""
from __future__ import annotations

import httpx
import pytest

from bot.texts import locale

pytestmark = pytest.mark.e2e

CONVERSATIONS = {
    "de": ["Hallo", "Ich brauche eine Wohnung", "Ich wohne in Spandau", "Danke"],
    "en": ["Hello", "I need a doctor", "I live in Spandau", "Thank you"],
    "ar": ["مرحبا", "أحتاج إلى طبيب", "أسكن في Spandau", "شكرا"],
    "uk": ["Привіт", "Мені потрібен лікар", "Я живу в Шпандау", "Дякую"],
    "fa": ["سلام", "دنبال دکتر هستم", "من در Spandau زندگی می‌کنم", "ممنون"],
    "ru": ["Привет", "Мне нужен врач", "Я живу в Шпандау", "Спасибо"],
    "tr": ["Merhaba", "Doktora ihtiyacım var", "Spandau'da yaşıyorum", "Teşekkürler"],
}


def turn(live, message, conversation=None):
    response = httpx.post(f"{live.api_url}/api/chat", json={"message": message, "conversation": conversation},
                          timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_whole_conversation(live, language):
    greet, topic, district, thanks = CONVERSATIONS[language]
    ui = locale(language)["ui"]
    first = turn(live, greet)
    conversation = first["conversation"]
    assert first["messages"] and first["messages"][-1].get("buttons"), "greeting offers topics"
    answer = turn(live, topic, conversation)["messages"]
    payload = next(m["custom"] for m in answer if m.get("custom"))
    assert payload["language"] == language
    assert ui["label_source"] in answer[0]["text"]
    local = turn(live, district, conversation)["messages"]
    payload = next(m["custom"] for m in local if m.get("custom"))
    assert payload["district"]["id"] == "spandau" and payload["language"] == language
    closing = turn(live, thanks, conversation)["messages"]
    assert closing and closing[0]["text"].strip()

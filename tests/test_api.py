"""The public API: directory routes in-process, chat and health against the live stack."""
from __future__ import annotations

import dataclasses

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.security import ConversationIds, RateLimiter
from bot.settings import load_settings
from bot.stack import free_port


@pytest.fixture
def client(session_db, tmp_path):
    """The API in-process, with Rasa pointed at a closed port."""
    dead = f"http://127.0.0.1:{free_port()}"
    settings = dataclasses.replace(load_settings(), database_url=session_db, rasa_url=dead,
                                   action_server_url=dead, var_dir=tmp_path, api_secret="")
    with TestClient(create_app(settings)) as c:
        yield c


# ----------------------------------------------------------------------------- page and docs


def test_index_serves_the_widget_without_third_party_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and 'src="/static/widget.js"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text
    for asset in ("/static/widget.js", "/static/widget.css"):
        body = client.get(asset)
        assert body.status_code == 200
        assert "cdn" not in body.text.lower() and "googleapis" not in body.text and "analytics" not in body.text


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/topics", "/api/services", "/api/districts", "/health"} <= set(paths)


# ----------------------------------------------------------------------------- directory


def test_topics(client):
    topics = client.get("/api/topics").json()
    assert len(topics) == 19 and topics[0]["slug"] == "arrival"
    assert all(t["responsible_office"] for t in topics)


def test_districts(client):
    districts = client.get("/api/districts").json()
    assert len(districts) == 12
    assert "Britz" in next(d for d in districts if d["id"] == "neukoelln")["ortsteile"]


def test_services_by_topic_and_district(client):
    services = client.get("/api/services", params={"topic": "school", "district": "Britz"}).json()
    assert services and all(s["district"] in (None, "Neukölln") for s in services)
    assert all(s["source_url"].startswith("http") and s["as_of"] for s in services)
    same = client.get("/api/services", params={"topic": "school", "district": "neukoelln"}).json()
    assert [s["id"] for s in same] == [s["id"] for s in services]


def test_services_by_language_spoken(client):
    services = client.get("/api/services", params={"language": "ar"}).json()
    assert services and all("ar" in s["languages"] for s in services)


@pytest.mark.parametrize("params", [{"topic": "astrology"}, {"district": "Hamburg"}, {"language": "arabic"}])
def test_services_bad_filters_are_refused_clearly(client, params):
    response = client.get("/api/services", params=params)
    assert response.status_code == 422 and "detail" in response.json()


# ----------------------------------------------------------------------------- chat, in-process


def test_chat_when_rasa_is_down_says_so_with_emergency_numbers(client):
    response = client.post("/api/chat", json={"message": "hallo"})
    assert response.status_code == 200
    body = response.json()
    assert body["conversation"] and body["messages"][0]["error"] == "unavailable"
    assert "110" in body["messages"][0]["text"]


def test_chat_refuses_too_long_messages_clearly(client):
    response = client.post("/api/chat", json={"message": "x" * 2001}, headers={"accept-language": "en"})
    assert response.status_code == 413 and "too long" in response.json()["message"]


def test_health_is_unavailable_without_rasa(client):
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "rasa": "down", "action_server": "down", "database": "ok"}


def test_conversation_ids_are_signed():
    ids = ConversationIds(b"secret")
    token = ids.new()
    assert ids.verify(token) == token
    raw = token.split(".")[0]
    assert ids.verify(f"{raw}.{'0' * 32}") is None
    assert ids.verify("guessed-id") is None and ids.verify(None) is None
    assert ConversationIds(b"other").verify(token) is None


def test_rate_limiter():
    limiter = RateLimiter(limit=3, window=60)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") > 0 and limiter.hit("b") is None


# ----------------------------------------------------------------------------- chat, live


def chat(live, message, conversation=None, language=None, headers=None):
    body = {"message": message, "conversation": conversation}
    if language:
        body["language"] = language
    return httpx.post(f"{live.api_url}/api/chat", json=body, headers=headers or {}, timeout=30)


def test_health_when_everything_runs(live):
    response = httpx.get(f"{live.api_url}/health", timeout=10)
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_chat_creates_and_continues_a_conversation(live):
    first = chat(live, "ich brauche einen kitaplatz").json()
    payload = next(m["custom"] for m in first["messages"] if m.get("custom"))
    assert payload["topic"] == "school"
    second = chat(live, "Spandau", first["conversation"]).json()
    assert second["conversation"] == first["conversation"]
    assert next(m["custom"] for m in second["messages"] if m.get("custom"))["district"]["id"] == "spandau"


def test_forged_conversation_id_gets_a_new_one(live):
    response = chat(live, "hallo", "someone-elses-id.0000").json()
    assert response["conversation"] != "someone-elses-id.0000" and "." in response["conversation"]


def test_picked_language_reaches_the_bot(live):
    body = chat(live, "wohnung", language="en").json()
    payload = next(m["custom"] for m in body["messages"] if m.get("custom"))
    assert payload["language"] == "en"


def test_rate_limit_per_conversation_is_clear(live):
    conversation = chat(live, "hallo").json()["conversation"]
    statuses = [chat(live, "danke", conversation).status_code for _ in range(30)]
    assert 429 in statuses
    limited = chat(live, "danke", conversation, headers={"accept-language": "en"})
    assert limited.status_code == 429 and "wait" in limited.json()["message"]
    assert int(limited.headers["retry-after"]) >= 1

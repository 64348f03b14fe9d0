"""The public surface (FastAPI on uvicorn): the chat page and widget, the chat relay to Rasa, the
read-only directory, health, and the Telegram webhook. Rasa and the action server stay on loopback.

    uvicorn api.main:app --port 8000     (make run starts it)
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import List, Optional

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import text

from api import telegram
from api.chat import chat_turn
from api.rasa_client import RasaClient
from api.security import ConversationIds, RateLimiter, load_secret
from bot.answers import service_card
from bot.db import get_engine
from bot.language import SUPPORTED_LANGUAGES, normalise_hint
from bot.repository import DirectoryRepository
from bot.settings import Settings, get_settings
from bot.taxonomy import TOPIC_SLUGS
from bot.texts import t, topic_labels

STATIC_DIR = Path(__file__).parent / "static"
logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------ models


class ChatRequest(BaseModel):
    message: str = Field(..., description="What the user wrote (or a button's payload)")
    conversation: Optional[str] = Field(None, description="The id this server returned earlier; omit to start")
    language: Optional[str] = Field(None, description="Set only when the user picked a language")


class ChatResponse(BaseModel):
    conversation: str
    messages: List[dict]


class TopicOut(BaseModel):
    slug: str
    label: dict
    field: str
    responsible_office: Optional[str]


class DistrictOut(BaseModel):
    id: str
    name: str
    number: int
    ortsteile: List[str]


class ServiceOut(BaseModel):
    id: str
    kind: str
    name_de: str
    name: str
    description: str
    district: Optional[str]
    address: str
    phone: str
    email: str
    web: str
    opening_hours: str
    appointment_needed: Optional[bool]
    languages: List[str]
    source_url: str
    source_date: str
    as_of: str
    possibly_outdated: bool


# --------------------------------------------------------------------------------------------- app


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await app.state.rasa.close()
        if app.state.telegram_api is not None:
            await app.state.telegram_api.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Berlin orientation assistant for refugees",
        description="Chat relay and read-only directory of Berlin offices and services for refugees. "
                    "Every entry carries its source and as-of date.",
        version="0.1.0",
    )
    state = app.state
    state.settings = settings
    state.rasa = RasaClient(settings.rasa_url, settings.action_server_url)
    state.ids = None  # created on first use (the secret may live in var/)
    state.per_conversation = RateLimiter(settings.rate_per_conversation)
    state.per_client = RateLimiter(settings.rate_per_client)
    state.repository = DirectoryRepository(settings.database_url)

    def ids() -> ConversationIds:
        if state.ids is None:
            state.ids = ConversationIds(load_secret(settings))
        return state.ids

    # -- page --------------------------------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers=_SECURITY_HEADERS)

    # -- chat --------------------------------------------------------------------------------------

    @app.post("/api/chat", response_model=ChatResponse, tags=["chat"])
    async def chat(body: ChatRequest, request: Request):
        """One chat turn. The server creates the conversation id; send it back to continue."""
        language = normalise_hint(body.language)
        ui = language or normalise_hint(request.headers.get("accept-language")) or "de"
        if len(body.message) > settings.max_message_chars:
            return _error(413, "message_too_long", t("api_too_long", ui, limit=str(settings.max_message_chars)))
        conversation = ids().verify(body.conversation) or ids().new()
        client = request.client.host if request.client else "unknown"
        for limiter, key in ((state.per_client, client), (state.per_conversation, conversation)):
            wait = limiter.hit(key)
            if wait is not None:
                return _error(429, "rate_limited", t("api_rate_limited", ui, seconds=str(int(wait) + 1)),
                              headers={"Retry-After": str(int(wait) + 1)})
        messages = await chat_turn(state.rasa, ConversationIds.sender(conversation), body.message,
                                   language=language, language_hint=request.headers.get("accept-language"))
        return ChatResponse(conversation=conversation, messages=messages)

    # -- directory ---------------------------------------------------------------------------------

    @app.get("/api/topics", response_model=List[TopicOut], tags=["directory"])
    async def topics():
        """The 19 topics of the Gesamtkonzept-based taxonomy."""
        rows = await asyncio.to_thread(state.repository.topics)
        return [TopicOut(slug=r.slug, label=topic_labels(r.slug), field=r.field,
                         responsible_office=r.responsible_office_id) for r in rows]

    @app.get("/api/districts", response_model=List[DistrictOut], tags=["directory"])
    async def districts():
        """Berlin's 12 districts with their Ortsteile."""
        rows = await asyncio.to_thread(state.repository.districts)
        return [DistrictOut(id=d.id, name=d.name, number=d.number, ortsteile=list(d.ortsteile)) for d in rows]

    @app.get("/api/services", response_model=List[ServiceOut], tags=["directory"])
    async def services(
        topic: Optional[str] = Query(None, description="topic slug, see /api/topics"),
        district: Optional[str] = Query(None, description="district id or a place name ('Britz')"),
        language: Optional[str] = Query(None, description="only services that speak this language (ISO code)"),
    ):
        """Offices and services, with their source and as-of date. With a district: that district's
        offices and the Berlin-wide ones."""
        if topic is not None and topic not in TOPIC_SLUGS:
            raise HTTPException(422, f"unknown topic {topic!r}; see /api/topics")
        if language is not None and len(language) not in (2, 3):
            raise HTTPException(422, "language must be an ISO 639-1 code such as 'ar'")
        district_id = None
        if district:
            exact = await asyncio.to_thread(state.repository.district, district)
            match = None if exact else await asyncio.to_thread(state.repository.district_from_place, district)
            district_id = exact.id if exact else (match.district.id if match else None)
            if district_id is None:
                raise HTTPException(422, f"unknown district {district!r}; see /api/districts")
        rows = await asyncio.to_thread(state.repository.search_services, topic, district_id, language)
        card_language = language if language in SUPPORTED_LANGUAGES else "en"
        return [ServiceOut(**service_card(s, card_language)) for s in rows]

    # -- health ------------------------------------------------------------------------------------

    @app.get("/health", tags=["health"])
    async def health():
        """Ready only when Rasa, the action server and the database answer."""
        rasa_ok, actions_ok = await asyncio.gather(state.rasa.rasa_ready(), state.rasa.actions_ready())
        db_ok = await asyncio.to_thread(_database_ok, settings.database_url)
        parts = {"rasa": rasa_ok, "action_server": actions_ok, "database": db_ok}
        body = {"status": "ok" if all(parts.values()) else "unavailable",
                **{k: "ok" if v else "down" for k, v in parts.items()}}
        return JSONResponse(body, status_code=200 if all(parts.values()) else 503)

    telegram.register(app)
    return app


_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error(status: int, code: str, message: str, headers: Optional[dict] = None) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _database_ok(url: str) -> bool:
    try:
        with get_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means not ready
        return False


app = create_app()

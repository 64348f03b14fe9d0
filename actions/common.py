"""Shared plumbing of the actions: the directory repository, running its blocking calls off the
event loop, reading the tracker, and sending a bot.answers.Reply."""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, Optional, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import Reply
from bot.language import DEFAULT_LANGUAGE
from bot.repository import DirectoryRepository

T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def repository() -> DirectoryRepository:
    """The process's repository (created on first use, not at import)."""
    return DirectoryRepository()


async def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking (database) call in a worker thread so the action server's loop stays free."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


def language_of(tracker: Tracker) -> str:
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_entities(tracker: Tracker, entity: str) -> list:
    return [e.get("value") for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == entity]


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """The text (with buttons) first, then the custom payload for the widget's cards."""
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    if reply.payload is not None:
        dispatcher.utter_message(json_message=reply.payload)

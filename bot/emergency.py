"""Recognising immediate danger in a message, independent of the NLU model.

The patterns run on every message in every supported language at once (no language detection in the
way) and are deliberately generous: a false alarm costs one extra message with 110/112, a missed one can
cost a life. The NLU pipeline's ``EmergencyOverride`` turns a match into the intent ``emergency`` with
confidence 1.0, so no prediction can outvote it.

Patterns are matched on :func:`normalise` text (lower case, umlauts folded, punctuation removed) and
are folded the same way, so they are written as people spell ("schlägt", "feuer").
Patterns live in ``bot/crisis_patterns/*.yml``. Add one when a crisis message is missed; tune only on
the ``dev`` part of ``tests/emergency/*.yml``, the ``heldout`` part is for measuring.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from bot.taxonomy import SITUATIONS

#: One YAML file per language (or group of languages): situation -> regular expressions.
PATTERNS_DIR = Path(__file__).parent / "crisis_patterns"


@dataclass(frozen=True)
class EmergencyMatch:
    situations: tuple[str, ...]  # in the order of bot.taxonomy.SITUATIONS


def _fold_letters(text: str) -> str:
    """Lower case, accents and umlauts folded ('schlägt' = 'schlaegt' = 'schlagt')."""
    text = text.lower().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def normalise(text: str) -> str:
    """Folded letters (see _fold_letters), apostrophes dropped, other punctuation to spaces."""
    text = _fold_letters((text or "").replace("'", "").replace("’", ""))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


#: A bare cry for help with several exclamation marks ("hilfe!!!"); punctuation is gone after normalise().
_BARE_CRY = re.compile(r"^\s*(hilfe+|help+|sos|imdat|yardim|помогите|допоможіть|کمک|النجدة|ساعدوني)\s*(!\s*){2,}$",
                       re.IGNORECASE)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern], ...]:
    """Every pattern of every language, in the order of SITUATIONS (loaded once)."""
    by_situation: dict[str, list[re.Pattern]] = {s: [] for s in SITUATIONS}
    for path in sorted(PATTERNS_DIR.glob("*.yml")):
        for situation, patterns in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if situation not in by_situation:
                raise ValueError(f"{path.name}: unknown situation {situation!r}")
            # Patterns are folded like the text, so they can be written with umlauts and accents.
            by_situation[situation] += [re.compile(_fold_letters(p)) for p in patterns]
    return tuple((s, p) for s, patterns in by_situation.items() for p in patterns)


def detect_emergency(text: str) -> Optional[EmergencyMatch]:
    """The situations of immediate danger a message describes, or None."""
    norm = normalise(text)
    if not norm:
        return None
    found: list[str] = ["danger"] if _BARE_CRY.match(text or "") else []
    for situation, pattern in _compiled():
        if situation not in found and pattern.search(norm):
            found.append(situation)
    return EmergencyMatch(tuple(found)) if found else None

"""Recognising immediate danger in a message, independent of the NLU model.

The patterns run on every message in every supported language at once (no language detection in the
way) and are deliberately generous: a false alarm costs one extra message with 110/112, a missed one can
cost a life. The NLU pipeline's ``EmergencyOverride`` turns a match into the intent ``emergency`` with
confidence 1.0, so no prediction can outvote it.

Patterns are matched on :func:`normalise` text (lower case, umlauts folded, punctuation removed) and
are folded the same way, so they are written as people spell ("schlägt", "feuer"). A message that
matches nothing is tried once more with stuttered letters collapsed ("ддопомоожіть", "bloood"), against
the patterns collapsed the same way (:func:`collapse_repeats`).
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

#: Key of the parse result under which EmergencyOverride passes the matched situations to the actions.
EMERGENCY_SITUATIONS_KEY = "emergency_situations"

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


#: \S, \W, \D, \B, \A, \Z: folding would turn them into their lower-case opposites.
_UPPER_CASE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[SWDBAZ]")


@lru_cache(maxsize=1)
def _sources() -> tuple[tuple[str, str], ...]:
    """Every pattern of every language, folded like the text, in the order of SITUATIONS (read once)."""
    by_situation: dict[str, list[str]] = {s: [] for s in SITUATIONS}
    for path in sorted(PATTERNS_DIR.glob("*.yml")):
        for situation, patterns in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if situation not in by_situation:
                raise ValueError(f"{path.name}: unknown situation {situation!r}")
            # Patterns are folded like the text, so they can be written with umlauts and accents. Folding
            # lower-cases them too, which would silently turn \S into \s: such escapes are refused.
            for pattern in patterns:
                if _UPPER_CASE_ESCAPE.search(pattern):
                    raise ValueError(f"{path.name}: {situation}: write [^ ] etc. instead of an upper-case escape "
                                     f"(patterns are lower-cased): {pattern[:80]!r}")
            by_situation[situation] += [_fold_letters(p) for p in patterns]
    return tuple((s, p) for s, patterns in by_situation.items() for p in patterns)


def _compiled() -> tuple[tuple[str, re.Pattern], ...]:
    """Every pattern compiled whole, as written (the tests compare the split matchers with these)."""
    return tuple((situation, re.compile(source)) for situation, source in _sources())


def _outside_classes(pattern: str, start: int = 0):
    """(index, character, depth) of each unescaped character outside [...] classes from ``start``;
    depth counts the groups open around it (a group's own parentheses are at the outer depth)."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] == "^" else 0
            i += 1 if pattern[i + 1:i + 2] == "]" else 0  # a literal ] right after [ or [^
        else:
            depth -= c == ")"
            yield i, c, depth
            depth += c == "("
        i += 1


def _closing_paren(pattern: str, start: int) -> int:
    """Index of the parenthesis that closes the group opened at ``start``."""
    for i, c, depth in _outside_classes(pattern, start):
        if c == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced group in {pattern[:60]!r}")


def _has_top_level_bar(pattern: str) -> bool:
    return any(c == "|" and depth == 0 for _, c, depth in _outside_classes(pattern))


@dataclass(frozen=True)
class _Matcher:
    """One pattern, split for speed: most patterns are ``^(?!guard)(?=context)core``, whose guards scan
    the whole message. ``core`` is tried first (anchored at the start, as in the original pattern); the
    guards, shared by many patterns, are evaluated only then and once per message. Same result as the
    original pattern (tests/test_emergency.py compares them on the dev crisis messages, the
    near-misses and every 20th training example)."""

    situation: str
    core: re.Pattern
    anchored: bool  # core must match at position 0 (it followed ^ and the guards)
    guards: tuple[tuple[bool, re.Pattern], ...]  # (must match, guard), each tried at position 0


def _split(situation: str, pattern: re.Pattern | str) -> _Matcher:
    """The pattern as core and guards; compiles only those pieces (the guards once per distinct text)."""
    text = pattern if isinstance(pattern, str) else pattern.pattern
    whole = (lambda: re.compile(text)) if isinstance(pattern, str) else (lambda: pattern)
    guards, i = [], 1
    if not text.startswith("^"):
        return _Matcher(situation, whole(), False, ())
    try:
        while text.startswith(("(?!", "(?="), i):
            end = _closing_paren(text, i)
            guards.append((text[i + 2] == "=", _guard(text[i + 3:end])))
            i = end + 1
        if not guards or _has_top_level_bar(text[i:]):  # "^(?!g)a|b" guards only a: keep it whole
            return _Matcher(situation, whole(), False, ())
        return _Matcher(situation, re.compile(text[i:]), True, tuple(guards))
    except (re.error, ValueError):  # a pattern this simple parser cannot split stays whole
        return _Matcher(situation, whole(), False, ())


@lru_cache(maxsize=None)
def _guard(text: str) -> re.Pattern:
    return re.compile(text)  # one object per distinct guard, so its result is computed once per message


@lru_cache(maxsize=1)
def _matchers() -> tuple[_Matcher, ...]:
    return tuple(_split(situation, source) for situation, source in _sources())


#: A letter typed twice or more in a row ("ддопомоожіть", "bloood") or, in Arabic script, three times or
#: more ("ساعددددد") or twice at the end of a word ("سيارهه"; inside a word Arabic and Persian often write
#: a letter twice: "اللجوء"): people in shock or typing with one hand stutter on the keyboard. Digits are
#: left alone (110, 112).
_REPEATED_LETTER = re.compile(  # (?!\d): the Arabic block holds digits too ("١١٢")
    r"(?!\d)([\u0600-\u06ff])\1{2,}|(?!\d)([\u0600-\u06ff])\2(?!\w)|([^\W\d_\u0600-\u06ff])\3+")


def _is_arabic_script(c: str) -> bool:
    return "\u0600" <= c <= "\u06ff"


def collapse_repeats(norm: str) -> str:
    """Every stuttered run of one letter reduced to one letter ('bloood' -> 'blod', 'hilfe' unchanged)."""
    return _REPEATED_LETTER.sub(lambda m: m.group(1) or m.group(2) or m.group(3), norm)


def _collapse_pattern(pattern: str) -> str:
    """A pattern's literal letter runs reduced like collapse_repeats reduces the text ('messer' ->
    'meser'), so a pattern written for correct spelling matches the collapsed text. Escapes (\\b, \\w),
    {m,n} quantifiers and runs whose last letter is quantified ("sekk?in", "komakk+": the double is
    meant) stay as they are."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "{":
            end = pattern.find("}", i)
            if end > 0 and re.fullmatch(r"\{\d*,?\d*\}", pattern[i:end + 1]):
                out.append(pattern[i:end + 1])
                i = end + 1
                continue
        run = 1
        while c.isalpha() and pattern[i + run:i + run + 1] == c:
            run += 1
        quantified = pattern[i + run:i + run + 1] in ("?", "*", "+", "{")
        after = pattern[i + run:i + run + 2]
        word_end = after[:1] in ("", ")", "|", " ", "$") or after in ("\\b", "\\s")
        stutter = run >= 2 and (not _is_arabic_script(c) or run >= 3 or word_end)
        out.append(c if stutter and not quantified else pattern[i:i + run])
        i += run
    return "".join(out)


@lru_cache(maxsize=1)
def _collapsed_matchers() -> tuple[_Matcher, ...]:
    """The patterns for text with repeated letters collapsed (compiled by warm_up at model load, else on
    first need)."""
    return tuple(_split(situation, _collapse_pattern(source)) for situation, source in _sources())


def warm_up() -> None:
    """Read and compile every pattern now (some seconds) rather than in the first user's turn."""
    _matchers()
    _collapsed_matchers()


def _situations(norm: str, matchers: tuple[_Matcher, ...]) -> list[str]:
    found: list[str] = []
    guard_results: dict[re.Pattern, bool] = {}

    def holds(must_match: bool, guard: re.Pattern) -> bool:
        if guard not in guard_results:
            guard_results[guard] = guard.match(norm) is not None
        return guard_results[guard] == must_match

    for m in matchers:
        if m.situation in found:
            continue
        if (m.core.match(norm) if m.anchored else m.core.search(norm)) and all(holds(*g) for g in m.guards):
            found.append(m.situation)
    return found


def detect_emergency(text: str) -> Optional[EmergencyMatch]:
    """The situations of immediate danger a message describes, or None. A message that matches no
    pattern as typed is tried once more with repeated letters collapsed, against the patterns collapsed
    the same way (a stutter on the keyboard must not hide a crisis)."""
    norm = normalise(text)
    if not norm:
        return None
    found = _situations(norm, _matchers())
    if not found:
        collapsed = collapse_repeats(norm)
        if collapsed != norm:
            found = _situations(collapsed, _collapsed_matchers())
    if _BARE_CRY.match(text or "") and "danger" not in found:
        found.insert(0, "danger")
    if not found:
        return None
    return EmergencyMatch(tuple(s for s in SITUATIONS if s in found))

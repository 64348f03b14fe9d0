"""Words that hint at a target group of the directory ("Frau", "my kids", "schwul"), per language.

Matched on folded word starts, so inflections count ("Frauen", "Kindern"). Values are
bot.taxonomy.TARGET_GROUPS."""
from __future__ import annotations

import re
from functools import lru_cache

from bot.places import fold

_WORDS: dict[str, tuple[str, ...]] = {
    "women": ("frau", "frauen", "woman", "women", "mutter", "mother", "schwanger", "pregnant"),
    "girls": ("madchen", "girl"),
    "children": ("kind", "kinder", "child", "children", "kid", "kids", "baby", "sohn", "tochter", "son",
                 "daughter"),
    "youth": ("jugendlich", "teenager", "youth", "young people", "azubi"),
    "families": ("familie", "family", "families"),
    "unaccompanied_minors": ("unbegleitet", "unaccompanied", "uma"),
    "lgbtiq": ("schwul", "lesbisch", "trans", "queer", "gay", "lesbian", "lgbt", "lsbti", "bisexuell",
               "bisexual", "intersex", "nonbinary", "non binary"),
    "disabled": ("behindert", "behinderung", "rollstuhl", "disabled", "disability", "wheelchair"),
    "elderly": ("altere", "rentner", "senior", "senioren", "seniors", "elderly"),
    "ukraine": ("ukraine", "ukrainer", "ukrainisch", "ukrainian"),
    "students": ("student", "studentin", "studenten", "students", "studieren", "study"),
    "asylum_seekers": ("asyl", "asylum", "asylbewerber", "asylsuchend"),
    "duldung": ("duldung", "geduldet", "tolerated"),
    "uninsured": ("keine krankenversicherung", "nicht versichert", "no insurance", "uninsured",
                  "ohne versicherung", "without insurance"),
}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for group, words in _WORDS.items():
        alternatives = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
        # whole words, allowing German/English inflection endings
        out.append((group, re.compile(rf"\b({alternatives})(e|en|er|n|s|es|ern|in|innen)?\b")))
    return tuple(out)


def target_groups_in(text: str) -> list[tuple[str, int, int]]:
    """(group, start, end) for each hint, offsets in the folded text (approximate for the raw text)."""
    folded = fold(text or "")
    found: list[tuple[str, int, int]] = []
    for group, pattern in _patterns():
        m = pattern.search(folded)
        if m:
            found.append((group, m.start(), m.end()))
    return found

"""Recognising Berlin place names (districts, Ortsteile and their spellings) in free text.

Pure Python, shared by the NLU pipeline (which marks places as `district` entities) and the
directory repository (which resolves a place to one of the 12 Bezirke)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

#: Place names that are also everyday words; inside a longer message they count only after a
#: locative word ("in Mitte", "aus Buch"), alone they always count.
AMBIGUOUS_PLACES = frozenset({"buch", "wedding", "mitte", "westend", "tiergarten", "grunau", "malchow",
                              "ميته"})  # Arabic 'dead' (feminine)
LOCATIVE_WORDS = frozenset({"in", "im", "aus", "nach", "bei", "near", "from", "at", "to", "von",
                            "في", "ب", "fi", "b", "bi", "در", "dar", "в", "у", "из", "із", "з", "с", "во"})
# Endings and prefixes that inflect a place name: Cyrillic case endings ('в Панкове', 'у Кройцберзі'),
# Arabic-script prefixes ('بنويكولن' = in Neukölln), Turkish case endings written without apostrophe.
_CYRILLIC_ENDINGS = ("е", "і", "и", "у", "а", "ом", "ові", "я", "ю")
_ARABIC_PREFIXES = ("ب", "ل", "و", "ف", "ال", "بال", "وال", "في", "ع", "به")
_TURKISH_ENDINGS = ("de", "da", "te", "ta", "den", "dan", "ten", "tan", "deki", "daki", "teki", "taki")
#: Parts of hyphenated names that do not name a place on their own.
_GENERIC_PARTS = frozenset({"alt", "neu", "nord", "sud", "ost", "west", "berlin"})

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Case-, accent- and spelling-insensitive form: 'Neukölln' = 'neukoelln' = 'NEUKOLLN'."""
    text = (text or "").lower().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return " ".join(_TOKEN_RE.findall(text))


@dataclass(frozen=True)
class PlaceName:
    words: tuple[str, ...]  # folded words
    name: str  # as written in the directory
    district_id: str
    is_ortsteil: bool


@dataclass(frozen=True)
class PlaceHit:
    place: PlaceName
    start: int  # character offsets in the searched text
    end: int
    text: str  # the text as the user wrote it


def build_index(districts: Iterable[tuple[str, str, Iterable[str], Iterable[str]]]) -> list[PlaceName]:
    """Index of (district id, district name, aliases, Ortsteile). Longer names first; a district's
    own name before an Ortsteil of the same name (e.g. 'Mitte')."""
    entries: dict[tuple[str, ...], PlaceName] = {}

    def add(name: str, district_id: str, is_ortsteil: bool) -> None:
        words = tuple(fold(name).split())
        if words and words not in entries:
            entries[words] = PlaceName(words, name, district_id, is_ortsteil)

    districts = list(districts)
    for district_id, name, _, _ in districts:
        add(name, district_id, False)
    for district_id, _, _, ortsteile in districts:
        for ortsteil in ortsteile:
            add(ortsteil, district_id, True)
    for district_id, _, aliases, _ in districts:
        for alias in aliases:
            add(alias, district_id, False)
    # Parts of hyphenated names: 'Treptow' (Alt-Treptow), 'Hohenschönhausen', 'Köpenick'.
    for district_id, name, aliases, ortsteile in districts:
        for full in [name, *aliases, *ortsteile]:
            if "-" in full:
                for part in full.split("-"):
                    if fold(part) not in _GENERIC_PARTS and len(fold(part)) >= 4:
                        add(part, district_id, full in ortsteile)
    return sorted(entries.values(), key=lambda p: (-len(p.words), -len(" ".join(p.words)), p.is_ortsteil))


def _word_matches(token: str, word: str) -> bool:
    if token == word:
        return True
    if len(word) < 4 or len(token) <= len(word):
        return False
    first = word[0]
    if "\u0400" <= first <= "\u04ff":
        return token.startswith(word) and token[len(word):] in _CYRILLIC_ENDINGS
    if "\u0600" <= first <= "\u06ff":
        return token.endswith(word) and token[: -len(word)] in _ARABIC_PREFIXES
    return len(word) >= 5 and token.startswith(word) and token[len(word):] in _TURKISH_ENDINGS


def find_places(text: str, index: list[PlaceName]) -> list[PlaceHit]:
    """Every place named in ``text``, longest names first, without overlaps."""
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN_RE.finditer(text or "")]
    # fold() may split one token ('straße' stays one), so keep the first folded word per token.
    words = [t[2].split()[0] if t[2] else "" for t in tokens]
    used = [False] * len(tokens)
    hits: list[PlaceHit] = []
    alone = len(tokens)
    for place in index:
        n = len(place.words)
        for i in range(len(tokens) - n + 1):
            if any(used[i:i + n]) or not all(_word_matches(t, w) for t, w in zip(words[i:i + n], place.words)):
                continue
            if n == alone or not (n == 1 and place.words[0] in AMBIGUOUS_PLACES) or (
                i > 0 and words[i - 1] in LOCATIVE_WORDS
            ):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                hits.append(PlaceHit(place, start, end, text[start:end]))
                for k in range(i, i + n):
                    used[k] = True
    return sorted(hits, key=lambda h: h.start)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Lower-case words of every district, alias and Ortsteil name in the catalog (for language
    detection, which must not read 'Neukölln' as German)."""
    import yaml

    from bot.settings import get_settings

    path = get_settings().catalog_dir / "districts.yml"
    try:
        districts = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError:
        return frozenset()
    names = [n for d in districts for n in [d.get("name", ""), *(d.get("aliases") or []), *(d.get("ortsteile") or [])]]
    return frozenset(w.lower() for n in names for w in re.findall(r"[^\W\d_]{2,}", n))


def first_place(text: str, index: list[PlaceName]) -> Optional[PlaceHit]:
    hits = find_places(text, index)
    return hits[0] if hits else None

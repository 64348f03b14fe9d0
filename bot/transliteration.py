"""Latin-letter Arabic, Persian, Russian and Ukrainian in their own script, for the sentence encoder.

People type "ana nayem bel share3", "kasi hast komak kone", "ya boyus vozvrashchatsya v heim" on Latin
keyboards. The multilingual sentence encoder knows these languages in their own script far better than
in Latin letters; with ``respell_latin`` on (SentenceEncoderFeaturizer; off in config.yml, see there for
what was measured) the encoder reads a rough respelling instead ("انا نايم بل شرع", "کسی هست کمک کنه",
"я боюс возвращаця в heim"). The respelling is approximate (Arabizi and Finglish leave out which vowels
are long), one spelling per sound; German office words and Berlin place names stay as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

#: Languages whose Latin-letter spelling is respelled (the others are written in Latin letters anyway).
RESPELLED_LANGUAGES = frozenset({"ar", "fa", "ru", "uk"})

_TOKEN_RE = re.compile(r"[A-Za-z0-9']+|[^A-Za-z0-9']+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_OTHER_LETTER_RE = re.compile(r"[^\W\d_A-Za-z]")

# Longest spellings first: each table is tried from the longest key down.
_RU = {
    "shch": "щ", "sch": "щ", "zh": "ж", "kh": "х", "ch": "ч", "sh": "ш", "ts": "ц", "ya": "я", "yu": "ю",
    "yo": "ё", "ja": "я", "ju": "ю", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з",
    "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "t": "т", "u": "у", "f": "ф", "h": "х", "x": "х", "c": "ц", "w": "ш", "q": "к", "'": "ь",
}
_UK = {
    **_RU, "yi": "ї", "ye": "є", "ia": "я", "iu": "ю", "ie": "є", "ji": "ї", "je": "є", "h": "г", "g": "г",
    "i": "і", "'": "ь",
}
_AR_MULTI = {
    "3'": "غ", "7'": "خ", "sh": "ش", "ch": "ش", "kh": "خ", "gh": "غ", "th": "ث", "dh": "ذ", "aa": "ا", "ee": "ي",
    "ei": "ي", "ai": "اي", "ay": "اي", "ou": "و", "oo": "و", "ii": "ي", "uu": "و",
}
_AR_LETTERS = {
    "2": "ء", "3": "ع", "5": "خ", "6": "ط", "7": "ح", "8": "ق", "9": "ص", "b": "ب", "t": "ت", "j": "ج", "g": "ج",
    "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه",
    "w": "و", "y": "ي", "v": "ف", "p": "ب", "x": "كس", "c": "ك",
}
_FA_MULTI = {
    "sh": "ش", "ch": "چ", "kh": "خ", "gh": "ق", "zh": "ژ", "aa": "ا", "ee": "ی", "ei": "ی", "ey": "ی",
    "ai": "ای", "ay": "ای", "ou": "و", "oo": "و",
}
_FA_LETTERS = {
    "b": "ب", "p": "پ", "t": "ت", "j": "ج", "h": "ه", "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف",
    "q": "ق", "k": "ک", "g": "گ", "l": "ل", "m": "م", "n": "ن", "v": "و", "w": "و", "y": "ی", "x": "خ",
    "c": "ک", "2": "ء", "3": "ع", "7": "ح", "5": "خ",
}
_AR_VOWELS = {"i": "ي", "u": "و", "o": "و"}  # medial a and e are short: left out
_FA_VOWELS = {"i": "ی", "u": "و"}  # medial a, e and o are short in Finglish: left out


def _cyrillic(word: str, table: dict, plain_y: str) -> str:
    out, i, low = [], 0, word.lower()
    keys = sorted((k for k in table if len(k) > 1), key=len, reverse=True)
    while i < len(low):
        key = next((k for k in keys if low.startswith(k, i)), None)
        if key is not None:
            out.append(table[key])
            i += len(key)
            continue
        char = low[i]
        if char == "y":
            # y after a vowel is й ("moy", "znayty"); elsewhere Russian ы, Ukrainian и.
            out.append("й" if out and out[-1] in "аеёиоуыэюяіїє" else plain_y)
        else:
            out.append(table.get(char, char))
        i += 1
    return "".join(out)


def _arabic(word: str, multi: dict, letters: dict, vowels: dict, final_e: str, persian: bool) -> str:
    low = word.lower()
    out, i = [], 0
    keys = sorted(multi, key=len, reverse=True)
    while i < len(low):
        char = low[i]
        if i == 0 and char in "aeiou":
            # A word's first vowel is written with alef (ایـ / او for i / u in Persian: "in", "un").
            if persian and char == "i":
                out.append("ای")
            elif persian and char == "u":
                out.append("او")
            else:
                out.append("ا")
            i += 1
            continue
        key = next((k for k in keys if low.startswith(k, i)), None)
        if key is not None:
            out.append(multi[key])
            i += len(key)
            continue
        last = i == len(low) - 1
        if char in "aeiou":
            if last:
                out.append({"a": "ا", "e": final_e, "i": "ی" if persian else "ي", "o": "و", "u": "و"}[char])
            elif char in vowels:
                out.append(vowels[char])
        elif char in letters:
            out.append(letters[char])
        elif char != "'":
            out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def _kept_words() -> frozenset:
    from bot.language import LOANWORDS
    from bot.places import place_words

    return frozenset(LOANWORDS | place_words())


def mostly_latin(text: str) -> bool:
    """More Latin letters than letters of any other script."""
    return len(_LATIN_RE.findall(text or "")) > len(_OTHER_LETTER_RE.findall(text or ""))


def native_spelling(text: str, language: Optional[str]) -> Optional[str]:
    """``text`` with its Latin-letter words respelled in ``language``'s script, or None when the language
    is not respelled or the text is not mostly in Latin letters."""
    if language not in RESPELLED_LANGUAGES or not text or not mostly_latin(text):
        return None
    kept = _kept_words()
    out = []
    for token in _TOKEN_RE.findall(text):
        if not _LATIN_RE.search(token) or token.lower() in kept:
            out.append(token)  # numbers, punctuation, office words, place names
        elif language == "ru":
            out.append(_cyrillic(token, _RU, "ы"))
        elif language == "uk":
            out.append(_cyrillic(token, _UK, "и"))
        elif language == "ar":
            out.append(_arabic(token, _AR_MULTI, _AR_LETTERS, _AR_VOWELS, "ه", persian=False))
        else:
            out.append(_arabic(token, _FA_MULTI, _FA_LETTERS, _FA_VOWELS, "ه", persian=True))
    return "".join(out)

"""Languages: which ones the bot speaks, detecting a message's language offline, and deciding which
language a conversation continues in.

A conversation keeps its language. One short or ambiguous message ("ok", "Hallo", "Kita") does not flip
it; a clear message in another supported language, or an explicit request, does.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Iterable, Optional

#: Every language the conversation supports (ISO 639-1). fa covers Farsi and Dari.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "uk", "fa", "ru", "tr")

#: Languages every catalog text (descriptions, orientation) and every bot response must exist in.
REQUIRED_TEXT_LANGUAGES: tuple[str, ...] = SUPPORTED_LANGUAGES

#: Languages a conversation can be held in (responses, texts and training data exist for each).
CONVERSATION_LANGUAGES: tuple[str, ...] = SUPPORTED_LANGUAGES

DEFAULT_LANGUAGE = "de"

#: Right-to-left scripts.
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa"})

#: A detected language replaces the conversation's language only with this confidence ...
SWITCH_CONFIDENCE = 0.60
#: ... and only for a message of at least this many words (single words are ambiguous across languages).
SWITCH_MIN_WORDS = 3
#: Between closely related languages (many short sentences are the same in both) a switch needs more.
RELATED_LANGUAGES: frozenset = frozenset({frozenset({"ru", "uk"})})
SWITCH_CONFIDENCE_RELATED = 0.95


def text_in(texts: Optional[dict], language: str) -> str:
    """The text in ``language``, else German, else English, else any; '' when there is none."""
    if not texts:
        return ""
    for lang in (language, DEFAULT_LANGUAGE, "en"):
        if texts.get(lang):
            return texts[lang]
    return next((t for t in texts.values() if t), "")


# ------------------------------------------------------------------------------------------ detection

_LINGUA_NAMES = {
    "de": "GERMAN", "en": "ENGLISH", "ar": "ARABIC", "uk": "UKRAINIAN", "fa": "PERSIAN",
    "ru": "RUSSIAN", "tr": "TURKISH",
}
_detectors: dict = {}
_detector_lock = threading.Lock()


def _detector(languages: frozenset):
    """A lingua detector restricted to ``languages`` (built once per set, models preloaded)."""
    if languages not in _detectors:
        with _detector_lock:
            if languages not in _detectors:
                from lingua import Language, LanguageDetectorBuilder

                langs = [getattr(Language, _LINGUA_NAMES[code]) for code in sorted(languages)]
                _detectors[languages] = (
                    LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
                )
    return _detectors[languages]


@dataclass(frozen=True)
class Detection:
    language: Optional[str]  # best guess among SUPPORTED_LANGUAGES, None for text without letters
    confidence: float
    words: int

    @property
    def clear(self) -> bool:
        """Clear enough to switch a conversation's language."""
        return (
            self.language is not None
            and self.confidence >= SWITCH_CONFIDENCE
            and self.words >= SWITCH_MIN_WORDS
        )


_WORD_RE = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

#: German office words that people use inside every language ("need help with Jobcenter"): they say
#: nothing about the language of the message, so detection ignores them.
LOANWORDS: frozenset[str] = frozenset({
    "jobcenter", "sozialamt", "anmeldung", "duldung", "aufenthaltstitel", "aufenthaltserlaubnis", "kita",
    "termin", "bürgeramt", "buergeramt", "bürgergeld", "buergergeld", "wbs", "laf", "lea", "bamf",
    "ausländerbehörde", "auslaenderbehoerde", "willkommensklasse", "integrationskurs", "krankenkasse",
    "gesundheitskarte", "asylblg", "fiktionsbescheinigung", "gutschein", "jugendamt",
    "berlin", "heim", "ausbildung", "anerkennung", "vhs", "ehrenamt", "studienkolleg", "beratung",
})

# Letters only one of the candidate languages uses.
_PERSIAN_ONLY = set("پچژگیک")  # Persian yeh (U+06CC) and keheh (U+06A9) included
_ARABIC_ONLY = set("ةيكىئ")  # Arabic yeh (U+064A), kaf (U+0643), teh marbuta, alef maksura
_UKRAINIAN_ONLY = set("іїєґ")
_RUSSIAN_ONLY = set("ыэъё")
_TURKISH_ONLY = set("ığş")
_CANDIDATES = {"arabic": frozenset({"ar", "fa"}), "cyrillic": frozenset({"ru", "uk"}),
               "latin": frozenset({"de", "en", "tr"})}


def _script_of(word: str) -> str:
    c = word[0]
    if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff":
        return "arabic"
    if "\u0400" <= c <= "\u04ff":
        return "cyrillic"
    return "latin"


def script_decision(text: str) -> Optional[Detection]:
    """A decision from letters only one candidate language uses (ی/ک Persian, ة/ي/ك Arabic, і/ї/є/ґ
    Ukrainian, ы/э/ъ/ё Russian, ı/ğ/ş Turkish), else None."""
    words = _WORD_RE.findall(text or "")
    scripts: dict[str, list[str]] = {}
    for w in words:
        scripts.setdefault(_script_of(w), []).append(w)
    if "arabic" in scripts:
        letters = set("".join(scripts["arabic"]))
        persian, arabic = len(letters & _PERSIAN_ONLY), len(letters & _ARABIC_ONLY)
        if persian != arabic:
            return Detection("fa" if persian > arabic else "ar", 1.0, len(words))
    elif "cyrillic" in scripts:
        letters = set("".join(scripts["cyrillic"]).lower())
        if letters & _UKRAINIAN_ONLY and not letters & _RUSSIAN_ONLY:
            return Detection("uk", 1.0, len(words))
        if letters & _RUSSIAN_ONLY and not letters & _UKRAINIAN_ONLY:
            return Detection("ru", 1.0, len(words))
    elif set("".join(scripts.get("latin", [])).lower()) & _TURKISH_ONLY:
        return Detection("tr", 1.0, len(words))
    return None


# ------------------------------------------------------------------------- spellings for training

# Russian and Ukrainian as people type them on a Latin keyboard ("gde nayti kvartiru", "de znayty
# zhytlo"): one common spelling per letter, and for some letters the other spellings people use.
_TRANSLIT_RU = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                        ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                         "r", "s", "t", "u", "f", "h", "c", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"]))
_TRANSLIT_UK = {**_TRANSLIT_RU, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye", "щ": "shch"}
_TRANSLIT_VARIANTS = {"ж": ("zh", "j"), "х": ("h", "kh", "x"), "ц": ("c", "ts"), "ч": ("ch", "4"),
                      "ш": ("sh", "w"), "щ": ("sch", "shch", "sh"), "я": ("ya", "ja", "ia"), "ю": ("yu", "ju"),
                      "й": ("y", "i", "j"), "ы": ("y", "i"), "ь": ("", "'")}


_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


def latin_spelling(text: str, language: str, rng) -> str:
    """``text`` (Russian or Ukrainian) as typed in Latin letters; ``rng`` (random.Random) picks among
    the common spellings of a letter."""
    table = _TRANSLIT_UK if language == "uk" else _TRANSLIT_RU
    out = []
    for char in text:
        low = char.lower()
        if low not in table:
            out.append(char)
            continue
        spelling = rng.choice(_TRANSLIT_VARIANTS[low]) if low in _TRANSLIT_VARIANTS and rng.random() < 0.5 else table[low]
        out.append(spelling.capitalize() if char != low else spelling)
    return "".join(out)


def typing_variants(examples: Iterable[tuple[str, str]], fraction: float, seed: int = 42) -> list[tuple[str, str]]:
    """Extra (text, language) examples for learning to identify languages: a ``fraction`` of the
    Russian and Ukrainian examples, respelled in Latin letters. Deterministic for a given seed."""
    import random

    rng = random.Random(seed)
    return [(latin_spelling(text, language, rng), language) for text, language in examples
            if language in ("ru", "uk") and _CYRILLIC_RE.search(text) and rng.random() < fraction]


def detect_language(text: str, ignore: Iterable[str] = ()) -> Detection:
    """Offline language identification restricted to the supported languages.

    Place names of Berlin, German office words and the words in ``ignore`` are left out. The script
    decides the candidates (Arabic script: ar/fa; Cyrillic: uk/ru; Latin: de/en/tr); letters only one
    candidate uses decide between them; lingua decides the rest."""
    from bot.places import place_words

    skip = LOANWORDS | place_words() | {w.lower() for phrase in ignore for w in _WORD_RE.findall(phrase or "")}
    words = [w for w in _WORD_RE.findall(text or "") if w.lower() not in skip]
    if not words:
        return Detection(None, 0.0, 0)
    decided = script_decision(" ".join(words))
    if decided is not None:
        return Detection(decided.language, 1.0, len(words))
    # A message with Arabic or Cyrillic words is in that script's language; Latin words beside them are
    # names and loanwords.
    scripts: dict[str, list[str]] = {}
    for w in words:
        scripts.setdefault(_script_of(w), []).append(w)
    script = "arabic" if "arabic" in scripts else "cyrillic" if "cyrillic" in scripts else "latin"
    chosen = scripts[script]
    candidates = _CANDIDATES[script]
    values = _detector(candidates).compute_language_confidence_values(" ".join(chosen))
    if not values:
        return Detection(None, 0.0, len(words))
    best = values[0]
    return Detection(best.language.iso_code_639_1.name.lower(), float(best.value), len(words))


# ------------------------------------------------------------------------------- explicit requests

#: How people name a language, in the supported languages (folded to lower case).
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "de": ("deutsch", "german", "almanca", "немецк", "німецьк", "الألمانية", "الالمانية", "آلمانی", "المانی"),
    "en": ("englisch", "english", "ingilizce", "İngilizce", "английск", "англійськ", "الإنجليزية", "الانجليزية",
           "انگلیسی"),
    "ar": ("arabisch", "arabic", "arapça", "арабск", "عربي", "العربية", "عربی"),
    "uk": ("ukrainisch", "ukrainian", "ukraynaca", "украинск", "українськ", "الأوكرانية", "اوکراینی"),
    "fa": ("persisch", "farsi", "persian", "dari", "farsça", "фарси", "перс", "فارسی", "دری", "الفارسية"),
    "ru": ("russisch", "russian", "rusça", "русск", "російськ", "الروسية", "روسی"),
    "tr": ("türkisch", "turkisch", "turkish", "türkçe", "turkce", "турецк", "турецьк", "التركية", "ترکی"),
}
#: Languages people ask for that the bot does not speak (for a polite answer).
_UNSUPPORTED_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("französisch", "french", "français", "francais"),
    "es": ("spanisch", "spanish", "español", "espanol"),
    "ku": ("kurdisch", "kurdish", "kurdî", "kurmanji", "sorani"),
    "ps": ("paschtu", "pashto", "pashtu"),
    "ti": ("tigrinya", "tigrinisch"),
    "so": ("somali",),
    "pl": ("polnisch", "polish"),
    "vi": ("vietnamesisch", "vietnamese"),
}


def requested_language(text: str) -> Optional[str]:
    """The language a message asks for by name ("answer in Arabic", "auf Deutsch"), or None.

    Returns a code from SUPPORTED_LANGUAGES, or another ISO code for a language the bot does not speak.
    """
    low = (text or "").lower()
    for code, names in _LANGUAGE_NAMES.items():
        if any(name.lower() in low for name in names):
            return code
    for code, names in _UNSUPPORTED_NAMES.items():
        if any(name in low for name in names):
            return code
    return None


def normalise_hint(hint: Optional[str]) -> Optional[str]:
    """A client's language hint ('ar', 'de-DE', Telegram's 'uk') as a supported code, else None."""
    if not hint or not isinstance(hint, str):
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    if code == "prs":  # Dari
        code = "fa"
    return code if code in SUPPORTED_LANGUAGES else None


def decide_language(current: Optional[str], text: str, hint: Optional[str] = None,
                    ignore: Iterable[str] = (), detection: Optional[Detection] = None) -> str:
    """The language to answer in after this message.

    - a conversation without a language takes the client's hint, else the message's best guess
      (``detection``: the NLU pipeline's LanguageIdentifier; else lingua, see detect_language);
    - a clear message (several words, confident) in another language switches;
    - anything else keeps the current language.
    Only languages in CONVERSATION_LANGUAGES are chosen; explicit requests are handled by the caller.
    """
    hint = normalise_hint(hint)
    ignore = list(ignore)
    if detection is None:
        detection = detect_language(text, ignore)
    elif ignore:  # place names say nothing about the language: they do not count as words
        detection = Detection(detection.language, detection.confidence,
                              max(0, detection.words - sum(len(p.split()) for p in ignore)))
    usable = lambda code: code if code in CONVERSATION_LANGUAGES else None  # noqa: E731
    if current in CONVERSATION_LANGUAGES:
        related = frozenset({current, detection.language}) in RELATED_LANGUAGES
        if (detection.clear and usable(detection.language) and detection.language != current
                and (not related or detection.confidence >= SWITCH_CONFIDENCE_RELATED)):
            return detection.language
        return current
    return usable(hint) or usable(detection.language if detection.confidence >= 0.5 else None) or DEFAULT_LANGUAGE

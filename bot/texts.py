"""Everything the bot says that is not in domain.yml or the catalog: labels of answers, topic names,
emergency and error texts. The texts live in ``bot/locales/<language>.yml``, one file per language,
read on first use. Placeholders in braces are filled by bot.answers.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"

#: Each language's name in that language (for the language picker and lists of languages).
LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "uk": "Українська",
    "fa": "فارسی / دری",
    "ru": "Русский",
    "tr": "Türkçe",
}


@lru_cache(maxsize=None)
def locale(language: str) -> dict:
    """The texts of one language: {"ui": {key: text}, "topic_labels": {slug: text}}."""
    path = LOCALES_DIR / f"{language}.yml"
    if not path.exists():
        return {"ui": {}, "topic_labels": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {"ui": {}, "topic_labels": {}}


def t(key: str, language: str, **values: str) -> str:
    """The text ``key`` in ``language`` (German if missing), with placeholders filled."""
    text = locale(language)["ui"].get(key) or locale(DEFAULT_LANGUAGE)["ui"][key]
    return text.format(**values) if values else text


def topic_label(slug: str, language: str) -> str:
    return locale(language)["topic_labels"].get(slug) or locale(DEFAULT_LANGUAGE)["topic_labels"][slug]


def topic_labels(slug: str) -> dict[str, str]:
    """A topic's label in every supported language."""
    return {lang: topic_label(slug, lang) for lang in SUPPORTED_LANGUAGES}

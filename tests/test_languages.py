"""Seven languages: every text the bot says exists in each, language detection and decisions."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.catalog import read_catalog
from bot.language import (SUPPORTED_LANGUAGES, decide_language, detect_language, latin_spelling,
                          requested_language, typing_variants)
from bot.settings import PROJECT_ROOT
from bot.texts import LANGUAGE_NAMES, locale
from tests.conftest import CATALOG_DIR

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_ui_text_and_topic_label_in_every_language():
    german = locale("de")
    for lang in SUPPORTED_LANGUAGES:
        texts = locale(lang)
        assert set(texts["ui"]) == set(german["ui"]), lang
        assert set(texts["topic_labels"]) == set(german["topic_labels"]), lang
        for key, text in texts["ui"].items():
            assert text.strip(), (lang, key)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(german["ui"][key])), (lang, key)
        assert all(label.strip() for label in texts["topic_labels"].values()), lang
    assert set(LANGUAGE_NAMES) == set(SUPPORTED_LANGUAGES)


def test_every_response_in_every_language_with_a_german_fallback():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        languages = [v["condition"][0]["value"] for v in variants if v.get("condition")]
        assert sorted(languages) == sorted(SUPPORTED_LANGUAGES), name
        assert all(v["text"].strip() for v in variants), name
        assert any("condition" not in v for v in variants), f"{name} needs a variation without condition"


def test_every_catalog_text_in_every_language():
    cat = read_catalog(CATALOG_DIR)
    for s in cat.services:
        assert all(s["description"].get(lang, "").strip() for lang in SUPPORTED_LANGUAGES), s["id"]
    for t in cat.topics:
        assert all(t["orientation"].get(lang, "").strip() for lang in SUPPORTED_LANGUAGES), t["slug"]


def test_loader_refuses_an_entry_without_a_required_translation(catalog_copy):
    from bot.catalog import CatalogError

    path = catalog_copy / "services" / "health.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    del entries[0]["description"]["fa"]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"field 'description': translation missing for fa"):
        read_catalog(catalog_copy)


def test_widget_labels_in_every_language():
    script = (PROJECT_ROOT / "api" / "static" / "widget.js").read_text(encoding="utf-8")
    block = script[script.index("var UI = {"):script.index("var STORE")]
    key = re.compile(r'(?:[{,]\s*)(\w+|"new"): "')
    keys_de = set(key.findall("{" + block.split("en: {")[0].split("de: {")[1]))
    assert len(keys_de) == 20
    for lang in SUPPORTED_LANGUAGES:
        assert f"{lang}: {{" in block, lang
    for lang in SUPPORTED_LANGUAGES:
        section = "{" + block.split(f"{lang}: {{")[1].split("}")[0]
        assert set(key.findall(section)) == keys_de, lang


@pytest.mark.parametrize("text, expected", [
    ("Ich suche eine Wohnung für meine Familie", "de"),
    ("I am looking for a flat for my family", "en"),
    ("أبحث عن شقة لعائلتي", "ar"),
    ("Шукаю квартиру для своєї родини", "uk"),
    ("دنبال یک خانه برای خانواده‌ام هستم", "fa"),
    ("Ищу квартиру для своей семьи", "ru"),
    ("Ailem için ev arıyorum", "tr"),
    ("Ich wohne in Neukölln", "de"),
])
def test_detection(text, expected):
    assert detect_language(text).language == expected


def test_place_names_and_office_words_do_not_count():
    assert detect_language("Neukölln").language is None
    assert detect_language("Jobcenter Termin").language is None


@pytest.mark.parametrize("current, text, expected", [
    ("ar", "ok", "ar"),
    ("fa", "Hallo", "fa"),
    ("uk", "Kita", "uk"),
    ("de", "Мне нужен врач для ребёнка", "ru"),
    ("ru", "Мені потрібен лікар для дитини", "uk"),
    ("en", "أحتاج إلى طبيب لطفلي", "ar"),
    ("ar", "من به دکتر برای بچه‌ام نیاز دارم", "fa"),
    ("de", "Çocuğum için doktora ihtiyacım var", "tr"),
    ("ru", "Я живу в Шпандау", "ru"),  # the same in Ukrainian: no switch between related languages
    (None, "hi", "de"),
])
def test_decide_language(current, text, expected):
    assert decide_language(current, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("answer in Arabic please", "ar"), ("auf Deutsch bitte", "de"), ("по-русски пожалуйста", "ru"),
    ("українською будь ласка", "uk"), ("فارسی جواب بده", "fa"), ("türkçe cevap ver", "tr"),
    ("بالعربي", "ar"), ("in French please", "fr"), ("where is the jobcenter", None),
])
def test_requested_language(text, expected):
    assert requested_language(text) == expected


class _FirstSpelling:
    """A random.Random stand-in that always keeps a letter's common spelling."""

    def random(self):
        return 1.0


def test_latin_spelling_of_russian_and_ukrainian():
    assert latin_spelling("Где найти квартиру?", "ru", _FirstSpelling()) == "Gde nayti kvartiru?"
    assert latin_spelling("Де знайти житло", "uk", _FirstSpelling()) == "De znayty zhytlo"
    assert latin_spelling("Jobcenter 2 раза", "ru", _FirstSpelling()) == "Jobcenter 2 raza"


def test_typing_variants_are_a_deterministic_share_of_the_cyrillic_examples():
    examples = [(f"где врач номер {i}", "ru") for i in range(100)] + [(f"де лікар номер {i}", "uk") for i in range(100)]
    examples += [("where is the doctor", "en"), ("\u062f\u06a9\u062a\u0631 \u06a9\u062c\u0627\u0633\u062a", "fa")] * 50
    extra = typing_variants(examples, 0.3)
    assert extra == typing_variants(examples, 0.3)
    by_language = {lang: [t for t, lg in extra if lg == lang] for lang in ("ru", "uk", "en", "fa")}
    assert 15 <= len(by_language["ru"]) <= 45 and 15 <= len(by_language["uk"]) <= 45
    assert not by_language["en"] and not by_language["fa"]
    assert all(t.isascii() for t in by_language["ru"] + by_language["uk"])
    assert typing_variants(examples, 0.0) == []

"""Words that hint at a target group of the directory ("Frau", "my kids", "أطفالي", "дети"), in the
seven languages. The topic answer puts the group's services first where some match
(bot.repository.services_for_topic; the topic's best general service always stays).

A word matches on the folded text (bot.places.fold, plus one spelling for letters people type either
way: Turkish ı/i, Arabic/Persian ي/ی, ك/ک, ة/ه). Entries are of two kinds:

- ``"frau"``: a whole word, allowing German/English inflection endings ("Frauen", "Kindern");
- ``"женщин*"``: a word start with any ending (Russian, Ukrainian and Turkish inflect at the end:
  "женщинам", "çocuğum"); used only where no everyday word starts the same way ("семь" is seven,
  so the Russian family words are listed whole).

Arabic entries may also carry the clitics written onto them ("و", "ف", "ب", "ل", "ك", "ال":
"لأطفالي", "والنساء").

Precision matters more than recall here: a wrong hint puts services for a group the person is not in
above the ones they need. Entries that are also common words in another sense are phrases or left out
("مثلي" alone also means "like me"; "حامل" also "holder (of a permit)"; Persian "زن" is whole-word
only, as "زندگی" is "life"). Values are bot.taxonomy.TARGET_GROUPS."""
from __future__ import annotations

import re
from functools import lru_cache

from bot.places import fold

_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "women": {
        "de_en": ("frau", "frauen", "woman", "women", "mutter", "mother", "schwanger", "pregnant"),
        "ru": ("женщин*", "женск*", "жена", "жены", "жене", "жену", "женой", "беременн*"),
        "uk": ("жінк*", "жінок", "жіноч*", "дружин*", "вагітн*"),
        "ar": ("امرأة", "امراة", "نساء*", "سيدة", "سيدات", "زوجتي", "زوجة"),
        "fa": ("زن", "زنان", "زنها", "خانم*", "باردار*", "حامله", "مادر*"),
        "tr": ("kadın*", "hamile*", "anne", "annem", "anneyim", "annesi", "anneler"),
    },
    "girls": {
        "de_en": ("madchen", "girl"),
        "ru": ("девочк*", "девушк*"),
        "uk": ("дівчин*", "дівчат*"),
        "ar": ("بنت", "بنتي", "بنتك", "بنتها", "بنات*", "فتاة", "فتيات"),
        "fa": ("دختر*",),
        "tr": ("kızım", "kızlar", "kızlarım", "kız çocuğu"),
    },
    "children": {
        "de_en": ("kind", "kinder", "child", "children", "kid", "kids", "baby", "sohn", "tochter", "son",
                  "daughter"),
        "ru": ("ребен*", "дети", "детей", "детям", "детьми", "детск*", "сын", "сына", "сыну", "сыном", "дочь",
               "дочер*", "дочк*", "малыш*", "младен*"),
        "uk": ("дитин*", "дитя*", "діти", "дітей", "дітям", "дітьми", "дитсад*", "син", "сина", "сину", "сином",
               "доньк*", "донечк*", "малюк*", "немовл*"),
        "ar": ("طفل*", "أطفال*", "أولاد*", "ابني", "ابنتي", "رضيع*"),
        "fa": ("بچه*", "کودک*", "پسرم", "دخترم", "فرزند*", "نوزاد*"),
        "tr": ("çocuk*", "çocuğ*", "bebek*", "bebeğ*", "oğlum", "oğlumu", "oğluma", "kızım"),
    },
    "youth": {
        "de_en": ("jugendlich", "teenager", "youth", "young people", "azubi"),
        "ru": ("подрост*", "молодеж*", "юнош*", "тинейдж*"),
        "uk": ("підліт*", "підлітк*", "молодь", "молоді люди", "юнак*"),
        "ar": ("مراهق*",),
        "fa": ("نوجوان*", "جوانان"),
        "tr": ("gençler*", "gençlik*", "ergen*"),
    },
    "families": {
        "de_en": ("familie", "family", "families"),
        # not "семь*": "семь" is seven
        "ru": ("семья", "семьи", "семье", "семью", "семьей", "семейн*"),
        "uk": ("сім'я", "сім'ї", "сім'єю", "сімʼя", "сімʼї", "сімей*"),
        "ar": ("عائلة*", "عائلت*", "عائلات", "عيلة*", "عيلت*", "أسرة*", "أسرت*"),
        "fa": ("خانواده*",),
        "tr": ("aile*",),
    },
    "unaccompanied_minors": {
        "de_en": ("unbegleitet", "unaccompanied", "uma"),
        "ru": ("несопровожд*", "без сопровожд*"),
        "uk": ("несупровідн*", "без супроводу"),
        "ar": ("قاصر*", "غير مصحوب*"),
        "fa": ("بدون همراه", "بی سرپرست"),
        "tr": ("refakatsiz*",),
    },
    "lgbtiq": {
        "de_en": ("schwul", "lesbisch", "trans", "queer", "gay", "lesbian", "lgbt", "lsbti", "bisexuell",
                  "bisexual", "intersex", "nonbinary", "non binary"),
        "ru": ("гей", "геи", "геев", "лесби*", "трансгендер*", "лгбт*", "квир*", "бисексуал*", "гомосексуал*"),
        "uk": ("геї", "геїв", "лесбі*", "трансгендер*", "квір*", "бісексуал*", "гомосексуал*"),
        # not "مثلي" alone: also "like me"
        "ar": ("مثلي الجنس", "مثليين", "مثليون", "مثلية", "مثليات", "ترانس", "متحول جنسي*", "متحولة جنسي*",
               "عابر جنسي*", "عابرة جنسي*", "مجتمع الميم", "كوير"),
        # not "گی": also the end of words typed apart ("زنده‌گی")
        "fa": ("همجنسگرا*", "هم جنسگرا*", "هم جنس گرا*", "لزبین", "ترنس", "تراجنسیتی", "دگرباش*", "کوییر"),
        "tr": ("eşcinsel*", "gey", "lezbiyen*", "biseksüel*"),
    },
    "disabled": {
        "de_en": ("behindert", "behinderung", "rollstuhl", "disabled", "disability", "wheelchair"),
        "ru": ("инвалид*", "ограниченными возможност*"),
        "uk": ("інвалід*",),
        # not "معاق*": "معاقب" is punished
        "ar": ("إعاقة*", "معاق", "معاقة", "معاقين", "كرسي متحرك", "احتياجات خاصة"),
        "fa": ("معلول*", "ویلچر*"),
        "tr": ("engelli*", "tekerlekli sandalye*", "özürlü*"),
    },
    "elderly": {
        "de_en": ("altere", "rentner", "senior", "senioren", "seniors", "elderly"),
        "ru": ("пожил*", "пенсионер*", "бабушк*", "дедушк*"),
        # not "літн*": "літній" is also "summer" (літній табір)
        "uk": ("літні люди", "літніх людей", "похилого віку", "пенсіонер*", "бабус*", "дідус*"),
        "ar": ("كبار السن", "مسن", "مسنة", "مسنين", "عجوز*"),
        "fa": ("سالمند*", "پیر", "مادربزرگ*", "پدربزرگ*"),
        "tr": ("yaşlı*", "emekli*", "babaanne*", "anneanne*"),
    },
    "ukraine": {
        "de_en": ("ukraine", "ukrainer", "ukrainisch", "ukrainian"),
        "ru": ("украин*",),
        "uk": ("україн*",),
        "ar": ("أوكراني*",),
        "fa": ("اوکراین*",),
        "tr": ("ukrayna*",),
    },
    "students": {
        "de_en": ("student", "studentin", "studenten", "students", "studieren", "study"),
        "ru": ("студент*",),
        "uk": ("студент*",),
        "ar": ("طالب جامعي", "طالبة جامعية", "طلاب الجامعة"),
        "fa": ("دانشجو*",),
        "tr": ("öğrenci*",),
    },
    "asylum_seekers": {
        "de_en": ("asyl", "asylum", "asylbewerber", "asylsuchend"),
        "ru": ("убежищ*",),
        "uk": ("притулк*", "притулок"),
        "ar": ("لجوء", "طالب لجوء", "طالبي اللجوء"),
        "fa": ("پناهجو*", "پناهندگی"),
        "tr": ("iltica*", "sığınmacı*"),
    },
    "duldung": {
        "de_en": ("duldung", "geduldet", "tolerated"),
        "ru": ("дульдунг*", "дулдунг*"),
        "uk": ("дульдунг*",),
        "ar": ("دولدونغ", "دولدونج"),
        "fa": ("دولدونگ",),
        "tr": ("duldung",),
    },
    "uninsured": {
        "de_en": ("keine krankenversicherung", "nicht versichert", "no insurance", "uninsured",
                  "ohne versicherung", "without insurance"),
        "ru": ("без страховк*", "нет страховк*", "без медицинской страховк*"),
        "uk": ("без страхов*", "немає страхов*"),
        "ar": ("بدون تأمين", "ما عندي تأمين", "معنديش تأمين", "ليس لدي تأمين"),
        "fa": ("بیمه ندارم", "بیمه نداریم", "بدون بیمه"),
        "tr": ("sigortam yok", "sigorta yok", "sigortasız*", "sigortamız yok"),
    },
}

#: Letters typed either way, folded to one (after bot.places.fold).
_SPELLINGS = str.maketrans({"ı": "i", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})
#: Clitics written onto an Arabic-script word: a conjunction, then a preposition and/or the article.
_ARABIC_CLITICS = r"(?:[وف]?(?:[بلک]?ال|لل|[بلک])?)"
#: German/English inflection endings of whole-word entries.
_ENDINGS = r"(?:e|en|er|n|s|es|ern|in|innen)?"


def _fold(text: str) -> str:
    return fold(text).translate(_SPELLINGS)


def _entry_pattern(entry: str, language: str) -> str:
    prefix = entry.endswith("*")
    folded = re.escape(_fold(entry.rstrip("*")))
    clitics = _ARABIC_CLITICS if language == "ar" else ""
    return rf"(?<!\w){clitics}{folded}" + (r"\w*" if prefix else rf"{_ENDINGS}(?!\w)")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for group, by_language in _WORDS.items():
        entries = [(entry, language) for language, words in by_language.items() for entry in words]
        # longer entries first, so that a phrase wins over its first word
        entries.sort(key=lambda e: len(e[0].rstrip("*")), reverse=True)
        out.append((group, re.compile("|".join(_entry_pattern(e, language) for e, language in entries))))
    return tuple(out)


def target_groups_in(text: str) -> list[tuple[str, int, int]]:
    """(group, start, end) for each hint, offsets in the folded text (approximate for the raw text)."""
    folded = _fold(text or "")
    found: list[tuple[str, int, int]] = []
    for group, pattern in _patterns():
        m = pattern.search(folded)
        if m:
            found.append((group, m.start(), m.end()))
    return found

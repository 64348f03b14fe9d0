"""bot.transliteration: Latin-letter Arabic, Persian, Russian and Ukrainian respelled for the encoder."""
import pytest

from bot.transliteration import mostly_latin, native_spelling


@pytest.mark.parametrize("text, language, expected", [
    ("byvshiy muzh do sih por pishet ugrozy", "ru", "бывший муж до сих пор пишет угрозы"),
    ("gde nayti vracha?", "ru", "где найти врача?"),
    ("de znayty zhytlo", "uk", "де знайти житло"),
    ("khloptsi kazhut shcho bude hirshe", "uk", "хлопці кажут що буде гірше"),
    # Arabizi: digits that stand for letters become those letters; short medial a/e are left out.
    ("ana 3aref", "ar", "انا عرف"),
    ("la7ali", "ar", "لحلي"),
    ("shu", "ar", "شو"),
    # Finglish: Persian letters (پ چ گ ک ی), a final e is he.
    ("bache", "fa", "بچه"),
    ("kasi hast komak kone", "fa", "کسی هست کمک کنه"),
    ("polis", "fa", "پلیس"),
])
def test_latin_words_are_respelled_in_the_languages_script(text, language, expected):
    assert native_spelling(text, language) == expected


def test_numbers_office_words_and_place_names_stay_as_they_are():
    assert native_spelling("ana 16 sene bel Heim", "ar") == "انا 16 سنه بل Heim"
    assert native_spelling("zhivu v Spandau, nuzhen Jobcenter", "ru") == "живу в Spandau, нужен Jobcenter"


@pytest.mark.parametrize("text, language", [
    ("wo finde ich einen Arzt", "de"),      # languages written in Latin letters anyway
    ("where is the Jobcenter", "en"),
    ("doktor lazim", "tr"),
    ("где найти врача в Spandau", "ru"),     # already in its own script
    ("وين بلاقي دكتور", "ar"),
    ("", "ar"),
    ("kasi hast", None),                     # no language known
])
def test_other_texts_are_not_respelled(text, language):
    assert native_spelling(text, language) is None


def test_mostly_latin_counts_letters_not_words():
    assert mostly_latin("ana bade Kita")
    assert not mostly_latin("بدي روضة Kita")
    assert not mostly_latin("123 ?!")

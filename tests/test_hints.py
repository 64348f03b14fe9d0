"""Target-group hints (bot.hints) in the seven languages: what they find, and everyday words they must
not take for a hint (a wrong hint puts services for a group the person is not in first)."""
from __future__ import annotations

import pytest

from bot.hints import _WORDS, target_groups_in
from bot.language import SUPPORTED_LANGUAGES
from bot.places import fold
from bot.taxonomy import TARGET_GROUPS


def groups(text: str) -> set[str]:
    return {group for group, _, _ in target_groups_in(text)}


@pytest.mark.parametrize("text, group", [
    # de / en
    ("Beratung für Frauen in Neukölln", "women"),
    ("my kids need a Kita place", "children"),
    ("ich bin schwul und suche Hilfe", "lgbtiq"),
    # ru
    ("где консультация для женщин?", "women"),
    ("моему ребёнку нужен детский сад", "children"),
    ("мы семья с тремя детьми", "families"),
    ("я гей, где мне помогут", "lgbtiq"),
    ("у меня нет страховки, куда идти к врачу", "uninsured"),
    ("мама пожилая, ей 80 лет", "elderly"),
    # uk
    ("допомога для жінок після насильства", "women"),
    ("моя дитина не має місця в школі", "children"),
    ("наша сім'я шукає житло", "families"),
    ("я з України, маю параграф 24", "ukraine"),
    ("ми з чоловіком інваліди", "disabled"),
    # ar
    ("وين في مساعدة للنساء؟", "women"),
    ("بدي روضة لأطفالي", "children"),
    ("عائلتي كلها هون وما عنا بيت", "families"),
    ("انا مثلي الجنس وخايف", "lgbtiq"),
    ("انا طالب لجوء جديد", "asylum_seekers"),
    ("ما عندي تأمين صحي", "uninsured"),
    ("ابي كرسي متحرك ومسن", "elderly"),
    # fa
    ("مشاوره برای زنان کجاست؟", "women"),
    ("بچه‌ام مدرسه ندارد", "children"),
    ("خانواده‌ام پنج نفر هستیم", "families"),
    ("من همجنسگرا هستم", "lgbtiq"),
    ("بیمه ندارم، دکتر کجا برم", "uninsured"),
    ("پناهجو هستم و تازه آمدم", "asylum_seekers"),
    # tr
    ("kadınlar için danışma var mı", "women"),
    ("çocuğum için kreş arıyorum", "children"),
    ("cocugum icin okul lazim", "children"),
    ("ailemle birlikte ev arıyoruz", "families"),
    ("eşcinselim, yardım lazım", "lgbtiq"),
    ("sigortam yok doktora nasıl giderim", "uninsured"),
    ("engelli oğlum var", "disabled"),
])
def test_hint_found(text, group):
    assert group in groups(text)


@pytest.mark.parametrize("text", [
    "у нас семь человек в одной комнате",  # ru 'seven'
    "мне нужен синий паспорт",  # uk/ru 'синий' is not 'son'
    "літній табір для школи",  # uk 'summer', not 'elderly'
    "ناس مثلي ما بيعرفوا وين يروحوا",  # ar 'like me'
    "عم بنتعلم ألماني",  # ar 'we are learning' starts like 'بنت'
    "معاقب من الشرطة",  # ar 'punished'
    "زندگی در برلین سخته",  # fa 'life'
    "وزن بچه",  # fa 'weight' + child: only the child counts
    "بزن بریم اداره",  # fa 'let's go'
    "zindegi sakht ast",
    "kızgınım çünkü iş yok",  # tr 'angry'
    "ich möchte das Angebot annehmen",  # de 'annehmen' is not tr 'anne'
])
def test_everyday_words_are_not_hints(text):
    found = groups(text)
    assert found <= ({"children"} if "بچه" in text else set()), found


def test_every_group_has_words_in_every_language_and_only_known_groups():
    # de and en share one list (they share many words: "trans", "baby", "student")
    languages = {"de_en"} | (set(SUPPORTED_LANGUAGES) - {"de", "en"})
    for group, by_language in _WORDS.items():
        assert group in TARGET_GROUPS
        assert set(by_language) == languages, group
        assert all(by_language.values()), group


def test_hint_offsets_point_at_the_word_in_the_folded_text():
    [(group, start, end)] = target_groups_in("Hilfe für Frauen")
    assert group == "women" and fold("Hilfe für Frauen")[start:end] == fold("Frauen")

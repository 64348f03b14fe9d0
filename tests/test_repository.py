"""Repository queries against SQLite and PostgreSQL with the real catalog loaded."""
from __future__ import annotations

import pytest

from bot.repository import DirectoryRepository
from bot.taxonomy import TOPIC_SLUGS


@pytest.fixture
def repo(loaded_db):
    return DirectoryRepository(loaded_db)


def test_every_topic_has_its_responsible_office(repo):
    for slug in TOPIC_SLUGS:
        office = repo.responsible_office(slug)
        assert office is not None and office.name_de, slug


def test_services_without_district_are_berlin_wide_and_at_most_three(repo):
    for slug in TOPIC_SLUGS:
        result = repo.services_for_topic(slug)
        assert 1 <= len(result.services) <= 3, slug
        assert all(s.district_id is None for s in result.services), slug
        assert all(slug in s.topics for s in result.services)


def test_emergency_numbers_only_answer_emergencies(repo):
    assert all(s.kind != "emergency_number" for s in repo.services_for_topic("health", limit=50).services)


def test_district_services_come_first_and_never_from_other_districts(repo):
    all_districts = repo.districts()
    seen_local = False
    for district in all_districts:
        for slug in TOPIC_SLUGS:
            result = repo.services_for_topic(slug, district_id=district.id, limit=50)
            assert all(s.district_id in (None, district.id) for s in result.services)
            locals_ = [i for i, s in enumerate(result.services) if s.district_id == district.id]
            if locals_:
                seen_local = True
                assert result.local_found
                assert locals_ == list(range(len(locals_))), (district.id, slug)
    assert seen_local, "the catalog has district offices; some topic must have a local one"


def test_bezirksamt_is_the_fallback_where_a_district_has_no_local_office(repo):
    fallbacks = 0
    for district in repo.districts():
        for slug in TOPIC_SLUGS:
            result = repo.services_for_topic(slug, district_id=district.id)
            if not result.local_found:
                assert result.district_office is not None
                assert result.district_office.name_de.startswith("Bezirksamt")
                assert result.district_office.district_id == district.id
                assert result.services, "Berlin-wide services are still listed"
                fallbacks += 1
    assert fallbacks > 0


def test_target_group_services_come_first_but_the_best_general_one_stays(repo):
    general = repo.services_for_topic("housing")
    for_group = repo.services_for_topic("housing", target_group="lgbtiq")
    assert "target_group" not in for_group.filters_relaxed and len(for_group.services) == 3
    # two of three places for the group's services, the third for the topic's best general one
    assert [("lgbtiq" in s.target_groups) for s in for_group.services] == [True, True, False]
    assert for_group.services[2].id == general.services[0].id
    # a sick child: the health services are still named
    child_health = repo.services_for_topic("health", target_group="children")
    assert child_health.services[0].target_groups and "children" in child_health.services[0].target_groups
    assert repo.services_for_topic("health").services[0].id in [s.id for s in child_health.services]


def test_target_group_no_service_matches_is_reported_and_the_list_stays(repo):
    relaxed = repo.services_for_topic("democracy", target_group="landlords")
    plain = repo.services_for_topic("democracy")
    assert "target_group" in relaxed.filters_relaxed
    assert [s.id for s in relaxed.services] == [s.id for s in plain.services]


@pytest.mark.parametrize("text, district_id, ortsteil", [
    ("Britz", "neukoelln", True),
    ("Kreuzberg", "friedrichshain_kreuzberg", True),
    ("ich wohne in pankow", "pankow", False),
    ("Neukoelln", "neukoelln", False),
    ("NEUKÖLLN", "neukoelln", False),
    ("wir leben in einem heim in Spandau", "spandau", False),
    ("Prenzlauer Berg", "pankow", True),
    ("Treptow", "treptow_koepenick", False),
    ("Mitte", "mitte", False),
    ("i live in wedding", "mitte", True),
    ("Märkisches Viertel", "reinickendorf", True),
])
def test_district_from_place(repo, text, district_id, ortsteil):
    match = repo.district_from_place(text)
    assert match is not None and match.district.id == district_id and match.is_ortsteil == ortsteil


@pytest.mark.parametrize("text", ["", "   ", "Hamburg", "ich suche ein buch", "wedding dress", "in der mitte des monats ist das geld weg"])
def test_no_district_from_non_places(repo, text):
    assert repo.district_from_place(text) is None


def test_search_services_filters(repo):
    assert all("health" in s.topics for s in repo.search_services(topic="health"))
    assert all(s.district_id in (None, "mitte") for s in repo.search_services(district_id="mitte"))


def test_stats(repo):
    stats = repo.stats()
    assert stats.districts == 12 and stats.topics == 19 and stats.total > 100
    assert 0 < stats.without_phone < stats.total

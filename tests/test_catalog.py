"""The catalog: the real one is valid and complete; bad input is refused whole; loading is
idempotent; export round-trips."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.catalog import CatalogError, export_catalog, load_catalog_dir, read_catalog, without_private
from bot.db import migrate, session_scope
from bot.models import District, Ortsteil, Service, Topic
from bot.settings import PROJECT_ROOT
from bot.taxonomy import TOPIC_SLUGS
from tests.conftest import CATALOG_DIR

REFERENCE = PROJECT_ROOT.parent / "shared" / "reference" / "berlin_services.yml"


def test_real_catalog_is_valid():
    cat = read_catalog(CATALOG_DIR)
    assert [t["slug"] for t in cat.topics] == list(TOPIC_SLUGS)
    assert len(cat.districts) == 12
    assert len(cat.services) > 100


def test_every_topic_has_responsible_office_and_two_services():
    cat = read_catalog(CATALOG_DIR)
    ids = {s["id"] for s in cat.services}
    for topic in cat.topics:
        assert topic["responsible_office"] in ids, topic["slug"]
        serving = [s for s in cat.services if topic["slug"] in s["topics"]]
        assert len(serving) >= 2, topic["slug"]


def test_every_entry_has_source_and_date():
    for s in read_catalog(CATALOG_DIR).services:
        assert s["source_url"].startswith("http"), s["id"]
        assert s["source_date"], s["id"]


def test_emergency_numbers_110_and_112_are_in_the_catalog():
    phones = {s["phone"] for s in read_catalog(CATALOG_DIR).services if s["kind"] == "emergency_number"}
    assert {"110", "112"} <= phones


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference is not beside the repository")
def test_no_contact_data_is_invented():
    """Every phone number, e-mail, web address and source URL of the catalog appears in the research file."""
    reference = REFERENCE.read_text(encoding="utf-8")
    digits_in_reference = re.sub(r"\D", "", reference)
    for s in read_catalog(CATALOG_DIR).services:
        if s["phone"]:
            assert re.sub(r"\D", "", s["phone"]) in digits_in_reference, (s["id"], s["phone"])
        for field in ("email", "web", "source_url"):
            if s[field]:
                assert s[field].rstrip("/") in reference, (s["id"], field, s[field])


# ------------------------------------------------------------------------------------- bad input


def _edit(catalog: Path, rel: str, fn) -> None:
    path = catalog / rel
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _first_service_file(catalog: Path) -> str:
    return "services/" + sorted(p.name for p in (catalog / "services").glob("*.yml"))[0]


BAD_INPUTS = {
    "missing field": (lambda e: e[0].pop("source_url"), "field 'source_url': missing"),
    "unknown topic": (lambda e: e[0]["topics"].append("astrology"), "field 'topics': unknown value 'astrology'"),
    "unknown district": (lambda e: e[0].__setitem__("district", "atlantis"), "field 'district': unknown district"),
    "malformed url": (lambda e: e[0].__setitem__("web", "www.example"), "field 'web': 'www.example' is not an http(s) URL"),
    "malformed phone": (lambda e: e[0].__setitem__("phone", "call 030 123"), "field 'phone'"),
    "too short phone": (lambda e: e[0].__setitem__("phone", "12"), "field 'phone'"),
    "malformed email": (lambda e: e[0].__setitem__("email", "info(at)example.org"), "field 'email'"),
    "bad date": (lambda e: e[0].__setitem__("source_date", "last year"), "field 'source_date'"),
    "bad status": (lambda e: e[0].__setitem__("status", "fresh"), "field 'status': unknown status"),
    "missing translation": (lambda e: e[0]["description"].pop("en"), "field 'description': translation missing for en"),
    "unknown field": (lambda e: e[0].__setitem__("fax", "030 1"), "field 'fax': unknown field"),
    "duplicate id": (lambda e: e.append(dict(e[0])), "duplicate id"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_naming_file_entry_and_field(catalog_copy, case):
    change, expected = BAD_INPUTS[case]
    rel = _first_service_file(catalog_copy)
    entry_id = yaml.safe_load((catalog_copy / rel).read_text(encoding="utf-8"))[0]["id"]
    _edit(catalog_copy, rel, change)
    with pytest.raises(CatalogError) as err:
        read_catalog(catalog_copy)
    message = str(err.value)
    assert rel in message and f"entry '{entry_id}'" in message and expected in message, message


def test_broken_yaml_names_file_and_line(catalog_copy):
    (catalog_copy / "districts.yml").write_text("- id: mitte\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"districts.yml \(line \d+\): not valid YAML"):
        read_catalog(catalog_copy)


def test_unknown_responsible_office_is_refused(catalog_copy):
    _edit(catalog_copy, "topics.yml", lambda e: e[0].__setitem__("responsible_office", "nobody"))
    with pytest.raises(CatalogError, match="topics.yml: entry 'arrival': field 'responsible_office'"):
        read_catalog(catalog_copy)


def test_topic_without_enough_services_is_refused(catalog_copy):
    def drop_democracy(entries):
        for e in entries:
            if "democracy" in e["topics"] and e["topics"][0] != "democracy":
                e["topics"].remove("democracy")
    for path in catalog_copy.rglob("*.yml"):
        rel = str(path.relative_to(catalog_copy))
        if rel not in ("topics.yml", "districts.yml"):
            _edit(catalog_copy, rel, drop_democracy)
    democracy = catalog_copy / "services" / "democracy.yml"
    entries = yaml.safe_load(democracy.read_text(encoding="utf-8"))
    democracy.write_text(yaml.safe_dump(entries[:1], allow_unicode=True, sort_keys=False), encoding="utf-8")
    _edit(catalog_copy, "topics.yml", lambda e: [t.__setitem__("responsible_office", entries[0]["id"])
                                                  for t in e if t["slug"] == "democracy"])
    with pytest.raises(CatalogError, match="'democracy'.*only 1 catalog entries serve this topic"):
        read_catalog(catalog_copy)


def _counts(url):
    with session_scope(url) as s:
        return tuple(s.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Topic, District, Ortsteil, Service))


def test_bad_catalog_leaves_database_untouched(loaded_db, catalog_copy):
    before = _counts(loaded_db)
    rel = _first_service_file(catalog_copy)
    _edit(catalog_copy, rel, lambda e: (e[0].__setitem__("name_de", "CHANGED"), e[1].__setitem__("phone", "x")))
    with pytest.raises(CatalogError):
        with session_scope(loaded_db) as session:
            load_catalog_dir(session, catalog_copy)
    assert _counts(loaded_db) == before
    with session_scope(loaded_db) as session:
        assert session.execute(select(func.count()).select_from(Service).where(Service.name_de == "CHANGED")).scalar_one() == 0


# ---------------------------------------------------------------------------- loading and export


def test_loading_twice_changes_nothing(db_url):
    migrate(db_url)
    with session_scope(db_url) as session:
        first = load_catalog_dir(session, CATALOG_DIR)
    with session_scope(db_url) as session:
        second = load_catalog_dir(session, CATALOG_DIR)
    assert first.created > 100 and first.updated == 0
    assert second.created == 0 and second.updated == 0 and second.unchanged == first.created
    counts = _counts(db_url)
    assert counts[0] == 19 and counts[1] == 12 and counts[2] > 90


def test_changed_entry_is_updated_by_id(loaded_db, catalog_copy):
    rel = _first_service_file(catalog_copy)
    entry_id = yaml.safe_load((catalog_copy / rel).read_text(encoding="utf-8"))[0]["id"]
    _edit(catalog_copy, rel, lambda e: e[0].__setitem__("opening_hours", "Mo 9-12"))
    with session_scope(loaded_db) as session:
        report = load_catalog_dir(session, catalog_copy)
    assert report.updated == 1 and report.created == 0
    with session_scope(loaded_db) as session:
        assert session.get(Service, entry_id).opening_hours == "Mo 9-12"


def test_entries_only_in_database_are_kept_unless_pruned(loaded_db, catalog_copy):
    rel = _first_service_file(catalog_copy)
    entries = yaml.safe_load((catalog_copy / rel).read_text(encoding="utf-8"))
    removed = next(e["id"] for e in entries if not _is_referenced(catalog_copy, e["id"]))
    _edit(catalog_copy, rel, lambda e: e.remove(next(x for x in e if x["id"] == removed)))
    with session_scope(loaded_db) as session:
        kept = load_catalog_dir(session, catalog_copy)
    assert kept.not_in_catalog == [removed]
    with session_scope(loaded_db) as session:
        assert session.get(Service, removed) is not None
        pruned = load_catalog_dir(session, catalog_copy, prune=True)
    assert pruned.pruned == [removed]
    with session_scope(loaded_db) as session:
        assert session.get(Service, removed) is None


def _is_referenced(catalog: Path, entry_id: str) -> bool:
    text = (catalog / "topics.yml").read_text(encoding="utf-8") + (catalog / "districts.yml").read_text(encoding="utf-8")
    return entry_id in text


def test_export_round_trips(loaded_db, tmp_path):
    with session_scope(loaded_db) as session:
        export_catalog(session, tmp_path / "exported")
    original, exported = read_catalog(CATALOG_DIR), read_catalog(tmp_path / "exported")
    assert exported.topics == original.topics
    assert exported.districts == original.districts
    key = lambda s: s["id"]  # noqa: E731
    assert sorted(exported.services, key=key) == sorted(original.services, key=key)
    # The export of a fresh load is byte-identical to the catalog files.
    for path in CATALOG_DIR.rglob("*.yml"):
        rel = path.relative_to(CATALOG_DIR)
        assert (tmp_path / "exported" / rel).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), rel


def test_database_edit_shows_in_export(loaded_db, tmp_path):
    with session_scope(loaded_db) as session:
        s = session.execute(select(Service).where(Service.kind == "counselling").order_by(Service.id)).scalars().first()
        s.phone = "030 1234567"
        edited = s.id
    with session_scope(loaded_db) as session:
        export_catalog(session, tmp_path / "exported")
    entry = next(e for e in without_private(read_catalog(tmp_path / "exported").services) if e["id"] == edited)
    assert entry["phone"] == "030 1234567"

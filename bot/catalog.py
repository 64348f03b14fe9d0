"""The catalog: reading, validating, loading (upsert by id) and exporting the directory's YAML source.

Validation collects every problem first; only a catalog without problems is written, in one
transaction, so bad input never leaves a half-loaded directory.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import language as languages
from bot.models import District, Ortsteil, Service, ServiceLanguage, ServiceTargetGroup, ServiceTopic, Topic
from bot.taxonomy import KINDS, SITUATIONS, STATUSES, TARGET_GROUPS, TOPIC_SLUGS

TOPICS_FILE = "topics.yml"
DISTRICTS_FILE = "districts.yml"
EMERGENCY_FILE = "emergency_numbers.yml"
SENATE_FILE = "offices/senate_departments.yml"
DISTRICT_OFFICES_FILE = "offices/district_offices.yml"
SERVICES_DIR = "services"

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
PHONE_RE = re.compile(r"^\+?\(?[0-9][0-9 ()/\-]*[0-9]$")
EMAIL_RE = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[a-z]{2,}$", re.IGNORECASE)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
DATE_RE = re.compile(r"^(n\.d\.|\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")

# Field order of an entry, as exported.
SERVICE_FIELDS: tuple[str, ...] = (
    "id", "kind", "name_de", "names", "description", "topics", "target_groups", "languages",
    "languages_note", "district", "address", "phone", "email", "web", "opening_hours",
    "appointment_needed", "priority", "situations", "source_url", "source_date", "status", "notes",
)
SERVICE_REQUIRED: frozenset[str] = frozenset({
    "id", "kind", "name_de", "description", "topics", "target_groups", "languages", "district",
    "address", "phone", "email", "web", "source_url", "source_date", "status",
})
SERVICE_DEFAULTS: dict[str, Any] = {
    "names": {}, "languages_note": "", "opening_hours": "", "appointment_needed": None,
    "priority": 50, "situations": [], "notes": "",
}
TOPIC_FIELDS: tuple[str, ...] = (
    "slug", "field", "covers", "responsible_seed", "department_current", "responsible_office",
    "orientation", "source_url", "source_date", "notes",
)
TOPIC_REQUIRED: frozenset[str] = frozenset(TOPIC_FIELDS) - {"notes", "department_current"}
DISTRICT_FIELDS: tuple[str, ...] = (
    "id", "name", "number", "ortsteile", "aliases", "office", "source_url", "source_date", "status",
)
DISTRICT_REQUIRED: frozenset[str] = frozenset(DISTRICT_FIELDS) - {"aliases"}

MIN_SERVICES_PER_TOPIC = 2


class CatalogError(Exception):
    """The catalog has problems; ``problems`` lists each with file, entry and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the catalog:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class Catalog:
    """The parsed, validated catalog: plain dicts in schema order, each service with its file."""

    topics: list[dict[str, Any]] = field(default_factory=list)
    districts: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)  # with "_file" relative path


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_catalog: list[str] = field(default_factory=list)  # ids in the database only (kept)
    pruned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.pruned:
            text += f", {len(self.pruned)} removed ({', '.join(self.pruned)})"
        if self.not_in_catalog:
            text += (
                f"; kept {len(self.not_in_catalog)} database entries that are not in the catalog "
                f"({', '.join(self.not_in_catalog)}): export them or load with --prune"
            )
        return text


# --------------------------------------------------------------------------------------------- reading


def _read_yaml_list(path: Path, rel: str, problems: list[str]) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problems.append(f"{rel}{where}: not valid YAML: {getattr(exc, 'problem', exc)}")
        return []
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{rel}: cannot be read: {exc}")
        return []
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        problems.append(f"{rel}: must be a list of entries (mappings)")
        return []
    return data


def service_files(catalog_dir: Path) -> list[str]:
    """Relative paths of every file that holds offices, services or emergency numbers."""
    rels = [SENATE_FILE, DISTRICT_OFFICES_FILE, EMERGENCY_FILE]
    services_dir = catalog_dir / SERVICES_DIR
    if services_dir.is_dir():
        rels += sorted(f"{SERVICES_DIR}/{p.name}" for p in services_dir.glob("*.yml"))
    return rels


def read_catalog(catalog_dir: Path) -> Catalog:
    """Parse and validate the catalog folder; raise :class:`CatalogError` listing every problem."""
    catalog_dir = Path(catalog_dir)
    problems: list[str] = []
    if not catalog_dir.is_dir():
        raise CatalogError([f"{catalog_dir}: catalog folder does not exist"])
    for required in (TOPICS_FILE, DISTRICTS_FILE, SENATE_FILE, DISTRICT_OFFICES_FILE, EMERGENCY_FILE):
        if not (catalog_dir / required).is_file():
            problems.append(f"{required}: file is missing")
    cat = Catalog()
    if (catalog_dir / TOPICS_FILE).is_file():
        cat.topics = _read_yaml_list(catalog_dir / TOPICS_FILE, TOPICS_FILE, problems)
    if (catalog_dir / DISTRICTS_FILE).is_file():
        cat.districts = _read_yaml_list(catalog_dir / DISTRICTS_FILE, DISTRICTS_FILE, problems)
    for rel in service_files(catalog_dir):
        if (catalog_dir / rel).is_file():
            for entry in _read_yaml_list(catalog_dir / rel, rel, problems):
                entry = dict(entry)
                entry["_file"] = rel
                cat.services.append(entry)
    problems += validate(cat)
    if problems:
        raise CatalogError(problems)
    cat.topics = [_ordered(t, TOPIC_FIELDS, {"notes": "", "department_current": ""}) for t in cat.topics]
    cat.districts = [_ordered(d, DISTRICT_FIELDS, {"aliases": []}) for d in cat.districts]
    cat.services = [
        {**_ordered(s, SERVICE_FIELDS, SERVICE_DEFAULTS), "_file": s["_file"]} for s in cat.services
    ]
    return cat


def _ordered(entry: dict[str, Any], fields: Iterable[str], defaults: dict[str, Any]) -> dict[str, Any]:
    return {f: entry.get(f, defaults.get(f)) if f in entry or f in defaults else None for f in fields}


# ------------------------------------------------------------------------------------------ validation


class _Checker:
    def __init__(self, problems: list[str], rel: str, entry_id: str):
        self.problems, self.rel, self.entry_id = problems, rel, entry_id

    def bad(self, field_name: str, message: str) -> None:
        self.problems.append(f"{self.rel}: entry '{self.entry_id}': field '{field_name}': {message}")

    def fields(self, entry: dict[str, Any], allowed: Iterable[str], required: Iterable[str]) -> None:
        allowed = set(allowed) | {"_file"}
        for name in sorted(set(required) - set(entry)):
            self.bad(name, "missing")
        for name in sorted(set(entry) - allowed):
            self.bad(name, "unknown field (typo?)")

    def text(self, entry: dict[str, Any], name: str, *, required: bool = False, pattern=None, what="") -> None:
        if name not in entry:
            return
        value = entry[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.bad(name, f"must be text, got {type(value).__name__}")
            return
        if required and not value.strip():
            self.bad(name, "must not be empty")
        elif value and pattern is not None and not pattern.match(value):
            self.bad(name, f"{value!r} is not {what}")

    def str_list(self, entry: dict[str, Any], name: str, vocabulary=None, pattern=None, non_empty=False) -> list:
        if name not in entry:
            return []
        value = entry[name] if entry[name] is not None else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(name, "must be a list of text values")
            return []
        if non_empty and not value:
            self.bad(name, "must not be empty")
        if len(set(value)) != len(value):
            self.bad(name, "has a value twice")
        for v in value:
            if vocabulary is not None and v not in vocabulary:
                self.bad(name, f"unknown value {v!r} (allowed: {', '.join(vocabulary)})")
            if pattern is not None and not pattern.match(v):
                self.bad(name, f"{v!r} is not valid")
        return value

    def translations(self, entry: dict[str, Any], name: str, required_languages: Iterable[str]) -> None:
        if name not in entry:
            return
        value = entry[name]
        if value is None:
            value = {}
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            self.bad(name, "must map language codes to text")
            return
        for lang in value:
            if lang not in languages.SUPPORTED_LANGUAGES:
                self.bad(name, f"unsupported language {lang!r}")
        missing = [lang for lang in required_languages if not (value.get(lang) or "").strip()]
        if missing:
            self.bad(name, f"translation missing for {', '.join(missing)}")

    def phone(self, entry: dict[str, Any]) -> None:
        self.text(entry, "phone", pattern=PHONE_RE, what="a phone number (digits, spaces, + ( ) / - only)")
        value = entry.get("phone")
        if isinstance(value, str) and value and PHONE_RE.match(value):
            digits = sum(c.isdigit() for c in value)
            if not 3 <= digits <= 15:
                self.bad("phone", f"{value!r} has {digits} digits; a phone number has 3 to 15")


def validate(cat: Catalog) -> list[str]:
    """Every problem of a parsed catalog, each naming file, entry and field."""
    problems: list[str] = []
    required_langs = languages.REQUIRED_TEXT_LANGUAGES

    # Services, offices, emergency numbers.
    seen_ids: dict[str, str] = {}
    district_ids = {d.get("id") for d in cat.districts}
    for s in cat.services:
        rel = s["_file"]
        sid = s.get("id")
        c = _Checker(problems, rel, str(sid))
        c.fields(s, SERVICE_FIELDS, SERVICE_REQUIRED)
        if not isinstance(sid, str) or not ID_RE.match(sid):
            c.bad("id", f"{sid!r} is not a valid id (lowercase letters, digits, underscore)")
        elif sid in seen_ids:
            c.bad("id", f"duplicate id, also in {seen_ids[sid]}")
        else:
            seen_ids[sid] = rel
        if "kind" in s and s["kind"] not in KINDS:
            c.bad("kind", f"unknown kind {s['kind']!r} (allowed: {', '.join(KINDS)})")
        c.text(s, "name_de", required=True)
        c.translations(s, "names", ())
        c.translations(s, "description", required_langs)
        topics = c.str_list(s, "topics", vocabulary=TOPIC_SLUGS, non_empty=True)
        c.str_list(s, "target_groups", vocabulary=TARGET_GROUPS)
        c.str_list(s, "languages", pattern=LANG_RE)
        c.str_list(s, "situations", vocabulary=SITUATIONS)
        c.text(s, "languages_note")
        if "district" in s and s["district"] is not None and s["district"] not in district_ids:
            c.bad("district", f"unknown district {s['district']!r} (use a district id or null for Berlin-wide)")
        c.text(s, "address")
        c.phone(s)
        c.text(s, "email", pattern=EMAIL_RE, what="an e-mail address")
        c.text(s, "web", pattern=URL_RE, what="an http(s) URL")
        c.text(s, "opening_hours")
        c.text(s, "source_url", required=True, pattern=URL_RE, what="an http(s) URL")
        c.text(s, "source_date", required=True, pattern=DATE_RE, what="a date (YYYY, YYYY-MM, YYYY-MM-DD or n.d.)")
        if "status" in s and s["status"] not in STATUSES:
            c.bad("status", f"unknown status {s['status']!r} (allowed: {', '.join(STATUSES)})")
        if s.get("appointment_needed") not in (None, True, False):
            c.bad("appointment_needed", "must be true, false or null")
        if "priority" in s and (not isinstance(s["priority"], int) or isinstance(s["priority"], bool)
                                or not 1 <= s["priority"] <= 99):
            c.bad("priority", "must be a whole number from 1 to 99")
        c.text(s, "notes")
        if topics and rel.startswith(SERVICES_DIR + "/") and topics[0] != Path(rel).stem:
            c.bad("topics", f"first topic {topics[0]!r} does not match the file ({Path(rel).stem}.yml)")
        if s.get("kind") == "emergency_number" and "emergency" not in topics:
            c.bad("topics", "an emergency number must list the topic 'emergency'")
        if rel == EMERGENCY_FILE and s.get("kind") != "emergency_number":
            c.bad("kind", f"entries in {EMERGENCY_FILE} must be of kind emergency_number")
        if rel.startswith(SERVICES_DIR + "/") and Path(rel).stem not in TOPIC_SLUGS:
            c.bad("topics", f"{rel} is not named after a topic slug")

    services_by_id = {s.get("id"): s for s in cat.services}

    # Topics.
    seen_slugs: set[str] = set()
    for t in cat.topics:
        slug = t.get("slug")
        c = _Checker(problems, TOPICS_FILE, str(slug))
        c.fields(t, TOPIC_FIELDS, TOPIC_REQUIRED)
        if slug not in TOPIC_SLUGS:
            c.bad("slug", f"unknown topic slug {slug!r}")
        elif slug in seen_slugs:
            c.bad("slug", "duplicate topic")
        seen_slugs.add(slug)
        for name in ("field", "covers", "responsible_seed"):
            c.text(t, name, required=True)
        c.text(t, "department_current")
        c.translations(t, "orientation", required_langs)
        c.text(t, "source_url", required=True, pattern=URL_RE, what="an http(s) URL")
        c.text(t, "source_date", required=True, pattern=DATE_RE, what="a date (YYYY, YYYY-MM, YYYY-MM-DD or n.d.)")
        office = t.get("responsible_office")
        if "responsible_office" in t and office not in services_by_id:
            c.bad("responsible_office", f"no catalog entry with id {office!r}")
    for slug in TOPIC_SLUGS:
        if cat.topics and slug not in seen_slugs:
            problems.append(f"{TOPICS_FILE}: topic '{slug}' is missing")

    # Districts.
    seen_district: dict[str, str] = {}
    seen_numbers: set[int] = set()
    place_names: dict[str, str] = {}
    for d in cat.districts:
        did = d.get("id")
        c = _Checker(problems, DISTRICTS_FILE, str(did))
        c.fields(d, DISTRICT_FIELDS, DISTRICT_REQUIRED)
        if not isinstance(did, str) or not ID_RE.match(did):
            c.bad("id", f"{did!r} is not a valid id")
        elif did in seen_district:
            c.bad("id", "duplicate district id")
        seen_district[str(did)] = DISTRICTS_FILE
        c.text(d, "name", required=True)
        number = d.get("number")
        if not isinstance(number, int) or not 1 <= number <= 12 or number in seen_numbers:
            c.bad("number", "must be a unique district number from 1 to 12")
        else:
            seen_numbers.add(number)
        for name in c.str_list(d, "ortsteile", non_empty=True):
            if name in place_names and place_names[name] != did:
                c.bad("ortsteile", f"{name!r} is also an Ortsteil of {place_names[name]}")
            place_names[name] = str(did)
        c.str_list(d, "aliases")
        office = services_by_id.get(d.get("office"))
        if "office" in d and office is None:
            c.bad("office", f"no catalog entry with id {d.get('office')!r}")
        elif office is not None and office.get("district") != did:
            c.bad("office", f"entry {d.get('office')!r} is not located in this district")
        c.text(d, "source_url", required=True, pattern=URL_RE, what="an http(s) URL")
        c.text(d, "source_date", required=True, pattern=DATE_RE, what="a date (YYYY, YYYY-MM, YYYY-MM-DD or n.d.)")
        if "status" in d and d["status"] not in STATUSES:
            c.bad("status", f"unknown status {d['status']!r}")
    if cat.districts and len(cat.districts) != 12:
        problems.append(f"{DISTRICTS_FILE}: Berlin has 12 districts, the file has {len(cat.districts)}")

    # Coverage: every topic answerable.
    if not problems:
        for slug in TOPIC_SLUGS:
            n = sum(1 for s in cat.services if slug in (s.get("topics") or []))
            if n < MIN_SERVICES_PER_TOPIC:
                problems.append(
                    f"{TOPICS_FILE}: entry '{slug}': field 'topics': only {n} catalog entries serve this topic, "
                    f"at least {MIN_SERVICES_PER_TOPIC} are needed"
                )
    return problems


# --------------------------------------------------------------------------------------------- loading


def _service_columns(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": s["kind"],
        "name_de": s["name_de"],
        "names": dict(s["names"] or {}),
        "description": dict(s["description"] or {}),
        "district_id": s["district"],
        "address": s["address"] or "",
        "phone": s["phone"] or "",
        "email": s["email"] or "",
        "web": s["web"] or "",
        "opening_hours": s["opening_hours"] or "",
        "appointment_needed": s["appointment_needed"],
        "languages_note": s["languages_note"] or "",
        "situations": list(s["situations"] or []),
        "priority": s["priority"],
        "source_url": s["source_url"],
        "source_date": str(s["source_date"]),
        "status": s["status"],
        "notes": s["notes"] or "",
        "source_file": s["_file"],
    }


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _get_or_create(session: Session, model, **key):
    obj = session.get(model, tuple(key.values())[0])
    if obj is not None:
        return obj, False
    obj = model(**key)
    session.add(obj)
    return obj, True


def load_catalog(session: Session, cat: Catalog, *, prune: bool = False) -> LoadReport:
    """Upsert a validated catalog by id inside the caller's transaction."""
    report = LoadReport()

    def count(created: bool, changed: bool) -> None:
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1

    for t in cat.topics:
        obj, created = _get_or_create(session, Topic, slug=t["slug"])
        changed = _apply(obj, {
            "field": t["field"], "covers": t["covers"], "responsible_seed": t["responsible_seed"],
            "department_current": t["department_current"] or "", "responsible_office_id": t["responsible_office"],
            "orientation": dict(t["orientation"]), "source_url": t["source_url"],
            "source_date": str(t["source_date"]), "notes": t["notes"] or "",
        })
        count(created, changed)

    for d in cat.districts:
        obj, created = _get_or_create(session, District, id=d["id"])
        changed = _apply(obj, {
            "name": d["name"], "number": d["number"], "aliases": list(d["aliases"] or []),
            "office_id": d["office"], "source_url": d["source_url"], "source_date": str(d["source_date"]),
            "status": d["status"],
        })
        wanted = list(d["ortsteile"])
        if [o.name for o in obj.ortsteile] != wanted:
            obj.ortsteile.clear()
            session.flush()
            obj.ortsteile.extend(Ortsteil(name=name) for name in wanted)
            changed = True
        count(created, changed)
    session.flush()

    for s in cat.services:
        obj, created = _get_or_create(session, Service, id=s["id"])
        changed = _apply(obj, _service_columns(s))
        for links, current, wanted, rows in (
            (obj.topic_links, obj.topics, list(s["topics"]),
             [ServiceTopic(topic_slug=slug, position=i) for i, slug in enumerate(s["topics"])]),
            (obj.target_group_links, obj.target_groups, sorted(s["target_groups"]),
             [ServiceTargetGroup(target_group=g) for g in s["target_groups"]]),
            (obj.language_links, obj.languages, sorted(s["languages"]),
             [ServiceLanguage(language=lang) for lang in s["languages"]]),
        ):
            if current != wanted:
                links.clear()
                session.flush()  # delete the old links before inserting rows with the same keys
                links.extend(rows)
                changed = True
        count(created, changed)
    session.flush()

    catalog_ids = {s["id"] for s in cat.services}
    for (sid,) in session.execute(select(Service.id).order_by(Service.id)):
        if sid not in catalog_ids:
            if prune:
                session.delete(session.get(Service, sid))
                report.pruned.append(sid)
            else:
                report.not_in_catalog.append(sid)
    return report


def load_catalog_dir(session: Session, catalog_dir: Path, *, prune: bool = False) -> LoadReport:
    return load_catalog(session, read_catalog(catalog_dir), prune=prune)


# --------------------------------------------------------------------------------------------- export


def _service_entry(s: Service) -> dict[str, Any]:
    return {
        "id": s.id, "kind": s.kind, "name_de": s.name_de, "names": dict(s.names or {}),
        "description": dict(s.description or {}), "topics": s.topics, "target_groups": s.target_groups,
        "languages": s.languages, "languages_note": s.languages_note, "district": s.district_id,
        "address": s.address, "phone": s.phone, "email": s.email, "web": s.web,
        "opening_hours": s.opening_hours, "appointment_needed": s.appointment_needed,
        "priority": s.priority, "situations": list(s.situations or []), "source_url": s.source_url,
        "source_date": s.source_date, "status": s.status, "notes": s.notes,
    }


def _export_file_for(s: Service) -> str:
    if s.source_file:
        return s.source_file
    if s.kind == "emergency_number":
        return EMERGENCY_FILE
    if s.kind == "senate_department":
        return SENATE_FILE
    if s.kind == "district_office":
        return DISTRICT_OFFICES_FILE
    return f"{SERVICES_DIR}/{s.topics[0]}.yml"


def export_catalog(session: Session, out_dir: Path) -> list[Path]:
    """Write the database in the catalog's layout; returns the files written."""
    out_dir = Path(out_dir)
    files: dict[str, list[dict[str, Any]]] = {}
    topics = session.execute(select(Topic)).scalars().all()
    order = {slug: i for i, slug in enumerate(TOPIC_SLUGS)}
    files[TOPICS_FILE] = [
        {
            "slug": t.slug, "field": t.field, "covers": t.covers, "responsible_seed": t.responsible_seed,
            "department_current": t.department_current, "responsible_office": t.responsible_office_id,
            "orientation": dict(t.orientation or {}), "source_url": t.source_url, "source_date": t.source_date,
            "notes": t.notes,
        }
        for t in sorted(topics, key=lambda t: order.get(t.slug, 99))
    ]
    districts = session.execute(select(District).order_by(District.number)).scalars().all()
    files[DISTRICTS_FILE] = [
        {
            "id": d.id, "name": d.name, "number": d.number, "ortsteile": [o.name for o in d.ortsteile],
            "aliases": list(d.aliases or []), "office": d.office_id, "source_url": d.source_url,
            "source_date": d.source_date, "status": d.status,
        }
        for d in districts
    ]
    for s in session.execute(select(Service).order_by(Service.id)).scalars():
        files.setdefault(_export_file_for(s), []).append(_service_entry(s))
    written = []
    for rel, entries in sorted(files.items()):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(entries), encoding="utf-8")
        written.append(path)
    return written


EXPORT_HEADER = (
    "# Part of the directory's catalog; schema and rules in catalog/README.md.\n"
    "# Checked and loaded by `berlin-directory load`; `berlin-directory export` writes this same form.\n"
)


def dump_yaml(entries: list[dict[str, Any]]) -> str:
    return EXPORT_HEADER + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def without_private(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


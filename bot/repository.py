"""The directory's questions, one method each. Every call opens its own session and returns plain,
immutable views, so callers (actions, API) never hold a database session."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.db import session_scope
from bot.places import build_index, first_place
from bot.models import District, Ortsteil, Service, ServiceLanguage, ServiceTopic, Topic


@dataclass(frozen=True)
class ServiceView:
    id: str
    kind: str
    name_de: str
    names: dict
    description: dict
    topics: tuple[str, ...]
    target_groups: tuple[str, ...]
    languages: tuple[str, ...]
    languages_note: str
    district_id: Optional[str]
    district_name: Optional[str]
    address: str
    phone: str
    email: str
    web: str
    opening_hours: str
    appointment_needed: Optional[bool]
    situations: tuple[str, ...]
    priority: int
    source_url: str
    source_date: str
    status: str

    @property
    def possibly_outdated(self) -> bool:
        return self.status == "possibly_outdated"


@dataclass(frozen=True)
class DistrictView:
    id: str
    name: str
    number: int
    ortsteile: tuple[str, ...]
    aliases: tuple[str, ...]
    office_id: Optional[str]


@dataclass(frozen=True)
class TopicView:
    slug: str
    field: str
    covers: str
    responsible_seed: str
    department_current: str
    responsible_office_id: Optional[str]
    orientation: dict
    source_url: str
    source_date: str


@dataclass(frozen=True)
class PlaceMatch:
    district: DistrictView
    place: str  # the name that matched (district, alias or Ortsteil)
    is_ortsteil: bool


@dataclass(frozen=True)
class TopicServices:
    """Services for a topic, most relevant first, and how the district was served."""

    topic: str
    services: tuple[ServiceView, ...]
    district: Optional[DistrictView] = None
    local_found: bool = False  # the district has its own office for this topic
    district_office: Optional[ServiceView] = None  # the Bezirksamt, when there is no local office
    filters_relaxed: tuple[str, ...] = field(default=())  # target group / language without a match


@dataclass(frozen=True)
class DirectoryStats:
    services_by_kind: dict
    districts: int
    ortsteile: int
    topics: int
    without_phone: int
    possibly_outdated: int
    total: int


def _service_view(s: Service) -> ServiceView:
    return ServiceView(
        id=s.id, kind=s.kind, name_de=s.name_de, names=dict(s.names or {}), description=dict(s.description or {}),
        topics=tuple(s.topics), target_groups=tuple(s.target_groups), languages=tuple(s.languages),
        languages_note=s.languages_note, district_id=s.district_id,
        district_name=s.district.name if s.district is not None else None, address=s.address, phone=s.phone,
        email=s.email, web=s.web, opening_hours=s.opening_hours, appointment_needed=s.appointment_needed,
        situations=tuple(s.situations or ()), priority=s.priority, source_url=s.source_url,
        source_date=s.source_date, status=s.status,
    )


def _district_view(d: District) -> DistrictView:
    return DistrictView(
        id=d.id, name=d.name, number=d.number, ortsteile=tuple(o.name for o in d.ortsteile),
        aliases=tuple(d.aliases or ()), office_id=d.office_id,
    )


def _topic_view(t: Topic) -> TopicView:
    return TopicView(
        slug=t.slug, field=t.field, covers=t.covers, responsible_seed=t.responsible_seed,
        department_current=t.department_current, responsible_office_id=t.responsible_office_id,
        orientation=dict(t.orientation or {}), source_url=t.source_url, source_date=t.source_date,
    )


_SERVICE_LOAD = (
    selectinload(Service.topic_links),
    selectinload(Service.target_group_links),
    selectinload(Service.language_links),
    selectinload(Service.district),
)


class DirectoryRepository:
    """Read access to the directory. ``database_url`` defaults to the settings' DATABASE_URL."""

    #: How long the place-name index is reused before it is read again (directory edits need no restart).
    PLACE_INDEX_SECONDS = 60.0

    def __init__(self, database_url: Optional[str] = None):
        self.database_url = database_url
        self._places: Optional[tuple[float, list, dict]] = None  # (read at, index, district views by id)

    def _session(self):
        return session_scope(self.database_url)

    # -- topics ------------------------------------------------------------------------------------

    def topics(self) -> list[TopicView]:
        from bot.taxonomy import TOPIC_SLUGS

        with self._session() as session:
            rows = session.execute(select(Topic)).scalars().all()
            order = {slug: i for i, slug in enumerate(TOPIC_SLUGS)}
            return [_topic_view(t) for t in sorted(rows, key=lambda t: order.get(t.slug, 99))]

    def topic(self, slug: str) -> Optional[TopicView]:
        with self._session() as session:
            t = session.get(Topic, slug)
            return _topic_view(t) if t is not None else None

    def responsible_office(self, slug: str) -> Optional[ServiceView]:
        """The office responsible for a topic under the Gesamtkonzept."""
        with self._session() as session:
            t = session.get(Topic, slug)
            if t is None or not t.responsible_office_id:
                return None
            s = session.execute(
                select(Service).options(*_SERVICE_LOAD).where(Service.id == t.responsible_office_id)
            ).scalar_one_or_none()
            return _service_view(s) if s is not None else None

    # -- services ----------------------------------------------------------------------------------

    def service(self, service_id: str) -> Optional[ServiceView]:
        with self._session() as session:
            s = session.execute(
                select(Service).options(*_SERVICE_LOAD).where(Service.id == service_id)
            ).scalar_one_or_none()
            return _service_view(s) if s is not None else None

    def services_for_topic(
        self,
        topic: str,
        district_id: Optional[str] = None,
        target_group: Optional[str] = None,
        language: Optional[str] = None,
        limit: int = 3,
    ) -> TopicServices:
        """Services for a topic, most relevant first.

        Senate departments are left out (they are the topic's responsible office, see
        :meth:`responsible_office`). With a district: that district's own offices first, then Berlin-wide services; offices of other
        districts never. Without: Berlin-wide services only. Services for the target group come next
        (at most ``limit - 1`` of them, so the topic's best general service is always listed: "my child is
        sick" must still name the health services, not only a network for vulnerable refugees that also
        serves children), then those speaking the user's language. A target group or language no service
        matches is reported in ``filters_relaxed``.
        Where the district has no office of its own for the topic, its Bezirksamt is returned as
        ``district_office``.
        """
        with self._session() as session:
            query = (
                select(Service, ServiceTopic.position)
                .join(ServiceTopic, ServiceTopic.service_id == Service.id)
                .options(*_SERVICE_LOAD)
                .where(ServiceTopic.topic_slug == topic)
            )
            # Senate departments are named as the responsible office, not as a place to go.
            query = query.where(Service.kind != "senate_department")
            if topic != "emergency":
                query = query.where(Service.kind != "emergency_number")
            if district_id:
                query = query.where((Service.district_id == district_id) | Service.district_id.is_(None))
            else:
                query = query.where(Service.district_id.is_(None))
            rows = session.execute(query).all()

            relaxed: list[str] = []
            speaks = set()
            if language:
                speaks = {r[0].id for r in rows if language in r[0].languages}
                if not speaks:
                    relaxed.append("language")

            def rank(row, preferred=frozenset()):
                s, position = row
                return (
                    0 if district_id and s.district_id == district_id else 1,
                    0 if s.id in preferred else 1,
                    0 if s.id in speaks else 1,
                    min(position, 1),  # primary topic first, then services listing it further down
                    s.priority,
                    s.name_de,
                )

            rows.sort(key=rank)
            if target_group:
                matching = [s.id for s, _ in rows if target_group in s.target_groups]
                if matching:
                    rows.sort(key=lambda row: rank(row, frozenset(matching[:max(1, limit - 1)])))
                else:
                    relaxed.append("target_group")
            local_found = bool(district_id) and any(s.district_id == district_id for s, _ in rows)
            district = office = None
            if district_id:
                d = session.get(District, district_id)
                district = _district_view(d) if d is not None else None
                if d is not None and not local_found and d.office_id:
                    o = session.execute(
                        select(Service).options(*_SERVICE_LOAD).where(Service.id == d.office_id)
                    ).scalar_one_or_none()
                    office = _service_view(o) if o is not None else None
            return TopicServices(
                topic=topic,
                services=tuple(_service_view(s) for s, _ in rows[:limit]),
                district=district,
                local_found=local_found,
                district_office=office,
                filters_relaxed=tuple(relaxed),
            )

    def search_services(
        self, topic: Optional[str] = None, district_id: Optional[str] = None, language: Optional[str] = None
    ) -> list[ServiceView]:
        """All services matching every given filter (for the read-only API)."""
        with self._session() as session:
            query = select(Service).options(*_SERVICE_LOAD).order_by(Service.priority, Service.name_de)
            if topic:
                query = query.join(ServiceTopic).where(ServiceTopic.topic_slug == topic)
            if district_id:
                query = query.where((Service.district_id == district_id) | Service.district_id.is_(None))
            if language:
                query = query.join(ServiceLanguage).where(ServiceLanguage.language == language)
            return [_service_view(s) for s in session.execute(query).scalars().unique()]

    def emergency_numbers(self) -> list[ServiceView]:
        """Emergency numbers and crisis lines, most important first."""
        with self._session() as session:
            rows = session.execute(
                select(Service)
                .options(*_SERVICE_LOAD)
                .where(Service.kind == "emergency_number")
                .order_by(Service.priority, Service.name_de)
            ).scalars()
            return [_service_view(s) for s in rows]

    # -- districts ---------------------------------------------------------------------------------

    def districts(self) -> list[DistrictView]:
        with self._session() as session:
            rows = session.execute(
                select(District).options(selectinload(District.ortsteile)).order_by(District.number)
            ).scalars()
            return [_district_view(d) for d in rows]

    def district(self, district_id: str) -> Optional[DistrictView]:
        with self._session() as session:
            d = session.get(District, district_id)
            return _district_view(d) if d is not None else None

    def district_from_place(self, text: str) -> Optional[PlaceMatch]:
        """The district a place name belongs to: a district ('Pankow'), an alias ('Neukoelln') or an
        Ortsteil ('Britz' -> Neukölln), alone or inside a sentence ('ich wohne in britz')."""
        if not (text or "").strip():
            return None
        index, views = self._place_index()
        hit = first_place(text, index)
        if hit is None:
            return None
        return PlaceMatch(views[hit.place.district_id], hit.place.name, hit.place.is_ortsteil)

    def _place_index(self) -> tuple[list, dict]:
        now = time.monotonic()
        if self._places is None or now - self._places[0] > self.PLACE_INDEX_SECONDS:
            with self._session() as session:
                districts = session.execute(
                    select(District).options(selectinload(District.ortsteile))
                ).scalars().all()
                index = build_index(
                    (d.id, d.name, d.aliases or (), [o.name for o in d.ortsteile]) for d in districts
                )
                self._places = (now, index, {d.id: _district_view(d) for d in districts})
        return self._places[1], self._places[2]

    # -- statistics --------------------------------------------------------------------------------

    def stats(self) -> DirectoryStats:
        with self._session() as session:
            by_kind = dict(session.execute(select(Service.kind, func.count()).group_by(Service.kind)).all())
            return DirectoryStats(
                services_by_kind=by_kind,
                districts=session.execute(select(func.count()).select_from(District)).scalar_one(),
                ortsteile=session.execute(select(func.count()).select_from(Ortsteil)).scalar_one(),
                topics=session.execute(select(func.count()).select_from(Topic)).scalar_one(),
                without_phone=session.execute(
                    select(func.count()).select_from(Service).where(Service.phone == "")
                ).scalar_one(),
                possibly_outdated=session.execute(
                    select(func.count()).select_from(Service).where(Service.status == "possibly_outdated")
                ).scalar_one(),
                total=sum(by_kind.values()),
            )

"""SQLAlchemy models of the directory: topics, districts with Ortsteile, offices/services
(including emergency numbers) and their links to topics, target groups and languages."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Topic(Base):
    """A field of action or cross-cutting theme of the Gesamtkonzept, or a practical need."""

    __tablename__ = "topics"

    slug = Column(String(40), primary_key=True)
    field = Column(Text, nullable=False)  # the Gesamtkonzept's Handlungsfeld / Querschnittsthema
    covers = Column(Text, nullable=False)
    responsible_seed = Column(Text, nullable=False)  # "Verantwortlich: ..." as the seed words it
    department_current = Column(Text, nullable=False, default="")  # holder after the 2023 reorganisation
    # No FK constraint: topics are written before the services that reference them; the loader checks it.
    responsible_office_id = Column(String(80), nullable=True)
    orientation = Column(JSON, nullable=False, default=dict)  # {language: text}
    source_url = Column(Text, nullable=False)
    source_date = Column(String(20), nullable=False)
    notes = Column(Text, nullable=False, default="")


class District(Base):
    """One of Berlin's 12 Bezirke."""

    __tablename__ = "districts"

    id = Column(String(40), primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    number = Column(Integer, nullable=False, unique=True)
    aliases = Column(JSON, nullable=False, default=list)
    office_id = Column(String(80), nullable=True)  # the Bezirksamt entry; checked by the loader
    source_url = Column(Text, nullable=False)
    source_date = Column(String(20), nullable=False)
    status = Column(String(30), nullable=False)

    ortsteile = relationship(
        "Ortsteil", back_populates="district", cascade="all, delete-orphan", order_by="Ortsteil.id"
    )


class Ortsteil(Base):
    __tablename__ = "ortsteile"
    __table_args__ = (UniqueConstraint("name", name="uq_ortsteile_name"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    district_id = Column(String(40), ForeignKey("districts.id", ondelete="CASCADE"), nullable=False)
    name = Column(String(80), nullable=False)

    district = relationship("District", back_populates="ortsteile")


class Service(Base):
    """An office, service, programme or emergency number, with its source and as-of date."""

    __tablename__ = "services"

    id = Column(String(80), primary_key=True)
    kind = Column(String(30), nullable=False)
    name_de = Column(Text, nullable=False)  # official German name
    names = Column(JSON, nullable=False, default=dict)  # {language: translated name}
    description = Column(JSON, nullable=False, default=dict)  # {language: text}
    district_id = Column(String(40), ForeignKey("districts.id"), nullable=True)  # None = Berlin-wide
    address = Column(Text, nullable=False, default="")
    phone = Column(String(60), nullable=False, default="")
    email = Column(String(200), nullable=False, default="")
    web = Column(Text, nullable=False, default="")
    opening_hours = Column(Text, nullable=False, default="")
    appointment_needed = Column(Boolean, nullable=True)
    languages_note = Column(Text, nullable=False, default="")
    situations = Column(JSON, nullable=False, default=list)  # emergency numbers: what they are for
    priority = Column(Integer, nullable=False, default=50)
    source_url = Column(Text, nullable=False)
    source_date = Column(String(20), nullable=False)
    status = Column(String(30), nullable=False)
    notes = Column(Text, nullable=False, default="")
    source_file = Column(String(120), nullable=False, default="")  # catalog file it came from

    district = relationship("District")
    topic_links = relationship(
        "ServiceTopic", cascade="all, delete-orphan", order_by="ServiceTopic.position", back_populates="service"
    )
    target_group_links = relationship("ServiceTargetGroup", cascade="all, delete-orphan")
    language_links = relationship("ServiceLanguage", cascade="all, delete-orphan")

    @property
    def topics(self) -> list[str]:
        return [link.topic_slug for link in self.topic_links]

    @property
    def target_groups(self) -> list[str]:
        return sorted(link.target_group for link in self.target_group_links)

    @property
    def languages(self) -> list[str]:
        return sorted(link.language for link in self.language_links)


class ServiceTopic(Base):
    __tablename__ = "service_topics"

    service_id = Column(String(80), ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    topic_slug = Column(String(40), ForeignKey("topics.slug"), primary_key=True)
    position = Column(Integer, nullable=False, default=0)  # 0 = the service's primary topic

    service = relationship("Service", back_populates="topic_links")


class ServiceTargetGroup(Base):
    __tablename__ = "service_target_groups"

    service_id = Column(String(80), ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    target_group = Column(String(40), primary_key=True)


class ServiceLanguage(Base):
    __tablename__ = "service_languages"

    service_id = Column(String(80), ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    language = Column(String(8), primary_key=True)

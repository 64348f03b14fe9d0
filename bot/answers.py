"""Rendering answers from directory views: a text that stands on its own (Telegram, shell) plus
buttons and a custom payload for rich cards in the widget.

Every answer names offices by their official German name, says where the information comes from and
how current it is."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from bot.language import RTL_LANGUAGES, text_in
from bot.repository import DistrictView, ServiceView, TopicServices, TopicView
from bot.taxonomy import TOPIC_SLUGS
from bot.texts import LANGUAGE_NAMES, t, topic_label

#: Payload that asks for the district list (the `inform_district` intent without a district).
DISTRICT_PAYLOAD = "/inform_district"
MENU_TOPICS = ("housing", "health", "school", "language_courses", "work", "benefits", "arrival",
               "antidiscrimination", "counselling")


@dataclass
class Reply:
    text: str
    buttons: list = field(default_factory=list)  # [{"title": ..., "payload": ...}]
    payload: Optional[dict] = None  # custom JSON for the widget


# ------------------------------------------------------------------------------------------- pieces

#: Names of the languages services speak, each in its own language (readable whatever the user's).
ENDONYMS: dict[str, str] = {
    "de": "Deutsch", "en": "English", "ar": "العربية", "uk": "Українська", "fa": "فارسی", "ru": "Русский",
    "tr": "Türkçe", "fr": "Français", "ku": "Kurdî", "az": "Azərbaycanca", "ka": "ქართული", "sr": "Српски",
    "vi": "Tiếng Việt",
}


def ltr(value: str, language: str) -> str:
    """Phone numbers, addresses and links stay left-to-right inside Arabic or Farsi text (Unicode
    isolate marks; invisible)."""
    return f"\u2066{value}\u2069" if value and language in RTL_LANGUAGES else value


def display_name(s: ServiceView, language: str) -> str:
    """Official German name, with the translation beside it for other languages."""
    translated = s.names.get(language) if language != "de" else None
    return f"{s.name_de} ({translated})" if translated and translated != s.name_de else s.name_de


def as_of(date: str, language: str) -> str:
    return t("undated", language) if not date or date == "n.d." else t("as_of", language, date=date)


def source_line(s: ServiceView, language: str) -> str:
    line = f"{t('label_source', language)}: {ltr(s.source_url, language)} ({ltr(as_of(s.source_date, language), language)})"
    if s.possibly_outdated:
        line += f" ⚠️ {t('possibly_outdated', language)}"
    return line


def service_block(s: ServiceView, language: str) -> str:
    lines = [f"• {display_name(s, language)}"]
    description = text_in(s.description, language)
    if description:
        lines.append(f"  {description}")
    for label, value in (("label_address", s.address), ("label_phone", s.phone), ("label_email", s.email),
                         ("label_web", s.web), ("label_hours", s.opening_hours)):
        if value:
            lines.append(f"  {t(label, language)}: {ltr(value, language)}")
    if s.languages:
        lines.append(f"  {t('label_languages', language)}: {', '.join(ENDONYMS.get(c, c) for c in s.languages)}")
    if s.appointment_needed:
        lines.append(f"  {t('label_appointment', language)}")
    lines.append(f"  {source_line(s, language)}")
    return "\n".join(lines)


def service_card(s: ServiceView, language: str) -> dict:
    """A service for the widget's cards (plain data; the widget escapes it)."""
    return {
        "id": s.id,
        "kind": s.kind,
        "name_de": s.name_de,
        "name": s.names.get(language) or "",
        "description": text_in(s.description, language),
        "district": s.district_name,
        "address": s.address,
        "phone": s.phone,
        "email": s.email,
        "web": s.web,
        "opening_hours": s.opening_hours,
        "appointment_needed": s.appointment_needed,
        "languages": list(s.languages),
        "languages_spoken": [ENDONYMS.get(c, c) for c in s.languages],
        "source_url": s.source_url,
        "source_date": s.source_date,
        "as_of": as_of(s.source_date, language),
        "possibly_outdated": s.possibly_outdated,
    }


def topic_buttons(slugs: Iterable[str], language: str) -> list:
    return [{"title": topic_label(slug, language), "payload": f"/{slug}"} for slug in slugs]


# ------------------------------------------------------------------------------------------ answers


def topic_answer(
    topic: TopicView,
    result: TopicServices,
    responsible: Optional[ServiceView],
    language: str,
) -> Reply:
    """Orientation, up to three services, the responsible office, sources; then offer the district."""
    parts = [text_in(topic.orientation, language)]
    district = result.district
    if district and not result.local_found and result.district_office is not None:
        parts.append(t("no_local_office", language, district=district.name,
                       office=result.district_office.name_de))
    heading = (t("services_heading_district", language, district=district.name) if district
               else t("services_heading", language))
    services = list(result.services)
    if district and result.district_office is not None and not result.local_found:
        services = [result.district_office, *services][:3]
    if services:
        parts.append(heading + "\n" + "\n".join(service_block(s, language) for s in services))
    else:
        parts.append(t("no_services", language))
    if responsible is not None:
        parts.append(
            t("responsible", language, office=display_name(responsible, language))
            + (f"\n{t('responsible_note', language)}" if responsible.kind == "senate_department" else "")
            + f"\n{source_line(responsible, language)}"
        )
    buttons = []
    if district is None:
        parts.append(t("ask_district", language))
        buttons.append({"title": t("button_district", language), "payload": DISTRICT_PAYLOAD})
    payload = {
        "topic": topic.slug,
        "district": {"id": district.id, "name": district.name} if district else None,
        "language": language,
        "services": [service_card(s, language) for s in services],
        "responsible_office": service_card(responsible, language) if responsible else None,
        "source": {"url": topic.source_url, "date": topic.source_date},
    }
    return Reply("\n\n".join(p for p in parts if p), buttons, payload)


def emergency_answer(
    numbers: Sequence[ServiceView], situations: Sequence[str], language: str, limit_extra: int = 3
) -> Reply:
    """110 and 112 first, then the crisis lines that match the situation."""
    by_phone = {s.phone.replace(" ", ""): s for s in numbers if s.phone}
    lines = [t("emergency_intro", language)]
    shown: list[ServiceView] = []
    police, fire = by_phone.get("110"), by_phone.get("112")
    lines.append(t("emergency_police", language, phone=ltr(police.phone if police else "110", language)))
    lines.append(t("emergency_fire", language, phone=ltr(fire.phone if fire else "112", language)))
    lines.append(t("emergency_where", language))
    shown += [s for s in (police, fire) if s is not None]
    wanted = set(situations) or {"crisis", "danger"}
    extra = [
        s for s in numbers
        if s not in shown and wanted & set(s.situations)
    ][:limit_extra]
    if extra:
        lines.append(t("emergency_more", language))
        for s in extra:
            phone = ltr(s.phone, language) if s.phone else t("no_phone_confirmed", language)
            line = f"• {display_name(s, language)}: {phone}"
            if not s.phone and s.web:
                line += f" – {ltr(s.web, language)}"
            description = text_in(s.description, language)
            if description:
                line += f"\n  {description}"
            lines.append(line)
    sources = [*shown, *extra]
    if sources:
        lines.append("\n".join(source_line(s, language) + f" – {s.name_de}" for s in sources))
    payload = {
        "topic": "emergency",
        "district": None,
        "language": language,
        "situations": list(situations),
        "services": [service_card(s, language) for s in sources],
    }
    return Reply("\n".join(lines), [], payload)


def menu(language: str, intro_key: str = "menu_intro") -> Reply:
    return Reply(t(intro_key, language), topic_buttons(MENU_TOPICS, language)
                 + [{"title": t("more_topics", language), "payload": "/help"}])


def all_topics_menu(language: str) -> Reply:
    return Reply(t("menu_intro", language), topic_buttons([s for s in TOPIC_SLUGS if s != "emergency"], language))


def _offer_topics(intro_key: str, candidates: Sequence[str], closest: int, filler: Sequence[str],
                  language: str) -> Reply:
    """Up to four topic buttons: the first `closest` candidates, then `filler`; and "more topics"."""
    slugs = [c for c in dict.fromkeys(candidates) if c in TOPIC_SLUGS and c != "emergency"][:closest]
    slugs += [slug for slug in filler if slug not in slugs][:4 - len(slugs)]
    return Reply(t(intro_key, language), topic_buttons(slugs, language)
                 + [{"title": t("more_topics", language), "payload": "/help"}])


def fallback(candidates: Sequence[str], language: str) -> Reply:
    """Low confidence: offer the closest topics (never a dead end)."""
    return _offer_topics("fallback_intro", candidates, 4, MENU_TOPICS, language)


#: Offered under an emergency answer when no topic answer follows it: aftercare first.
AFTER_EMERGENCY_TOPICS = ("counselling", "health", "safety", "women")


def after_emergency(candidates: Sequence[str], language: str) -> Reply:
    """Under the emergency numbers: topics to go on with once the person is safe, the classifier's two
    closest first (a false alarm must not end the conversation either)."""
    return _offer_topics("emergency_other_topics", candidates, 2, AFTER_EMERGENCY_TOPICS, language)


def ask_district(districts: Sequence[DistrictView], language: str, key: str = "which_district", **values) -> Reply:
    return Reply(
        t(key, language, **values),
        [{"title": d.name, "payload": f'/inform_district{{"district":"{d.name}"}}'} for d in districts],
    )


def language_names(codes: Iterable[str]) -> str:
    return ", ".join(LANGUAGE_NAMES[c] for c in codes)

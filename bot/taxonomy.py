"""Fixed vocabularies of the directory. Topic slugs are a contract shared by the catalog, the NLU
intents, the answers' custom payload and the API (see shared/reference/topics.yml)."""
from __future__ import annotations

TOPIC_SLUGS: tuple[str, ...] = (
    "arrival",
    "housing",
    "benefits",
    "health",
    "school",
    "language_courses",
    "work",
    "university",
    "neighbourhood",
    "participation",
    "safety",
    "democracy",
    "vulnerable_groups",
    "women",
    "lgbtiq",
    "antidiscrimination",
    "volunteering",
    "counselling",
    "emergency",
)

KINDS: tuple[str, ...] = (
    "senate_department",
    "authority",
    "district_office",
    "counselling",
    "programme",
    "emergency_number",
)

TARGET_GROUPS: tuple[str, ...] = (
    "everyone",
    "refugees",
    "asylum_seekers",
    "ukraine",
    "duldung",
    "newcomers",
    "women",
    "girls",
    "children",
    "youth",
    "families",
    "unaccompanied_minors",
    "lgbtiq",
    "disabled",
    "elderly",
    "students",
    "academics",
    "uninsured",
    "victims_of_violence",
    "workers",
    "volunteers",
    "landlords",
)

SITUATIONS: tuple[str, ...] = (
    "danger",
    "violence",
    "medical",
    "fire",
    "suicidal",
    "crisis",
    "child_danger",
    "domestic_violence",
    "sexual_violence",
    "poisoning",
    "youth_help",
)

STATUSES: tuple[str, ...] = ("as_of_source_date", "possibly_outdated")

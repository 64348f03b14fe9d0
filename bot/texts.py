"""Everything the bot says that is not in domain.yml: labels of answers, topic names, emergency texts.

Every key exists in every language of bot.language.REQUIRED_TEXT_LANGUAGES (tests check it).
Placeholders in braces are filled by bot.answers.
"""
from __future__ import annotations

from bot.language import DEFAULT_LANGUAGE

TOPIC_LABELS: dict[str, dict[str, str]] = {
    "arrival": {"de": "Ankommen, Asyl, Aufenthalt", "en": "Arrival, asylum, residence"},
    "housing": {"de": "Unterkunft und Wohnung", "en": "Accommodation and flats"},
    "benefits": {"de": "Geld und Sozialleistungen", "en": "Money and benefits"},
    "health": {"de": "Gesundheit und Ärzt*innen", "en": "Health and doctors"},
    "school": {"de": "Schule, Kita, Familie", "en": "School, Kita, family"},
    "language_courses": {"de": "Deutschkurse", "en": "German courses"},
    "work": {"de": "Arbeit, Ausbildung, Anerkennung", "en": "Work, training, recognition"},
    "university": {"de": "Studium", "en": "University"},
    "neighbourhood": {"de": "Nachbarschaft, Kultur, Sport", "en": "Neighbourhood, culture, sport"},
    "participation": {"de": "Mitreden und Beteiligung", "en": "Having a say"},
    "safety": {"de": "Sicherheit und Schutz", "en": "Safety and protection"},
    "democracy": {"de": "Demokratie und politische Bildung", "en": "Democracy and civic education"},
    "vulnerable_groups": {"de": "Besonderer Schutzbedarf", "en": "Special protection needs"},
    "women": {"de": "Frauen", "en": "Women"},
    "lgbtiq": {"de": "LSBTIQ+", "en": "LGBTIQ+"},
    "antidiscrimination": {"de": "Diskriminierung", "en": "Discrimination"},
    "volunteering": {"de": "Ehrenamt", "en": "Volunteering"},
    "counselling": {"de": "Beratung, mit einem Menschen sprechen", "en": "Advice, talk to a person"},
    "emergency": {"de": "Notfall", "en": "Emergency"},
}

TEXTS: dict[str, dict[str, str]] = {
    "services_heading": {"de": "Hier bekommst du Hilfe:", "en": "Where to get help:"},
    "services_heading_district": {
        "de": "Hier bekommst du Hilfe in {district}:",
        "en": "Where to get help in {district}:",
    },
    "no_local_office": {
        "de": "Für {district} kenne ich keine eigene Stelle zu diesem Thema. Die Angebote unten gelten für ganz "
              "Berlin; erste Anlaufstelle im Bezirk ist das {office}.",
        "en": "I know no office of its own in {district} for this topic. The services below are for all of "
              "Berlin; your first point of contact in the district is the {office}.",
    },
    "no_services": {
        "de": "Im Verzeichnis steht dazu noch keine Stelle.",
        "en": "The directory has no office for this yet.",
    },
    "responsible": {
        "de": "Zuständig im Land Berlin (Gesamtkonzept Integration): {office}",
        "en": "Responsible in the Land Berlin (integration concept): {office}",
    },
    "responsible_note": {
        "de": "Senatsverwaltungen wurden 2023 neu zugeschnitten und können nach der Wahl 2026 anders heißen.",
        "en": "Senate departments were reorganised in 2023 and may be renamed after the 2026 election.",
    },
    "label_address": {"de": "Adresse", "en": "Address"},
    "label_phone": {"de": "Telefon", "en": "Phone"},
    "label_email": {"de": "E-Mail", "en": "E-mail"},
    "label_web": {"de": "Web", "en": "Web"},
    "label_hours": {"de": "Zeiten", "en": "Hours"},
    "label_appointment": {"de": "Nur mit Termin", "en": "Appointment needed"},
    "label_languages": {"de": "Sprachen", "en": "Languages"},
    "label_source": {"de": "Quelle", "en": "Source"},
    "as_of": {"de": "Stand {date}", "en": "as of {date}"},
    "undated": {"de": "Quelle ohne Datum", "en": "undated source"},
    "possibly_outdated": {
        "de": "möglicherweise veraltet, bitte vorher prüfen",
        "en": "possibly outdated, please check before you go",
    },
    "ask_district": {
        "de": "Wo wohnst du? Nenne mir deinen Bezirk oder Ortsteil (z. B. Neukölln oder Britz), dann zeige ich "
              "dir Stellen in deiner Nähe.",
        "en": "Where do you live? Tell me your district or neighbourhood (e.g. Neukölln or Britz) and I will "
              "show you offices near you.",
    },
    "button_district": {"de": "📍 Stellen in meinem Bezirk", "en": "📍 Offices in my district"},
    "which_district": {
        "de": "In welchem Bezirk wohnst du? Tippe auf deinen Bezirk oder schreib deinen Ortsteil.",
        "en": "Which district do you live in? Tap your district or type your neighbourhood.",
    },
    "district_unknown": {
        "de": "„{place}“ kenne ich nicht als Berliner Bezirk oder Ortsteil. In welchem Bezirk wohnst du?",
        "en": "I don't know “{place}” as a Berlin district or neighbourhood. Which district do you live in?",
    },
    "district_set": {
        "de": "Gut, ich merke mir: {district}.",
        "en": "Got it, I'll remember: {district}.",
    },
    "district_set_ortsteil": {
        "de": "Gut, {place} gehört zum Bezirk {district}. Ich merke mir das.",
        "en": "Got it, {place} is in the district of {district}. I'll remember that.",
    },
    "district_which_topic": {
        "de": "Wobei brauchst du Hilfe?",
        "en": "What do you need help with?",
    },
    "fallback_intro": {
        "de": "Ich bin nicht sicher, ob ich dich richtig verstanden habe. Meinst du eines dieser Themen?",
        "en": "I'm not sure I understood you. Do you mean one of these topics?",
    },
    "menu_intro": {
        "de": "Ich helfe dir, in Berlin die richtige Stelle zu finden. Wähle ein Thema oder schreib deine Frage:",
        "en": "I help you find the right office in Berlin. Choose a topic or type your question:",
    },
    "more_topics": {"de": "Weitere Themen", "en": "More topics"},
    "emergency_intro": {
        "de": "🚨 Wenn du oder jemand anderes jetzt in Gefahr bist: Ruf sofort an. Die Notrufe sind kostenlos "
              "und rund um die Uhr erreichbar.",
        "en": "🚨 If you or someone else is in danger now: call right away. Emergency calls are free of charge "
              "and answered 24 hours a day.",
    },
    "emergency_police": {"de": "Polizei: {phone}", "en": "Police: {phone}"},
    "emergency_fire": {
        "de": "Feuerwehr und Rettungsdienst (Krankenwagen): {phone}",
        "en": "Fire brigade and ambulance: {phone}",
    },
    "emergency_more": {"de": "Weitere Hilfe, die jetzt passt:", "en": "More help for this situation:"},
    "emergency_where": {
        "de": "Sag am Telefon zuerst, wo du bist (Adresse).",
        "en": "On the phone, say first where you are (the address).",
    },
    "no_phone_confirmed": {
        "de": "Telefonnummer nicht bestätigt, siehe Web",
        "en": "phone number not confirmed, see web",
    },
    "language_switched": {
        "de": "Alles klar, ich antworte ab jetzt auf Deutsch.",
        "en": "Okay, from now on I'll answer in English.",
    },
    "api_no_reply": {
        "de": "Entschuldigung, darauf habe ich gerade keine Antwort. Versuch es bitte noch einmal oder wähle ein "
              "Thema. Im Notfall: Polizei 110, Feuerwehr und Rettungsdienst 112.",
        "en": "Sorry, I have no answer to that right now. Please try again or choose a topic. "
              "In an emergency: police 110, fire brigade and ambulance 112.",
    },
    "api_unavailable": {
        "de": "Der Chat ist gerade nicht erreichbar. Bitte versuch es gleich noch einmal. Im Notfall: Polizei 110, "
              "Feuerwehr und Rettungsdienst 112.",
        "en": "The chat cannot be reached right now. Please try again in a moment. In an emergency: police 110, "
              "fire brigade and ambulance 112.",
    },
    "api_too_long": {
        "de": "Deine Nachricht ist zu lang (höchstens {limit} Zeichen). Bitte schreib sie kürzer.",
        "en": "Your message is too long (at most {limit} characters). Please make it shorter.",
    },
    "api_rate_limited": {
        "de": "Das waren viele Nachrichten in kurzer Zeit. Bitte warte {seconds} Sekunden. Im Notfall: 110 oder 112.",
        "en": "That was a lot of messages in a short time. Please wait {seconds} seconds. In an emergency: 110 or 112.",
    },
    "language_which": {
        "de": "Ich kann antworten auf: {languages}. Schreib zum Beispiel „auf Englisch bitte“.",
        "en": "I can answer in: {languages}. For example, write “in German please”.",
    },
    "language_unsupported": {
        "de": "Diese Sprache spreche ich leider noch nicht. Ich kann antworten auf: {languages}.",
        "en": "Sorry, I don't speak that language yet. I can answer in: {languages}.",
    },
}

LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "uk": "Українська",
    "fa": "فارسی / دری",
    "ru": "Русский",
    "tr": "Türkçe",
}


def t(key: str, language: str, **values: str) -> str:
    """The text ``key`` in ``language`` (German if missing), with placeholders filled."""
    texts = TEXTS[key]
    text = texts.get(language) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def topic_label(slug: str, language: str) -> str:
    labels = TOPIC_LABELS[slug]
    return labels.get(language) or labels[DEFAULT_LANGUAGE]

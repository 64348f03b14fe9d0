"""Recognising immediate danger in a message, independent of the NLU model.

The patterns run on every message in every supported language at once (no language detection in the
way) and are deliberately generous: a false alarm costs one extra message with 110/112, a missed one can
cost a life. The NLU pipeline's ``EmergencyOverride`` turns a match into the intent ``emergency`` with
confidence 1.0, so no prediction can outvote it.

Patterns are matched on :func:`normalise` text (lower case, umlauts folded, punctuation removed).
Add a pattern when a crisis message is missed; check it against ``tests/emergency/*.yml`` (dev part).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# situation -> patterns. Situations are those of bot.taxonomy.SITUATIONS.
_PATTERNS: dict[str, tuple[str, ...]] = {
    "violence": (
        # de
        r"\b(schlagt|schlaegt|prugelt|verprugelt|tritt|wurgt|sticht|attackiert|angegriffen|greift)\b.{0,25}\b(mich|uns|mir|meine[nm]?|mein|sie|ihn|ihm|freund|kind|frau|tochter|sohn)\b",
        r"\b(mich|uns|meine[nm]?|mein|ihn|sie)\b.{0,15}\b(schlagt|prugelt|verprugelt|tritt|wurgt)\b",
        r"\b(messer|pistole|waffe|axt)\b",
        r"\b(bringt|bring|bringen)\b.{0,12}\b(mich|uns|dich|sie|ihn)\b.{0,5}\bum\b",
        r"\b(will|wollen|wird|werden)\b.{0,12}\b(mich|uns)\b.{0,10}\b(umbringen|toten|abstechen)\b",
        r"\b(bricht|brechen|einbrecher|einbruch)\b.{0,20}\b(ein|tur|fenster|wohnung)\b|\beinbrecher\b",
        r"\bverfolgt\b.{0,10}\bmich\b|\bhinter mir\b",
        r"\beingesperrt\b|\bsperrt\b.{0,10}\b(mich|uns)\b.{0,10}\bein\b|\bkomm(e)? nich(t)? raus\b",
        r"\bbedroh(t|en)\b.{0,10}\b(mich|uns)\b",
        r"\b(ruf|rufen|rufe|hol|holen)\b.{0,10}\b(die )?(polizei|notarzt|krankenwagen|rettungswagen|feuerwehr)\b",
        r"\b(polizei|notarzt|krankenwagen|rettungswagen|feuerwehr|police|ambulance)\b.{0,12}\b(schnell|sofort|jetzt|bitte|kommen|komm|quick|fast|now|asap|please|hurry)\b",
        r"\bin gefahr\b|\bin danger\b|\blebensgefahr\b",
        r"(?<!kein )(?<!keine )(?<!not an )(?<!not a )(?<!no )\b(notfall|emergency)\b",
        # en
        r"\b(hitting|beating|kicking|choking|strangling|stabbing|attacking|punching|hurting|beats|hits|kicks|chokes|attacked|stabbed)\b.{0,15}\b(me|us|my|him|her|them|his|the|a|our)\b",
        r"\b(knife|gun|pistol|weapon|machete)\b",
        r"\b(gonna|going to|wants to|want to|will|trying to|tries to)\b.{0,6}\b(kill|hurt|stab|shoot)\b.{0,6}\b(me|us|my|her|him)\b",
        r"\bbreak(ing|s)? (in|into)\b|\bbroke in\b|\bintruder\b",
        r"\bfollowing me\b|\bbehind me\b",
        r"\blocked (me )?in\b|\blocked me\b|\bcant get out\b|\bcan not get out\b|\bcannot get out\b",
        r"\bthreaten(ing|s|ed)?\b.{0,10}\b(me|us)\b",
        r"\b(call|get|send)\b.{0,6}\b(the )?(police|polizei|ambulance|notarzt|fire brigade)\b",
    ),
    "sexual_violence": (
        r"\bvergewaltig",
        r"\b(raped|rape|raping|sexually assaulted)\b",
    ),
    "domestic_violence": (
        r"\b(mann|ehemann|freund|partner|vater|bruder)\b.{0,20}\b(schlagt|prugelt|tritt|wurgt|bedroht)\b",
        r"\b(husband|boyfriend|partner|father|brother)\b.{0,20}\b(hitting|beating|hits|beats|kicking|choking|threatening)\b",
    ),
    "medical": (
        # de
        r"\batme?t?\b.{0,8}\b(nicht|nich|nix|kaum)\b|\bkeine luft\b|\bkaum luft\b|\berstick",
        r"\bbewusstlos\b|\bohnmacht|\bwacht\b.{0,10}\b(nicht|nich)\b.{0,5}\bauf\b|\bumgefallen\b|\bzusammengebrochen\b|\breagiert (nicht|nich)\b",
        r"\bblutet\b|\bblut\b.{0,25}\b(stark|viel|hort|uberall)\b|\bstark(e|en)? blutung",
        r"\bbrust\b.{0,15}\b(tut|schmerz|weh|druck)\b|\bherzinfarkt\b|\bschlaganfall\b",
        r"\bkrampf|\bepilep|\banfall\b",
        r"\bwehen\b|\bfruchtblase\b|\bblasensprung\b",
        r"\btabletten\b.{0,20}\b(genommen|geschluckt)\b|\buberdosis\b|\bvergift",
        r"\b(getrunken|geschluckt|gegessen|verschluckt)\b.{0,30}\b(putzmittel|reiniger|chlor|gift|tabletten|spulmittel|batterie)\b|\b(putzmittel|reiniger|chlor|rattengift|gift)\b.{0,30}\b(getrunken|geschluckt|gegessen|verschluckt)\b",
        r"\b(riecht|geruch|stinkt)\b.{0,15}\bgas\b|\bgas\b.{0,15}\b(riecht|geruch|leck)\b",
        # en
        r"\b(not|isnt|isn t|stopped|cant|can t|cannot|hardly|barely)\b.{0,6}\bbreath(e|ing)?\b",
        r"\bunconscious\b|\bnot waking up\b|\bwont wake\b|\bwill not wake\b|\bpassed out\b|\bcollapsed\b|\bfell down\b|\bnot responding\b",
        r"\bbleeding\b|\bso much blood\b|\blot of blood\b|\bblood everywhere\b",
        r"\bchest\b.{0,10}\b(hurts|pain|tight)\b|\bheart attack\b|\bstroke\b",
        r"\bseizure\b|\bhaving a fit\b|\bconvuls|\bfitting\b",
        r"\bcontractions\b|\bwater (broke|broken)\b|\bin labou?r\b",
        r"\btook\b.{0,15}\bpills\b|\boverdose\b|\bpoison",
        r"\b(drank|swallowed|ate|eaten|drunk)\b.{0,25}\b(cleaning|cleaner|bleach|detergent|pills|tablets|battery|poison)\b",
        r"\bsmell(s)?\b.{0,10}\bgas\b|\bgas leak\b",
    ),
    "fire": (
        r"\bfeuer\b|\bbrennt\b|\bbrand\b|\brauch\b|\bqualm\b|\bflammen\b",
        r"\bfire\b|\bon fire\b|\bburning\b|\bsmoke\b(?! detector)(?! alarm)|\bflames\b",
    ),
    "suicidal": (
        r"\b(nicht|nich)\b.{0,6}\bmehr\b.{0,6}\bleben\b|\bwill sterben\b|\bmochte sterben\b|\btot sein\b",
        r"\b(mich|mir)\b.{0,12}\b(umbringen|toten|das leben nehmen)\b|\bselbstmord\b|\bsuizid",
        r"\bmach(e)?\b.{0,10}\bschluss\b|\bende\b.{0,5}\b(es|alles)\b|\bbeende\b.{0,10}\b(es|alles|mein leben)\b",
        r"\bohne mich\b.{0,20}\bbesser\b|\bbesser\b.{0,20}\bohne mich\b|\babschiedsbrief",
        r"\b(geritzt|ritze mich|ritzen|schneide mich|verletze mich)\b",
        r"\bspringe?\b.{0,20}\b(brucke|dach|fenster)\b",
        r"\b(dont|don t|do not|no longer)\b.{0,6}\b(want|wanna)\b.{0,6}\b(live|be alive)\b|\bwant(s)? to die\b|\bwanna die\b",
        r"\bkill(ing)? myself\b|\bend (it|my life|everything)\b|\bsuicid|\btake my (own )?life\b",
        r"\bbetter off without me\b|\bgoodbye letter",
        r"\b(cut|cutting|hurt|hurting|harm|harming|burn|burning)\b.{0,4}\bmyself\b|\bself harm\b",
        r"\bjump\b.{0,15}\b(bridge|roof|window)\b",
    ),
    "child_danger": (
        r"\b(kind|kinder|baby|sohn|tochter|junge|madchen)\b.{0,30}\b(weg|verschwunden|vermisst|allein|verloren|nirgends)\b",
        r"\b(schlagt|prugelt)\b.{0,15}\b(sein|ihr|das|mein)\b.{0,5}\b(kind|baby|sohn|tochter)\b",
        r"\b(kid|child|children|baby|son|daughter|boy|girl)\b.{0,30}\b(missing|gone|alone|lost|disappeared|cant find)\b",
        r"\b(beating|hitting|hurting)\b.{0,10}\b(his|her|the|a|my)\b.{0,3}\b(kid|child|baby|son|daughter)\b",
    ),
}


@dataclass(frozen=True)
class EmergencyMatch:
    situations: tuple[str, ...]  # in the order of _PATTERNS


def normalise(text: str) -> str:
    """Lower case, umlauts and accents folded, apostrophes dropped, other punctuation to spaces."""
    text = (text or "").lower().replace("ß", "ss").replace("'", "").replace("’", "")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (situation, re.compile(pattern)) for situation, patterns in _PATTERNS.items() for pattern in patterns
    )


def detect_emergency(text: str) -> Optional[EmergencyMatch]:
    """The situations of immediate danger a message describes, or None."""
    norm = normalise(text)
    if not norm:
        return None
    found: list[str] = []
    for situation, pattern in _compiled():
        if situation not in found and pattern.search(norm):
            found.append(situation)
    return EmergencyMatch(tuple(found)) if found else None

"""Anonymising a review pack for publication, and the private key of what was replaced.

A `Redactor` is handed every value the pack shows: free text, moments, event references, agency
codes and the names of staff. Without anonymisation it returns them as they are (moments in a
readable form). With anonymisation it:

- replaces each person by the pseudonym the pack gave them ("Child A", "Mother"), and inside free
  text replaces every name it knows of them first: every agency's spelling, other names, and the
  nickname family of each given name (`kinsight.people.names`); names of people it knows but
  cannot place (other records of the agencies in the pack) become "[name]";
- then a second, pattern pass removes what it was not told: postcodes, NHS-number-like and phone
  numbers, addresses, dates (each given as month and year only), and the names after a title
  ("Dr", "PC", "SW");
- lists every replacement it made in `key()`, which is written beside the pack, never into it.

Known limits: a name nobody recorded as a person (a neighbour named only in a note) is caught
only after a title; a common word that is also a name ("Will", "Young") is replaced only when
written with a capital, so "will" in a sentence stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kinsight.lib.moments import UK
from kinsight.people.names import NICKNAMES, normalise

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_MONTH_INDEX = {m.lower()[:3]: i for i, m in enumerate(MONTHS, start=1)}
_MONTH_WORD = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

# Names that are also ordinary words: replaced only when written with a capital letter.
COMMON_WORDS = frozenset(
    """will may mark rose hope grace joy art don jack bill pat sandy rich nick dot dolly bob
    ruby daisy summer holly ivy lily poppy willow brooke jade young white green hall wood hill
    king cook price bell hunt mills ward webb shaw mason walker baker turner parker foster
    fisher knight butler barker wright carter gray grey long short street lee dean max bella
    frank rob bel cat kit ant nat will art olive pearl faith may dawn crystal amber april june
    august autumn sky river reggie teddy tommy star angel sunny mo drew ted ned chuck chas
    harper mia logan miller moore hunter page paige chase rich mike gail elle cal""".split()
)

# Words agencies write in the place of a name ("Baby Smith", "Twin 1", "Unborn child"): never
# taken for a name, or every "baby" and "child" in a note would be replaced.
PLACEHOLDERS = frozenset(
    """baby babe child infant unborn unknown unnamed twin triplet boy girl male female newborn
    foetus fetus not known nk tbc test anon anonymous mother father mr mrs ms miss dr""".split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_ID_TOKEN = re.compile(r"(?<![\w/.-])[\w/.-]*\d[\w/.-]*(?![\w/-])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
_NHS_LIKE = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/-]|\.\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD}\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH_WORD}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD}\b", re.IGNORECASE
)
_MONTH_DAY = re.compile(rf"\b{_MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)\b", re.IGNORECASE)
_SHORT_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)")
_STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\w'\u2019-]*\s+){1,3}"
    r"(?:Street|St|Road|Rd|Lane|Close|Avenue|Ave|Drive|Way|Court|Crescent|Place|Gardens|"
    r"Terrace|Grove|Walk|Row|Hill|Park|View|Square|Mews|Fold|Brow|Green|Rise|Meadows|Parade)\b"
)
_TITLED_NAME = re.compile(
    r"\b(Dr|Mr|Mrs|Ms|Miss|PC|DC|DS|DI|Sgt|PCSO|Nurse|SW|Cllr)\.?\s+"
    r"(?!\[)[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?"
)

SECTOR_LABELS = {
    "social_care": "Children's social care",
    "police": "Police",
    "health": "Health service",
    "education": "School",
    "early_years": "Early years setting",
    "probation": "Probation service",
    "substance_misuse": "Substance misuse service",
    "mental_health": "Mental health service",
    "housing": "Housing provider",
    "other": "Other agency",
}


def nickname_family(name: str) -> set[str]:
    """A normalised given name with its nicknames, its formal forms and their nicknames."""
    found = {name}
    for formal, shorts in NICKNAMES.items():
        if name == formal or name in shorts:
            found.add(formal)
            found.update(shorts)
    return found


def month_year(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}" if 1 <= month <= 12 else str(year)


@dataclass
class PersonNames:
    """What is known of one person (or one unplaced record) for finding them in free text."""

    label: str | None  # the pseudonym; None: a person the pack does not place ("[name]")
    given_names: list[str] = field(default_factory=list)
    family_names: list[str] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    nhs_numbers: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)


# How firmly a token belongs to a label: a family member beats an unplaced record.
_STRONG, _WEAK = 2, 1


class Redactor:
    """Shows values as they are: the pack without anonymisation."""

    anonymised = False

    def text(self, value: str) -> str:
        return value

    def moment(self, value: datetime | None) -> str:
        return value.astimezone(UK).strftime("%Y-%m-%d %H:%M") if value else ""

    def day(self, value: datetime | date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(UK).date()
        return value.isoformat()

    def ref(self, agency: str, event_id: str) -> str:
        return f"{agency}:{event_id}"

    def record(self, agency: str, record_id: str) -> str:
        return f"{agency}:{record_id}"

    def agency(self, code: str) -> str:
        return code

    def staff(self, name: str) -> str:
        return name

    def key(self) -> dict[str, Any] | None:
        return None


class Anonymiser(Redactor):
    """Replaces people, places, identifiers and days; remembers every replacement."""

    anonymised = True

    def __init__(self) -> None:
        self._tokens: dict[str, dict[str, tuple[int, set[str]]]] = {}
        self._ids: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        self._exact_re: re.Pattern[str] | None = None
        self._refs: dict[tuple[str, str], str] = {}
        self._agencies: dict[str, str] = {}
        self._staff: dict[str, str] = {}
        self._people: dict[str, dict[str, Any]] = {}
        self.replacements: Counter[tuple[str, str]] = Counter()

    # -- what it is told -------------------------------------------------------------------
    def add_person(self, names: PersonNames, *, strength: int = _STRONG) -> None:
        label = names.label
        shown = f"[{label}]" if label else "[name]"
        for value in names.given_names:
            for part in normalise(value).split():
                for variant in nickname_family(part):
                    self._add_token(variant, label, "given", strength)
        for value in names.family_names:
            for part in normalise(value).split():
                self._add_token(part, label, "family", strength)
        for value in names.other_names:
            parts = normalise(value).split()
            for i, part in enumerate(parts):
                kind = "given" if i == 0 and len(parts) > 1 else "family"
                for variant in nickname_family(part) if kind == "given" else {part}:
                    self._add_token(variant, label, kind, strength)
        for record_id in names.record_ids:
            self._ids.setdefault(record_id, shown)
        if strength != _STRONG:
            # Identifiers of people the pack does not place are left to the pattern pass: a
            # whole agency's postcodes in one expression would make every note slow to read.
            return
        for number in names.nhs_numbers:
            if number:
                self._exact.setdefault(number, "[NHS number]")
        for postcode in names.postcodes:
            if postcode.strip():
                self._exact.setdefault(postcode.strip(), "[postcode]")
        for address in names.addresses:
            address = address.strip()
            if not address:
                continue
            self._exact.setdefault(address, "[address]")
            for part in address.split(","):
                part = part.strip()
                if any(ch.isdigit() for ch in part) and len(part) > 3:
                    self._exact.setdefault(part, "[address]")
        self._exact_re = None
        if label and strength == _STRONG:
            entry = self._people.setdefault(label, {"pseudonym": label, "names": set()})
            entry["names"].update(
                n for n in (*names.given_names, *names.family_names, *names.other_names) if n
            )

    def add_event_ref(self, agency: str, event_id: str) -> str:
        key = (agency, event_id)
        if key not in self._refs:
            self._refs[key] = f"E{len(self._refs) + 1}"
            self._ids.setdefault(event_id, self._refs[key])
        return self._refs[key]

    def add_agencies(self, agencies: Iterable[tuple[str, str, str]]) -> None:
        """(code, name, sector) of every agency the pack names: each is shown by its sector
        ("Police"; "Health service A" and "B" when there are two)."""
        by_sector: dict[str, list[tuple[str, str]]] = {}
        for code, name, sector in sorted(set(agencies)):
            by_sector.setdefault(SECTOR_LABELS.get(sector, SECTOR_LABELS["other"]), []).append(
                (code, name)
            )
        for base, members in by_sector.items():
            for n, (code, name) in enumerate(members):
                label = base if len(members) == 1 else f"{base} {chr(ord('A') + n)}"
                self._agencies[code] = label
                self._exact.setdefault(code, label)
                if name.strip():
                    self._exact.setdefault(name.strip(), label)
        self._exact_re = None

    def _add_token(self, token: str, label: str | None, kind: str, strength: int) -> None:
        if len(token) < 2 or token in PLACEHOLDERS:
            return
        labels = self._tokens.setdefault(token, {})
        key = label or ""
        old_strength, kinds = labels.get(key, (0, set()))
        labels[key] = (max(old_strength, strength), kinds | {kind})

    # -- what it shows ---------------------------------------------------------------------
    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(UK)
        return month_year(local.year, local.month)

    def day(self, value: datetime | date | None) -> str:
        if value is None:
            return ""
        return month_year(value.year, value.month)

    def ref(self, agency: str, event_id: str) -> str:
        return self.add_event_ref(agency, event_id)

    def record(self, agency: str, record_id: str) -> str:
        return self._ids.get(record_id, "[record]")

    def agency(self, code: str) -> str:
        return self._agencies.get(code) or self._agencies.setdefault(code, "Other agency")

    def staff(self, name: str) -> str:
        if not name:
            return ""
        if name not in self._staff:
            self._staff[name] = f"Practitioner {len(self._staff) + 1}"
        shown = self._staff[name]
        self.replacements[(name, shown)] += 1
        return shown

    def text(self, value: str) -> str:
        if not value:
            return value
        value = self._replace_exact(value)
        value = _ID_TOKEN.sub(self._id_sub, value)
        value = self._patterns(value)
        value = self._names(value)
        return value

    def _note(self, found: str, shown: str) -> str:
        self.replacements[(found, shown)] += 1
        return shown

    def _replace_exact(self, value: str) -> str:
        if not self._exact:
            return value
        if self._exact_re is None:
            alternatives = sorted(self._exact, key=len, reverse=True)
            self._exact_re = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
            self._exact_lower = {k.lower(): v for k, v in self._exact.items()}
        return self._exact_re.sub(
            lambda m: self._note(m.group(0), self._exact_lower[m.group(0).lower()]), value
        )

    def _id_sub(self, match: re.Match[str]) -> str:
        found = match.group(0)
        bare = found.rstrip(".")  # the full stop after an id ends the sentence
        shown = self._ids.get(bare)
        return self._note(bare, shown) + found[len(bare) :] if shown else found

    def _patterns(self, value: str) -> str:
        value = _STREET.sub(lambda m: self._note(m.group(0), "[address]"), value)
        value = _POSTCODE.sub(lambda m: self._note(m.group(0), "[postcode]"), value)
        value = _ISO_DATE.sub(lambda m: self._date(m, int(m[1]), int(m[2])), value)
        value = _NUMERIC_DATE.sub(lambda m: self._date(m, _year(m[3]), int(m[2])), value)
        value = _DAY_MONTH_YEAR.sub(lambda m: self._date(m, int(m[3]), _month(m[2])), value)
        value = _MONTH_DAY_YEAR.sub(lambda m: self._date(m, int(m[3]), _month(m[1])), value)
        value = _DAY_MONTH.sub(lambda m: self._note(m.group(0), MONTHS[_month(m[2]) - 1]), value)
        value = _MONTH_DAY.sub(lambda m: self._note(m.group(0), MONTHS[_month(m[1]) - 1]), value)
        value = _SHORT_DATE.sub(self._short_date, value)
        value = _PHONE.sub(lambda m: self._note(m.group(0), "[phone number]"), value)
        value = _NHS_LIKE.sub(lambda m: self._note(m.group(0), "[NHS number]"), value)
        value = _TITLED_NAME.sub(lambda m: self._note(m.group(0), f"{m[1]} [name]"), value)
        return value

    def _date(self, match: re.Match[str], year: int, month: int) -> str:
        if not 1 <= month <= 12:
            return match.group(0)
        return self._note(match.group(0), month_year(year, month))

    def _short_date(self, match: re.Match[str]) -> str:
        day, month = int(match[1]), int(match[2])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match.group(0)
        return self._note(match.group(0), MONTHS[month - 1])

    def _names(self, value: str) -> str:
        out: list[str] = []
        last = 0
        matches = list(_WORD.finditer(value))
        i = 0
        while i < len(matches):
            match = matches[i]
            found = self._lookup(match.group(0))
            if found is None:
                i += 1
                continue
            label, kinds = found
            end = match.end()
            # "Kayleigh Ashworth": a given name followed by a family name is one person.
            if "given" in kinds and i + 1 < len(matches):
                following = matches[i + 1]
                if value[end : following.start()] in (" ", "-"):
                    next_found = self._lookup(following.group(0))
                    if next_found is not None and "family" in next_found[1]:
                        end = following.end()
                        i += 1
            if "given" in kinds and label is not None:
                shown = f"[{label}]"
            elif "given" in kinds:
                shown = "[name]"
            else:
                shown = "[surname]"
            found_text = value[match.start() : end]
            if found_text[-2:] in ("'s", "\u2019s") and len(found_text) > 2:
                shown += found_text[-2:]
            out.append(value[last : match.start()])
            out.append(self._note(found_text, shown))
            last = end
            i += 1
        out.append(value[last:])
        return "".join(out)

    def _lookup(self, word: str) -> tuple[str | None, set[str]] | None:
        """The label a word names (None: unplaced) and whether it is a given or family name."""
        base = word
        if len(word) > 2 and word[-2:] in ("'s", "\u2019s"):
            base = word[:-2]
        key = normalise(base).replace(" ", "")
        labels = self._tokens.get(key)
        if not labels:
            return None
        if (key in COMMON_WORDS or len(key) <= 2) and not base[:1].isupper():
            return None
        strongest = max(strength for strength, _ in labels.values())
        chosen = {k: kinds for k, (strength, kinds) in labels.items() if strength == strongest}
        givens = [k for k, kinds in chosen.items() if "given" in kinds]
        if len(givens) == 1 and givens[0]:
            return givens[0], {"given"}
        if givens:
            return None, {"given"}
        return None, {"family"}

    # -- the private key -------------------------------------------------------------------
    def key(self) -> dict[str, Any]:
        return {
            "people": [
                {"pseudonym": p["pseudonym"], "names": sorted(p["names"])}
                for p in self._people.values()
            ],
            "events": {ref: f"{a}:{i}" for (a, i), ref in self._refs.items()},
            "agencies": {label: code for code, label in self._agencies.items()},
            "staff": {label: name for name, label in self._staff.items()},
            "replacements": [
                {"found": found, "replaced_with": shown, "times": n}
                for (found, shown), n in sorted(self.replacements.items())
            ],
        }


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _month(text: str) -> int:
    return _MONTH_INDEX[text.lower()[:3]]


def all_strings(value: Any) -> Iterable[str]:
    """Every string inside a pack, for checking what it shows."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from all_strings(v)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from all_strings(item)

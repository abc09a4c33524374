"""Finding a person by name (forgiving nicknames and slips), birth date, NHS number or agency id.

The search reads agencies' records and answers persons. It does not decide who may see whom:
the caller filters the answer through `kinsight.access.checks.visible_among`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from kinsight.lib.nhs import normalise_nhs_number
from kinsight.people.models import PersonRecord
from kinsight.people.names import (
    NICKNAMES,
    damerau_levenshtein,
    formal_forms,
    normalise,
    soundex,
)

LIMIT = 50
# Records read to score a name search: a generous bound on one initial's share of the store.
SCAN_LIMIT = 20_000


@dataclass
class Criteria:
    name: str = ""
    birth_date: date | None = None
    nhs_number: str = ""
    agency_id: str = ""

    def __post_init__(self) -> None:
        # Typed text goes into queries and the audit trail: no NULs, no lone surrogates.
        for name in ("name", "nhs_number", "agency_id"):
            value = getattr(self, name).encode("utf-8", "replace").decode("utf-8")
            setattr(self, name, value.replace("\x00", "").strip())

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.birth_date or self.nhs_number or self.agency_id)

    def as_audit(self) -> dict[str, str]:
        return {
            "name": self.name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "nhs_number": self.nhs_number,
            "agency_id": self.agency_id,
        }


@dataclass
class Found:
    """What tells two people apart, and no more: no address, no NHS number, no history."""

    person_id: int
    name: str
    birth_date: str
    sex: str
    postcode_area: str
    agencies: list[str] = field(default_factory=list)
    score: int = 0

    @property
    def public_id(self) -> str:
        return f"p-{self.person_id}"


def find_people(criteria: Criteria) -> list[Found]:
    """Persons whose records match every criterion given, best name match first."""
    records = PersonRecord.objects.filter(person__isnull=False, retracted_at__isnull=True)
    if criteria.nhs_number:
        records = records.filter(nhs_number=normalise_nhs_number(criteria.nhs_number))
    if criteria.agency_id:
        records = _by_agency_id(records, criteria.agency_id.strip())
    if criteria.birth_date:
        day = criteria.birth_date
        records = records.filter(
            Q(birth_date=day.isoformat()) | Q(birth_date=f"{day:%Y-%m}") | Q(birth_date=f"{day:%Y}")
        )
    tokens = normalise(criteria.name).split()
    if tokens:
        records = records.filter(_name_prefilter(tokens))
    rows = list(
        records.values_list(
            "person_id", "given_name", "family_name", "other_names", "birth_date", "sex",
            "postcode", "agency__code",
        )[:SCAN_LIMIT]
    )  # fmt: skip
    scores: dict[int, int] = {}
    for pid, given, family, others, *_ in rows:
        score = name_score(tokens, given, family, others) if tokens else 1
        if score > 0:
            scores[pid] = max(scores.get(pid, 0), score)
    if not scores:
        return []
    return _summaries(sorted(scores, key=lambda pid: (-scores[pid], pid))[:LIMIT], scores)


def _by_agency_id(records: QuerySet[PersonRecord], text: str) -> QuerySet[PersonRecord]:
    """`C-10` matches that id at any agency; `csc-lancs:C-10` at that agency only."""
    agency, sep, record_id = text.partition(":")
    if sep and agency and record_id:
        return records.filter(agency__code=agency, record_id=record_id)
    return records.filter(record_id=text)


def _name_prefilter(tokens: list[str]) -> Q:
    # A family name is rarely misspelt in its first letter; the scoring does the rest.
    last = tokens[-1]
    condition = Q(family_name__istartswith=last[0])
    if len(tokens) == 1:
        condition |= Q(given_name__istartswith=last[0])
        for formal in formal_forms(last):
            condition |= Q(given_name__istartswith=formal[0])
    return condition


def _given_variants(name: str) -> set[str]:
    return {name, *formal_forms(name), *NICKNAMES.get(name, ())}


def _close(a: str, b: str) -> bool:
    """Two spellings of one name: the same sound, or one slip (two in a long name)."""
    if not a or not b:
        return False
    if a == b:
        return True
    allowed = 2 if min(len(a), len(b)) >= 7 else 1 if min(len(a), len(b)) >= 4 else 0
    if allowed and damerau_levenshtein(a, b) <= allowed:
        return True
    return len(a) >= 3 and len(b) >= 3 and a[0] == b[0] and soundex(a) == soundex(b)


def _given_score(wanted: str, given: str, others: list[str]) -> int:
    names = [normalise(given).split(" ")[0], *(normalise(o).split(" ")[0] for o in others)]
    if wanted in names:
        return 3
    if _given_variants(wanted) & set(names):
        return 2
    return 1 if any(_close(wanted, n) for n in names) else 0


def _family_score(wanted: str, family: str) -> int:
    have = normalise(family)
    if wanted == have or wanted in have.split():
        return 3
    return 2 if any(_close(wanted, part) for part in have.split() or [have]) else 0


def name_score(tokens: list[str], given: str, family: str, others: list[str]) -> int:
    """How well a typed name matches a record: 0 for no match, up to 6 for an exact one.

    >>> name_score(["liz", "walsh"], "Elizabeth", "Walsh", [])
    5
    >>> name_score(["chloe", "welsh"], "Chloe", "Walsh", [])
    5
    >>> name_score(["oliver", "smith"], "Chloe", "Walsh", [])
    0
    """
    if len(tokens) == 1:
        word = tokens[0]
        return max(_family_score(word, family), _given_score(word, given, others))
    family_score = _family_score(tokens[-1], family)
    given_score = _given_score(tokens[0], given, others)
    if not family_score or not given_score:
        return 0
    return family_score + given_score


def _summaries(person_ids: list[int], scores: dict[int, int]) -> list[Found]:
    rows = (
        PersonRecord.objects.filter(person_id__in=person_ids, retracted_at__isnull=True)
        .values_list(
            "person_id", "given_name", "family_name", "birth_date", "sex", "postcode",
            "agency__code",
        )
        .order_by("person_id", "pk")
    )  # fmt: skip
    names: dict[int, Counter[str]] = {}
    found: dict[int, Found] = {}
    for pid, given, family, birth, sex, postcode, agency in rows:
        entry = found.setdefault(pid, Found(pid, "", "", "", "", [], scores[pid]))
        name = " ".join(p for p in (given, family) if p)
        if name:
            names.setdefault(pid, Counter())[name] += 1
        if len(birth) > len(entry.birth_date):
            entry.birth_date = birth
        entry.sex = entry.sex or sex
        entry.postcode_area = entry.postcode_area or postcode.split(" ")[0].upper()
        if agency not in entry.agencies:
            entry.agencies.append(agency)
    for pid, entry in found.items():
        entry.name = names[pid].most_common(1)[0][0] if pid in names else "(no name)"
    return [found[pid] for pid in person_ids if pid in found]

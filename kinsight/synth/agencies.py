"""The synthetic partnership: who sends feeds, and how each numbers its records.

Every agency keeps its own identifiers and Kinsight never asks it to change them, so each one
here has its own scheme: a council's "C-10233", a hospital's "H-00012", the police's
"P/2019/77". Numbering is by counters that run across the whole population in generation
order, which keeps the output identical for the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    sector: str
    person_format: str  # str.format template with {n} (and {year} where the scheme has one)
    event_format: str
    first: int = 1


AGENCIES: tuple[Agency, ...] = (
    Agency("csc-lancs", "Lancashire County Council Children's Social Care", "social_care",
           "C-{n}", "LCS-{n:07d}", 10001),
    Agency("csc-bwd", "Blackburn with Darwen Children's Services", "social_care",
           "BWD{n:06d}", "BWD-CN-{n}", 1),
    Agency("lancs-police", "Lancashire Constabulary", "police",
           "P/{year}/{n}", "INC-{year}-{n}", 1),
    Agency("elht", "East Lancashire Hospitals NHS Trust", "health",
           "H-{n:05d}", "ELHT-{n:07d}", 1),
    Agency("lth", "Lancashire Teaching Hospitals NHS Foundation Trust", "health",
           "RXN{n:07d}", "LTH/{year}/{n}", 1),
    Agency("gp-lancs", "Lancashire and Pennine GP Federation", "health",
           "GP-{n:06d}", "GPC{n:08d}", 1),
    Agency("hv-lancs", "Lancashire 0-19 Health Visiting Service", "health",
           "HV{n:06d}", "HVE-{n}", 1),
    Agency("nursery-1", "Little Acorns Day Nursery, Burnley", "early_years",
           "N-{n}", "OBS-{n}", 1),
    Agency("nursery-2", "Rainbow Corner Pre-School, Blackburn", "early_years",
           "N-{n}", "OBS-{n}", 1),
    Agency("nursery-3", "Sunnyside Children's Centre Nursery, Preston", "early_years",
           "N-{n}", "OBS-{n}", 1),
    Agency("st-marys-primary", "St Mary's CE Primary School", "education",
           "A888{n:09d}", "SMP-{n}", 1),
    Agency("moorside-primary", "Moorside Community Primary School", "education",
           "B889{n:09d}", "MCP-{n}", 1),
    Agency("ribblesdale-primary", "Ribblesdale Primary School", "education",
           "C890{n:09d}", "RPS-{n}", 1),
    Agency("pendle-academy", "Pendle Vale Academy", "education",
           "D888{n:09d}", "PVA-{n}", 1),
    Agency("ribble-high", "Ribble Valley High School", "education",
           "E890{n:09d}", "RVH-{n}", 1),
    Agency("inspire-lancs", "Inspire Lancashire Drug and Alcohol Service", "substance_misuse",
           "INS{n:05d}", "INS-E{n}", 1),
    Agency("lscft", "Lancashire and South Cumbria NHS Foundation Trust, Mental Health",
           "mental_health", "MH-{n:06d}", "LSCFT-{n}", 1),
    Agency("probation-nw", "Probation Service North West", "probation",
           "X{n:06d}", "PRB-{n}", 1),
)  # fmt: skip

BY_CODE: dict[str, Agency] = {agency.code: agency for agency in AGENCIES}
ORDER: dict[str, int] = {agency.code: index for index, agency in enumerate(AGENCIES)}

POLICE = "lancs-police"
GP = "gp-lancs"
HV = "hv-lancs"
DRUGS = "inspire-lancs"
MENTAL_HEALTH = "lscft"
PROBATION = "probation-nw"
SOCIAL_CARE = frozenset(agency.code for agency in AGENCIES if agency.sector == "social_care")


@dataclass(frozen=True, slots=True)
class Area:
    """The local services a household at an address in this area uses."""

    council: str
    trust: str
    nursery: str
    primary: str
    secondary: str


AREAS: dict[str, Area] = {
    "east": Area("csc-lancs", "elht", "nursery-1", "st-marys-primary", "pendle-academy"),
    "bwd": Area("csc-bwd", "elht", "nursery-2", "moorside-primary", "pendle-academy"),
    "west": Area("csc-lancs", "lth", "nursery-3", "ribblesdale-primary", "ribble-high"),
}


class Numbering:
    """Hands out each agency's next person and event identifiers."""

    def __init__(self) -> None:
        self._counters: dict[tuple[str, str, int], int] = {}

    def _next(self, agency: Agency, kind: str, year: int) -> int:
        key = (agency.code, kind, year)
        value = self._counters.get(key, agency.first)
        self._counters[key] = value + 1
        return value

    def person_id(self, code: str, year: int) -> str:
        agency = BY_CODE[code]
        per_year = "{year}" in agency.person_format
        n = self._next(agency, "person", year if per_year else 0)
        return agency.person_format.format(n=n, year=year)

    def event_id(self, code: str, year: int) -> str:
        agency = BY_CODE[code]
        per_year = "{year}" in agency.event_format
        n = self._next(agency, "event", year if per_year else 0)
        return agency.event_format.format(n=n, year=year)

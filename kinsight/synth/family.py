"""The people of one synthetic family, their households, and what agencies recorded about them.

A family is generated whole, held in memory while it is built (a few hundred small objects), and
then written out and dropped: memory stays flat however many families are asked for. Events,
relationships and records refer to :class:`Person` objects; agency identifiers are handed out only
when the family is written, in recording order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kinsight.synth import names
from kinsight.synth.agencies import AREAS, Area, Numbering
from kinsight.synth.identity import NhsNumbers
from kinsight.synth.workdays import END, START, age_in_years

# Stands for "every agency that holds a record about this family" in `shared_with` and
# `attended_by`; it is replaced when the family is written and that list is known.
EVERYONE: list[str] = ["*"]

YEAR = 365


@dataclass(eq=False, slots=True)
class Address:
    line1: str
    town: str
    postcode: str


@dataclass(eq=False, slots=True)
class Household:
    index: int
    area: str
    addresses: list[tuple[int, Address]]  # (from day, address), oldest first

    @property
    def services(self) -> Area:
        return AREAS[self.area]

    def address_at(self, day: int) -> Address:
        current = self.addresses[0][1]
        for start, address in self.addresses:
            if start > day:
                break
            current = address
        return current

    def previous_address(self, day: int) -> Address | None:
        """The address before the one current that day, if the household has moved."""
        earlier = [address for start, address in self.addresses if start <= day]
        return earlier[-2] if len(earlier) >= 2 else None


@dataclass(eq=False, slots=True)
class Person:
    tid: str
    index: int
    role: str
    sex: str
    given: str
    surname: str
    birth: int  # the real birth date; for a child still unborn at the end, the expected one
    nhs: str
    hh: int | None  # the household lived in, None for a parent who lives elsewhere
    mother: Person | None = None
    father: Person | None = None
    own_addresses: list[tuple[int, Address]] = field(default_factory=list)
    joins: int | None = None  # day this person moved into household `hh`
    leaves: int | None = None  # day this person left it
    removed: int | None = None  # day a child was removed into care
    married: tuple[int, str] | None = None  # (day, new family name)
    pregnancy: Pregnancy | None = None
    partnership_start: int | None = None
    first_use: dict[str, int] = field(default_factory=dict)  # agency -> first moment referenced
    records: dict[str, str] = field(default_factory=dict)  # agency -> that agency's id

    @property
    def is_child(self) -> bool:
        return self.role == "child"

    def born_by(self, day: int) -> bool:
        return self.birth <= day and self.birth <= END

    def under_18(self, day: int) -> bool:
        return self.born_by(day) and age_in_years(self.birth, day) < 18

    def surname_on(self, day: int) -> str:
        if self.married is not None and day >= self.married[0]:
            return self.married[1]
        return self.surname


@dataclass(eq=False, slots=True)
class Pregnancy:
    mother: Person
    babies: list[Person]
    edd: int
    gestation_at_booking: int  # whole weeks
    booking_day: int | None  # None when the booking was before the family's window
    birth_day: int | None  # None when the baby is still unborn at the end
    trust: str
    scripted_birth: bool = False  # the harm pattern writes the birth and discharge itself
    booking_ev: Ev | None = None
    birth_ev: Ev | None = None


@dataclass(eq=False, slots=True)
class Ev:
    agency: str
    etype: str
    occ: int
    rec: int
    subjects: list[tuple[Person, str]]
    summary: str
    details: dict[str, Any] | None
    shared: list[str] | None
    seq: int
    date_only: bool = False
    id: str = ""


@dataclass(eq=False, slots=True)
class Rel:
    agency: str
    person: Person
    relative: Person
    rtype: str
    start: int | None
    end: int | None
    rec: int


@dataclass(eq=False, slots=True)
class Expected:
    rule: str
    child: Person
    agency: str  # the agency whose record of the child the truth names, when it has one
    raised: int
    evidence: list[Ev]
    severity: str


@dataclass(eq=False, slots=True)
class PatternTruth:
    pattern: str
    expected: list[Expected]
    scenario: str = ""


@dataclass(slots=True)
class Spec:
    """What a harm pattern needs of the family it is injected into."""

    anchor: int
    births: list[int]  # the children the pattern is about, all in the first household
    older: int = -1  # older siblings to add before them; -1 lets chance decide
    father_present: bool | None = None
    second_household: str | None = None  # "father": the father has another family; "ex": see below
    half_sibling_births: list[int] = field(default_factory=list)
    scripted_births: tuple[int, ...] = ()  # indexes into births whose birth the pattern writes
    window_latest: int | None = None  # the family's window must have opened by then
    removed: dict[int, int] = field(default_factory=dict)  # index into births -> day removed
    variant: str = ""  # the pattern's own choice among its forms, made with the family's shape


class Context:
    """What lasts across families: numbering, NHS numbers, person counters."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.numbering = Numbering()
        self.nhs = NhsNumbers(seed)
        self.persons = 0


class Fam:
    def __init__(self, context: Context, index: int, rng: random.Random, harm: bool) -> None:
        self.context = context
        self.index = index
        self.fid = f"F-{index + 1}"
        self.rng = rng
        self.harm = harm
        self.careful = harm
        self.window = START
        self.persons: list[Person] = []
        self.households: list[Household] = []
        self.pregnancies: list[Pregnancy] = []
        self.events: list[Ev] = []
        self.rels: list[Rel] = []
        self.patterns: list[PatternTruth] = []
        self.twins: list[tuple[Person, Person]] = []
        self.csc_linked: set[int] = set()
        self.mother: Person | None = None
        self.father: Person | None = None  # father of the first household's youngest children
        self.other_man: Person | None = None  # the man with a second household, when there is one
        self.seq = 0

    # -- people ---------------------------------------------------------------------------

    def add_person(
        self, role: str, sex: str, given: str, surname: str, birth: int, hh: int | None
    ) -> Person:
        self.context.persons += 1
        person = Person(
            tid=f"T-{self.context.persons}",
            index=len(self.persons),
            role=role,
            sex=sex,
            given=given,
            surname=surname,
            birth=birth,
            nhs=self.context.nhs.issue(),
            hh=hh,
        )
        self.persons.append(person)
        return person

    def children(self, hh: int | None = None) -> list[Person]:
        return [p for p in self.persons if p.is_child and (hh is None or p.hh == hh)]

    def adults(self) -> list[Person]:
        return [p for p in self.persons if not p.is_child]

    def children_at(self, hh: int, day: int) -> list[Person]:
        """Children living in the household that day: born, under 18, not removed."""
        return [
            p
            for p in self.persons
            if p.is_child
            and p.hh == hh
            and p.under_18(day)
            and (p.removed is None or day < p.removed)
        ]

    def address_of(self, person: Person, day: int) -> Address | None:
        if (
            person.hh is not None
            and (person.joins is None or day >= person.joins)
            and (person.leaves is None or day < person.leaves)
            and (person.removed is None or day < person.removed)
        ):
            return self.households[person.hh].address_at(day)
        current = None
        for start, address in person.own_addresses:
            if start > day:
                break
            current = address
        if current is None and person.hh is not None:
            return self.households[person.hh].address_at(day)
        return current

    def services(self, hh: int) -> Area:
        return self.households[hh].services

    # -- records ----------------------------------------------------------------------------

    def ev(
        self,
        agency: str,
        etype: str,
        occ: int,
        subjects: Iterable[tuple[Person, str]],
        summary: str,
        details: dict[str, Any] | None = None,
        shared: list[str] | None = None,
        rec: int | None = None,
        date_only: bool = False,
    ) -> Ev:
        self.seq += 1
        event = Ev(
            agency=agency,
            etype=etype,
            occ=occ,
            rec=occ if rec is None else rec,
            subjects=list(subjects),
            summary=summary,
            details=details,
            shared=shared,
            seq=self.seq,
            date_only=date_only,
        )
        for person, _ in event.subjects:
            self.use(person, agency, event.rec)
        self.events.append(event)
        return event

    def rel(
        self,
        agency: str,
        person: Person,
        relative: Person,
        rtype: str,
        start: int | None,
        rec: int,
        end: int | None = None,
    ) -> Rel:
        relationship = Rel(agency, person, relative, rtype, start, end, rec)
        self.use(person, agency, rec)
        self.use(relative, agency, rec)
        self.rels.append(relationship)
        return relationship

    @staticmethod
    def use(person: Person, agency: str, moment: int) -> None:
        first = person.first_use.get(agency)
        if first is None or moment < first:
            person.first_use[agency] = moment


# -- building a family ------------------------------------------------------------------------


def random_address(rng: random.Random, area: str) -> Address:
    town = rng.choice(names.TOWNS_BY_AREA[area])
    district = rng.choice(names.TOWNS[town][1])
    letters = names.POSTCODE_LETTERS
    postcode = f"{district} {rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"
    return Address(f"{rng.randrange(1, 180)} {rng.choice(names.STREETS)}", town, postcode)


def _household(fam: Fam, area: str, moves: int) -> Household:
    rng = fam.rng
    addresses = [(START - 20 * YEAR, random_address(rng, area))]
    days = sorted(rng.randrange(fam.window + 60, END - 30) for _ in range(moves))
    for day in days:
        if day - addresses[-1][0] > 120:
            addresses.append((day, random_address(rng, area)))
    household = Household(len(fam.households), area, addresses)
    fam.households.append(household)
    return household


def pick_given(rng: random.Random, sex: str, child: bool, avoid: Iterable[str] = ()) -> str:
    pool = (
        (names.GIRLS if sex == "female" else names.BOYS)
        if child
        else (names.WOMEN if sex == "female" else names.MEN)
    )
    taken = set(avoid)
    while True:
        name = rng.choice(pool)
        if name not in taken:
            return name


def pick_surname(rng: random.Random, avoid: Iterable[str] = ()) -> str:
    taken = set(avoid)
    while True:
        name = rng.choice(names.SURNAMES)
        if name not in taken:
            return name


def _add_child(
    fam: Fam, birth: int, hh: int, mother: Person, father: Person | None, siblings: list[Person]
) -> Person:
    rng = fam.rng
    sex = rng.choice(("female", "male"))
    given = pick_given(rng, sex, True, (s.given for s in siblings))
    if father is not None and rng.random() < 0.6:
        surname = father.surname
    else:
        surname = mother.surname
    child = fam.add_person("child", sex, given, surname, birth, hh)
    child.mother, child.father = mother, father
    siblings.append(child)
    return child


def _pregnancy(fam: Fam, mother: Person, babies: list[Person], scripted: bool, trust: str) -> None:
    rng = fam.rng
    birth = babies[0].birth
    multiple = len(babies) > 1
    edd = birth + (rng.randrange(14, 36) if multiple else rng.randrange(-10, 15))
    gestation = rng.randrange(8, 14)
    booking = edd - (40 - gestation) * 7
    pregnancy = Pregnancy(
        mother=mother,
        babies=babies,
        edd=edd,
        gestation_at_booking=gestation,
        booking_day=booking if fam.window <= booking <= END else None,
        birth_day=birth if birth <= END else None,
        trust=trust,
        scripted_birth=scripted,
    )
    for baby in babies:
        baby.pregnancy = pregnancy
    if pregnancy.birth_day is None and pregnancy.booking_day is None:
        return
    fam.pregnancies.append(pregnancy)


def _adult_birth(rng: random.Random, first_child: int) -> int:
    # At least 19 at the first birth: a parent under 18 at the booking is a pre-birth trigger.
    return first_child - rng.randrange(19 * YEAR, 37 * YEAR)


def man_birth(rng: random.Random, woman: Person, first_child: int | None = None) -> int:
    """A man a little older than his partner (sometimes younger), at least 19 at fatherhood."""
    birth = woman.birth - rng.randrange(-2 * YEAR, 8 * YEAR)
    if first_child is not None:
        birth = min(birth, first_child - 19 * YEAR)
    return birth


def build_ordinary(fam: Fam) -> None:
    """An ordinary family: one to four children, sometimes a father's second family."""
    rng = fam.rng
    fam.window = rng.randrange(START, START + 6 * YEAR + 180)
    count = rng.choices((1, 2, 3, 4), (30, 40, 20, 10))[0]
    youngest = rng.randrange(fam.window - 9 * YEAR, min(fam.window + 6 * YEAR, END + 150))
    births = [youngest]
    for _ in range(count - 1):
        earlier = births[0] - rng.randrange(430, 5 * YEAR)
        if earlier < fam.window - 16 * YEAR:
            break
        births.insert(0, earlier)
    twins_last = fam.index % 25 == 3 or rng.random() < 0.015
    _populate(
        fam,
        births=births,
        twins_last=twins_last,
        father_present=rng.random() < 0.68,
        older_same_father=rng.random() < 0.7,
        second_household="father" if rng.random() < 0.12 else None,
        half_sibling_births=[],
        scripted=(),
        older_count=len(births) - 1,
    )


def build_for(fam: Fam, spec: Spec) -> None:
    """A family shaped for a harm pattern: its key children born when the pattern needs them."""
    rng = fam.rng
    latest = spec.window_latest if spec.window_latest is not None else spec.anchor - 200
    lead = rng.randrange(200, 4 * YEAR)
    fam.window = max(START, min(latest, spec.anchor - lead))
    older = spec.older if spec.older >= 0 else rng.choice((0, 0, 1, 1, 2))
    births = sorted(spec.births)
    added = 0
    while added < older:
        earlier = births[0] - rng.randrange(430, 5 * YEAR)
        if earlier < spec.anchor - 16 * YEAR:
            break
        births.insert(0, earlier)
        added += 1
    scripted = tuple(births.index(sorted(spec.births)[i]) for i in spec.scripted_births)
    _populate(
        fam,
        births=births,
        twins_last=False,
        father_present=spec.father_present if spec.father_present is not None else True,
        older_same_father=rng.random() < 0.6,
        second_household=spec.second_household,
        half_sibling_births=spec.half_sibling_births,
        scripted=scripted,
        older_count=added,
    )
    for index, day in spec.removed.items():
        child = next(c for c in fam.children(0) if c.birth == sorted(spec.births)[index])
        child.removed = day


def _populate(
    fam: Fam,
    *,
    births: list[int],
    twins_last: bool,
    father_present: bool,
    older_same_father: bool,
    second_household: str | None,
    half_sibling_births: list[int],
    scripted: tuple[int, ...],
    older_count: int,
) -> None:
    rng = fam.rng
    area = rng.choice(("east", "east", "bwd", "west", "west"))
    # Families with a pattern stay put: agencies updating a move at different times would make
    # `household_record_conflict` alerts the truth does not list.
    moves = rng.choices((0, 1, 2), (60, 30, 10))[0] if not fam.harm else 0
    home = _household(fam, area, moves)

    mother_surname = pick_surname(rng)
    mother = fam.add_person(
        "mother",
        "female",
        pick_given(rng, "female", False),
        mother_surname,
        _adult_birth(rng, births[0]),
        home.index,
    )
    fam.mother = mother
    father_surname = pick_surname(rng) if rng.random() < 0.85 else mother_surname
    father = fam.add_person(
        "father",
        "male",
        pick_given(rng, "male", False),
        father_surname,
        man_birth(rng, mother, births[0]),
        home.index if father_present else None,
    )
    fam.father = father
    if not father_present:
        father.own_addresses = [(START - 20 * YEAR, random_address(rng, area))]
    earlier_father: Person | None = None
    siblings: list[Person] = []
    groups: list[list[Person]] = []
    for position, birth in enumerate(births):
        dad = father
        if position < older_count and not older_same_father:
            if earlier_father is None:
                earlier_father = fam.add_person(
                    "father",
                    "male",
                    pick_given(rng, "male", False),
                    pick_surname(rng),
                    man_birth(rng, mother, births[0]),
                    None,
                )
                earlier_father.own_addresses = [(START - 20 * YEAR, random_address(rng, area))]
            dad = earlier_father
        group = [_add_child(fam, birth, home.index, mother, dad, siblings)]
        if twins_last and position == len(births) - 1:
            group.append(_add_child(fam, birth, home.index, mother, dad, siblings))
            group[1].surname = group[0].surname
            fam.twins.append((group[0], group[1]))
        groups.append(group)
    father_children = [c for c in siblings if c.father is father]
    father.partnership_start = min(
        (c.birth for c in father_children), default=births[-1]
    ) - rng.randrange(200, 4 * YEAR)
    if earlier_father is not None:
        earlier_father.partnership_start = siblings[0].birth - rng.randrange(200, 3 * YEAR)
    for position, group in enumerate(groups):
        _pregnancy(fam, mother, group, position in scripted, home.services.trust)

    if not fam.harm and father_present and father.surname != mother.surname and rng.random() < 0.15:
        day = rng.randrange(fam.window, END)
        mother.married = (day, father.surname)

    if second_household is not None:
        _second_household(fam, second_household, father, half_sibling_births, area)


def _second_household(fam: Fam, mode: str, father: Person, births: list[int], area: str) -> None:
    """Another household joined to this family through one man.

    "father": the father of the first household's children also has children with an
    ex-partner, who live elsewhere (half-siblings). "ex": a man living with his ex-partner and
    their children elsewhere, who will later join the first household as a new partner.
    """
    rng = fam.rng
    other_area = area if rng.random() < 0.7 else rng.choice(("east", "bwd", "west"))
    other = _household(fam, other_area, 0)
    if mode == "father":
        man = father
    else:
        man = fam.add_person(
            "partner",
            "male",
            pick_given(rng, "male", False),
            pick_surname(rng),
            man_birth(rng, fam.persons[0], births[0] if births else None),
            other.index,
        )
    fam.other_man = man
    if not births:
        anchor = min(c.birth for c in fam.children(0))
        births = [anchor - rng.randrange(400, 6 * YEAR)]
        if rng.random() < 0.3:
            births.insert(0, births[0] - rng.randrange(430, 4 * YEAR))
        births = [b for b in births if b > fam.window - 16 * YEAR] or [births[-1]]
    man.birth = min(man.birth, births[0] - 19 * YEAR - rng.randrange(0, 3 * YEAR))
    ex = fam.add_person(
        "ex_partner",
        "female",
        pick_given(rng, "female", False),
        pick_surname(rng),
        _adult_birth(rng, births[0]),
        other.index,
    )
    ex.partnership_start = births[0] - rng.randrange(200, 3 * YEAR)
    siblings: list[Person] = []
    for birth in births:
        _add_child(fam, birth, other.index, ex, man, siblings)
        _pregnancy(fam, ex, [siblings[-1]], False, other.services.trust)


def adults_of(fam: Fam, hh: int, day: int) -> list[Person]:
    """Adults living in the household that day."""
    return [
        p
        for p in fam.persons
        if not p.is_child
        and p.hh == hh
        and (p.joins is None or day >= p.joins)
        and (p.leaves is None or day < p.leaves)
    ]

"""Ordinary contacts: what universal services record about every family.

Health visiting, GP, maternity, nursery and school contacts make up most of a family's
chronology and nearly all of them are routine. Families without an injected pattern also get the
occasional police call, a short social-care episode, an emergency-department visit or a missed
appointment, each kept below the thresholds of `rules.md` (see `_ordinary_extras`). Families with
an injected pattern get only the universal contacts, so that the pattern alone decides which
alerts they should raise.
"""

from __future__ import annotations

import random
from datetime import date

from kinsight.synth import texts
from kinsight.synth.agencies import GP, HV, MENTAL_HEALTH, POLICE, PROBATION
from kinsight.synth.family import (
    YEAR,
    Fam,
    Person,
    Pregnancy,
    adults_of,
    man_birth,
    pick_given,
    pick_surname,
    random_address,
)
from kinsight.synth.workdays import (
    END,
    MINUTES_PER_DAY,
    add_months,
    add_working_days,
    age_in_years,
    at,
    day_of,
    iso_date,
    weekday_on_or_after,
    year_of,
)

LAST_MOMENT = END * MINUTES_PER_DAY + MINUTES_PER_DAY - 1
PRACTICES = (
    "Colne Road Surgery",
    "Pendleside Medical Practice",
    "Whalley Road Health Centre",
    "Fulwood Medical Centre",
    "Darwen Health Centre",
    "Ribble Village Surgery",
)


def some_day(rng: random.Random, low: int, high: int) -> int | None:
    """A day in [low, high], or None when the range is empty."""
    return rng.randrange(low, high + 1) if low <= high else None


def office(rng: random.Random, day: int) -> int:
    """A moment in working hours on that weekday (or the next one)."""
    return at(weekday_on_or_after(day), 9, 0) + 5 * rng.randrange(0, 96)


def recorded(rng: random.Random, occurred: int, late: float = 0.04) -> int:
    """When a contact was written up: usually within the hour or two, sometimes days later."""
    if rng.random() < late:
        day = weekday_on_or_after(day_of(occurred) + rng.randrange(1, 11))
        return min(at(day, 8, 30) + 5 * rng.randrange(0, 110), LAST_MOMENT)
    return min(occurred + 5 * rng.randrange(1, 30), LAST_MOMENT)


def background(fam: Fam) -> None:
    if not fam.harm:
        _ordinary_structure(fam)
    for pregnancy in fam.pregnancies:
        _pregnancy(fam, pregnancy)
    for child in fam.children():
        _health_visiting(fam, child)
        _gp_child(fam, child)
        _nursery(fam, child)
        _school(fam, child)
    for adult in fam.adults():
        _gp_adult(fam, adult)
    if not fam.harm:
        _ordinary_extras(fam)


# -- maternity --------------------------------------------------------------------------------


def _pregnancy(fam: Fam, pregnancy: Pregnancy) -> None:
    rng = fam.rng
    mother, babies, trust = pregnancy.mother, pregnancy.babies, pregnancy.trust
    multiple = len(babies) > 1
    if pregnancy.booking_day is not None:
        occ = office(rng, pregnancy.booking_day)
        weeks = pregnancy.gestation_at_booking
        template = rng.choice(texts.BOOKING_MULTIPLE if multiple else texts.BOOKING)
        pregnancy.booking_ev = fam.ev(
            trust,
            "antenatal_booking",
            occ,
            [(mother, "subject")] + [(baby, "child") for baby in babies],
            template.format(weeks=weeks, days=rng.randrange(7), edd=iso_date(pregnancy.edd)),
            {
                "gestation_weeks": weeks,
                "expected_birth_date": iso_date(pregnancy.edd),
                "multiple": multiple,
            },
            rec=recorded(rng, occ, late=0.0),
        )
        for baby in babies:
            fam.rel(trust, baby, mother, "mother", None, pregnancy.booking_ev.rec)
        scan_day = pregnancy.edd - 140
        if fam.window <= scan_day <= END and (
            pregnancy.birth_day is None or scan_day < pregnancy.birth_day
        ):
            occ = office(rng, scan_day)
            fam.ev(
                trust,
                "note",
                occ,
                [(mother, "subject")],
                rng.choice(texts.SCAN),
                rec=recorded(rng, occ),
            )
    if pregnancy.birth_day is None or pregnancy.birth_day < fam.window:
        return
    if not pregnancy.scripted_birth:
        write_birth(fam, pregnancy, neonatal_abstinence=False)
    day = pregnancy.birth_day + rng.randrange(40, 57)
    if day <= END:
        occ = office(rng, day)
        fam.ev(
            GP,
            "note",
            occ,
            [(mother, "subject")],
            rng.choice(texts.GP_POSTNATAL),
            rec=recorded(rng, occ),
        )


def write_birth(
    fam: Fam, pregnancy: Pregnancy, *, neonatal_abstinence: bool, summary: str | None = None
) -> list[int]:
    """Birth events (and, unless the pattern plans the discharge, the discharge)."""
    assert pregnancy.birth_day is not None
    rng = fam.rng
    mother, babies, trust = pregnancy.mother, pregnancy.babies, pregnancy.trust
    multiple = len(babies) > 1
    early = pregnancy.edd - pregnancy.birth_day
    weeks, days = 40 - (early + 6) // 7, (7 - early % 7) % 7
    occ = at(pregnancy.birth_day, rng.randrange(0, 24), 5 * rng.randrange(12))
    moments = []
    for order, baby in enumerate(babies, start=1):
        weight = rng.randrange(1700, 2800) if multiple else rng.randrange(2600, 4300)
        if summary is not None:
            text = summary
        elif multiple:
            text = rng.choice(texts.BIRTH_TWINS).format(weeks=weeks, order=order, weight=weight)
        else:
            text = rng.choice(texts.BIRTH).format(weeks=weeks, days=days, weight=weight)
        event = fam.ev(
            trust,
            "birth",
            occ + order,
            [(baby, "child"), (mother, "parent")],
            text,
            {
                "gestation_weeks": weeks,
                "birth_weight_g": weight,
                "neonatal_abstinence": neonatal_abstinence,
                "multiple": multiple,
            },
            rec=occ + order + 5 * rng.randrange(6, 30),
        )
        if pregnancy.birth_ev is None:
            pregnancy.birth_ev = event
        moments.append(event.rec)
        if pregnancy.booking_ev is None:
            fam.rel(trust, baby, mother, "mother", baby.birth, event.rec)
    if neonatal_abstinence:
        return moments
    stay = rng.randrange(7, 21) if multiple else rng.randrange(1, 4)
    day = pregnancy.birth_day + stay
    if day <= END:
        leave = office(rng, day)
        for baby in babies:
            fam.ev(
                trust,
                "hospital_discharge",
                leave,
                [(baby, "child"), (mother, "parent")],
                rng.choice(texts.DISCHARGE),
                {"discharge_to": "home with mother"},
                rec=leave + 5 * rng.randrange(1, 12),
            )
    return moments


# -- children ---------------------------------------------------------------------------------


def _mother_subject(fam: Fam, child: Person, day: int) -> list[tuple[Person, str]]:
    subjects: list[tuple[Person, str]] = [(child, "child")]
    if child.mother is not None and (child.removed is None or day < child.removed):
        subjects.append((child.mother, "parent"))
    return subjects


def _in_window(fam: Fam, child: Person, day: int, *, after_removal: bool = False) -> bool:
    if day < fam.window or day > END or day < child.birth:
        return False
    if child.birth < fam.window and day < fam.window + 7:
        # A child already born when the family comes into view is first seen by the GP (see
        # `_gp_child`), so no one knows of a young child without a health contact.
        return False
    return after_removal or child.removed is None or day < child.removed


def mobility_at_year(rng: random.Random, age_days: int) -> str:
    if age_days < 300:
        return rng.choice(("crawling", "crawling", "cruising"))
    return rng.choice(("crawling", "cruising", "walking", "walking"))


def _health_visiting(fam: Fam, child: Person) -> None:
    rng = fam.rng
    born = child.birth
    if born > END or born + 5 * YEAR < fam.window:
        return
    new_birth = born + rng.randrange(10, 15)
    if _in_window(fam, child, new_birth):
        occ = office(rng, new_birth)
        event = fam.ev(
            HV,
            "home_visit",
            occ,
            _mother_subject(fam, child, new_birth),
            rng.choice(texts.HV_NEW_BIRTH).format(weight=rng.randrange(2800, 4400)),
            {"child_seen": True},
            rec=recorded(rng, occ),
        )
        link_child(fam, HV, child, event.rec, siblings=rng.random() < 0.5)
    plan = [
        (rng.randrange(42, 57), texts.HV_SIX_WEEK, "not_mobile"),
        (rng.randrange(100, 126), texts.HV_FOUR_MONTH, None) if rng.random() < 0.5 else None,
        (rng.randrange(275, 346), texts.HV_YEAR, "year"),
        (rng.randrange(735, 900), texts.HV_TWO_YEAR, "walking"),
        (rng.randrange(150, 250), texts.HV_CLINIC, None) if rng.random() < 0.6 else None,
        (rng.randrange(460, 640), texts.HV_CLINIC, None) if rng.random() < 0.4 else None,
    ]
    for item in plan:
        if item is None:
            continue
        offset, pool, mobility = item
        day = born + offset
        if not _in_window(fam, child, day):
            continue
        occ = office(rng, day)
        if mobility is None:
            fam.ev(
                HV,
                "observation",
                occ,
                _mother_subject(fam, child, day),
                rng.choice(pool),
                rec=recorded(rng, occ),
            )
            continue
        if mobility == "year":
            mobility = mobility_at_year(rng, offset)
        summary = rng.choice(pool).format(mobility_text=texts.MOBILITY_TEXT[mobility])
        fam.ev(
            HV,
            "development",
            occ,
            _mother_subject(fam, child, day),
            summary,
            {"mobility": mobility},
            rec=recorded(rng, occ),
        )


def link_child(fam: Fam, agency: str, child: Person, moment: int, *, siblings: bool) -> None:
    """The relationships an agency records when it first opens a child's record."""
    rng = fam.rng
    mother, father = child.mother, child.father
    if mother is not None:
        fam.rel(agency, child, mother, "mother", child.birth, moment)
    if (
        father is not None
        and (father.hh == child.hh or fam.harm or rng.random() < 0.4)
        and (father.leaves is None or father.leaves > day_of(moment))
    ):
        fam.rel(agency, child, father, "father", child.birth, moment)
    if not siblings:
        return
    for other in fam.children(child.hh):
        if other is child or other.birth >= child.birth or not other.under_18(day_of(moment)):
            continue
        full = other.mother is mother and other.father is father
        fam.rel(agency, child, other, "sibling" if full else "half_sibling", child.birth, moment)


def _gp_child(fam: Fam, child: Person) -> None:
    rng = fam.rng
    born = child.birth
    if born > END:
        return
    practice = PRACTICES[(fam.index + (child.hh or 0)) % len(PRACTICES)]
    registration = born + rng.randrange(10, 41)
    if _in_window(fam, child, registration):
        occ = office(rng, registration)
        fam.ev(
            GP,
            "gp_registration",
            occ,
            [(child, "subject")],
            rng.choice(texts.GP_REGISTRATION),
            {"status": "registered", "practice": practice},
            rec=recorded(rng, occ),
        )
    check = born + rng.randrange(56, 64)
    if _in_window(fam, child, check):
        occ = office(rng, check)
        fam.ev(
            GP,
            "note",
            occ,
            _mother_subject(fam, child, check),
            rng.choice(texts.GP_BABY_CHECK),
            rec=recorded(rng, occ),
        )
    for offset, summary in texts.GP_IMMUNISATIONS:
        day = born + offset + rng.randrange(0, 12)
        if _in_window(fam, child, day, after_removal=True):
            occ = office(rng, day)
            fam.ev(GP, "note", occ, [(child, "subject")], summary, rec=recorded(rng, occ))
    # Under five, a health contact at least every ten months keeps `missing_from_health` quiet.
    day = born + 90 if born >= fam.window else fam.window
    while day <= END and age_in_years(born, day) < 18:
        under_five = day < born + 5 * YEAR
        if day == fam.window or _in_window(fam, child, day, after_removal=True):
            occ = office(rng, day)
            subjects = (
                [(child, "subject")]
                if child.removed is not None and day >= child.removed
                else _mother_subject(fam, child, day)[: 1 + (rng.random() < 0.4)]
            )
            if rng.random() < 0.45:
                code, display, summary = rng.choice(texts.GP_CHILD_DIAGNOSES)
                fam.ev(
                    GP,
                    "diagnosis",
                    occ,
                    subjects,
                    summary,
                    {"code": code, "system": "icd10", "display": display},
                    rec=recorded(rng, occ),
                )
            else:
                fam.ev(
                    GP,
                    "note",
                    occ,
                    subjects,
                    rng.choice(texts.GP_CHILD_NOTES),
                    rec=recorded(rng, occ),
                )
        day += rng.randrange(60, 300) if under_five else rng.randrange(150, 560)


def _nursery(fam: Fam, child: Person) -> None:
    rng = fam.rng
    if child.hh is None or rng.random() < 0.15:
        return
    nursery = fam.services(child.hh).nursery
    start = child.birth + (
        2 * YEAR + rng.randrange(0, 300) if rng.random() < 0.6 else 3 * YEAR + rng.randrange(0, 60)
    )
    finish = _school_start(child.birth) - 40
    day = start
    first = True
    while day < finish:
        if _in_window(fam, child, day):
            occ = office(rng, day)
            pool = texts.NURSERY_START if first else texts.NURSERY
            fam.ev(
                nursery,
                "observation",
                occ,
                [(child, "child")],
                rng.choice(pool),
                rec=recorded(rng, occ),
            )
        first = False
        day += rng.randrange(50, 120)


def _school_start(birth: int) -> int:
    born = date.fromordinal(birth)
    year = born.year + (4 if born.month < 9 else 5)
    return date(year, 9, 4).toordinal()


def _school(fam: Fam, child: Person) -> None:
    rng = fam.rng
    if child.hh is None:
        return
    services = fam.services(child.hh)
    start = _school_start(child.birth)
    secondary = add_months(start, 84)
    finish = add_months(start, 142)  # the July of Year 11
    parent = "mum" if rng.random() < 0.7 else "dad"
    day = start + rng.randrange(10, 60)
    while day <= min(finish, END):
        if date.fromordinal(day).month == 8:
            day += 31
            continue
        school = services.primary if day < secondary else services.secondary
        if _in_window(fam, child, day, after_removal=True):
            occ = office(rng, day)
            age = age_in_years(child.birth, day)
            when = date.fromordinal(day)
            year_group = when.year - year_of(start) - (0 if when.month >= 9 else 1)
            summary = rng.choice(texts.SCHOOL).format(
                reading=f"{age + rng.choice((-1, 0, 0, 1))}y{rng.randrange(12)}m",
                age=f"{age}y{rng.randrange(12)}m",
                attendance=rng.choice((93, 95, 96, 97, 98, 99, 100)),
                parent=parent,
                year=f"Year {year_group}" if year_group > 0 else "Reception",
            )
            date_only = rng.random() < 0.3
            fam.ev(
                school,
                "observation",
                at(day_of(occ), 0) if date_only else occ,
                [(child, "child")],
                summary,
                rec=recorded(rng, occ),
                date_only=date_only,
            )
        day += rng.randrange(45, 115)
    _school_milestones(fam, child, start, secondary)


def _school_milestones(fam: Fam, child: Person, start: int, secondary: int) -> None:
    rng = fam.rng
    assert child.hh is not None
    services = fam.services(child.hh)
    milestones = (
        (
            add_months(start, 21) + rng.randrange(0, 10),
            services.primary,
            texts.SCHOOL_PHONICS.format(score=rng.randrange(32, 41)),
            None,
        ),
        (add_months(start, 82) + rng.randrange(0, 20), services.primary, texts.SCHOOL_SATS, None),
        (
            add_months(start, 81) + rng.randrange(0, 20),
            services.primary,
            texts.SCHOOL_TRANSITION,
            None,
        ),
        (
            secondary + rng.randrange(0, 3),
            services.secondary,
            "Started in Year 7.",
            {"change": "school_move"},
        ),
    )
    for day, school, summary, details in milestones:
        if _in_window(fam, child, day, after_removal=True):
            occ = office(rng, day)
            etype = "education_change" if details else "observation"
            fam.ev(school, etype, occ, [(child, "child")], summary, details, rec=recorded(rng, occ))


# -- adults -----------------------------------------------------------------------------------


def _gp_adult(fam: Fam, adult: Person) -> None:
    rng = fam.rng
    day = fam.window + rng.randrange(0, 400)
    while day <= END:
        occ = office(rng, day)
        fam.ev(
            GP,
            "note",
            occ,
            [(adult, "subject")],
            rng.choice(texts.GP_ADULT),
            rec=recorded(rng, occ),
        )
        day += rng.randrange(170, 600)


# -- what only ordinary families get ----------------------------------------------------------


def _ordinary_structure(fam: Fam) -> None:
    """Separations and new partners, decided before any contact is written."""
    rng = fam.rng
    father, mother = fam.father, fam.mother
    assert father is not None and mother is not None
    children = fam.children(0)
    youngest = max(c.birth for c in children)
    if father.hh == 0 and rng.random() < 0.06:
        day = rng.randrange(max(fam.window, youngest) + 60, END + 400)
        if day < END - 60:
            father.leaves = day
            father.own_addresses = [(day, random_address(rng, fam.households[0].area))]
    if father.hh is None or father.leaves is not None:
        # A new partner only once the youngest is at school: then no rule about new adults in
        # the household of a young child applies.
        earliest = max(fam.window, youngest + 5 * YEAR + 30, (father.leaves or 0) + 90)
        if earliest < END - 120 and rng.random() < 0.15:
            day = rng.randrange(earliest, END - 60)
            partner = fam.add_person(
                "partner",
                "male",
                pick_given(rng, "male", False),
                pick_surname(rng),
                man_birth(rng, mother),
                0,
            )
            partner.joins = day
            partner.own_addresses = [(0, random_address(rng, fam.households[0].area))]
            partner.partnership_start = day


def _ordinary_extras(fam: Fam) -> None:
    rng = fam.rng
    mother = fam.mother
    assert mother is not None
    _separation_and_partner_records(fam)
    children = fam.children()
    for child in children:
        _ordinary_child_extras(fam, child)
    if rng.random() < 0.12:
        adult = rng.choice(adults_of(fam, 0, END) or [mother])
        for _ in range(rng.choice((1, 1, 2))):
            day = rng.randrange(fam.window, END)
            occ = at(day, rng.randrange(0, 24), 5 * rng.randrange(12))
            fam.ev(
                POLICE,
                "note",
                occ,
                [(adult, rng.choice(("victim", "reporter", "subject")))],
                rng.choice(texts.POLICE_ORDINARY),
                shared=None,
                rec=occ + 5 * rng.randrange(6, 200),
            )
    involved = rng.random() < 0.09
    if involved:
        _ordinary_social_care(fam)
    last_birth = max(c.birth for c in fam.children(0))
    if rng.random() < 0.05:
        day = max(fam.window, last_birth + YEAR + rng.randrange(0, 2 * YEAR))
        for summary in texts.MENTAL_HEALTH_ORDINARY:
            if day > END:
                break
            occ = office(rng, day)
            fam.ev(
                MENTAL_HEALTH,
                "mental_health_service",
                occ,
                [(mother, "subject")],
                summary,
                {
                    "status": "assessment"
                    if "anxiety" in summary
                    else "discharged"
                    if "Discharged" in summary
                    else "referred"
                },
                rec=recorded(rng, occ),
            )
            day += rng.randrange(30, 90)
    father = fam.father
    if not involved and father is not None and rng.random() < 0.03:
        day = rng.randrange(fam.window, END - 30)
        for summary in texts.PROBATION_ORDINARY:
            if day > END:
                break
            occ = office(rng, day)
            fam.ev(PROBATION, "note", occ, [(father, "subject")], summary, rec=recorded(rng, occ))
            day += rng.randrange(60, 150)


def _separation_and_partner_records(fam: Fam) -> None:
    rng = fam.rng
    father, mother = fam.father, fam.mother
    assert father is not None and mother is not None
    if father.leaves is not None and father.leaves <= END:
        child = max(fam.children_at(0, father.leaves) or fam.children(0), key=lambda c: c.birth)
        agency = fam.services(0).primary if father.leaves > child.birth + 4 * YEAR else HV
        if father.leaves < child.birth + 5 * YEAR or agency != HV:
            occ = office(rng, father.leaves + rng.randrange(3, 40))
            if day_of(occ) <= END:
                kids = fam.children_at(0, day_of(occ))
                event = fam.ev(
                    agency,
                    "household_change",
                    occ,
                    [(father, "subject")] + [(c, "child") for c in kids],
                    rng.choice(texts.SEPARATION).format(name=father.given),
                    {"change": "left"},
                    rec=recorded(rng, occ, late=0.0),
                )
                start = father.partnership_start
                fam.rel(agency, mother, father, "partner", start, event.rec, end=father.leaves)
    for partner in [p for p in fam.persons if p.role == "partner" and p.joins is not None]:
        day = partner.joins
        assert day is not None
        kids = fam.children_at(0, day)
        if not kids or day > END:
            continue
        school = (
            fam.services(0).secondary
            if all(age_in_years(k.birth, day) >= 11 for k in kids)
            else fam.services(0).primary
        )
        occ = office(rng, day + rng.randrange(5, 60))
        if day_of(occ) > END:
            continue
        event = fam.ev(
            school,
            "household_change",
            occ,
            [(partner, "subject")] + [(k, "child") for k in kids],
            rng.choice(texts.NEW_PARTNER_SCHOOL).format(name=partner.given),
            {"change": "joined"},
            rec=recorded(rng, occ, late=0.0),
        )
        fam.rel(school, mother, partner, "partner", day, event.rec)


def _ordinary_child_extras(fam: Fam, child: Person) -> None:
    rng = fam.rng
    if child.birth > END:
        return
    trust = fam.services(child.hh if child.hh is not None else 0).trust
    years = max(0.0, (END - max(fam.window, child.birth)) / 365.0)
    for _ in range(int(years * 0.1 + rng.random())):
        day = some_day(rng, max(fam.window, child.birth + 60), END)
        if day is None or not child.under_18(day):
            continue
        older = age_in_years(child.birth, day) >= 8 and rng.random() < 0.4
        summary, reason = rng.choice(texts.ED_OLDER_CHILD if older else texts.ED_CHILD)
        occ = at(day, rng.randrange(8, 23), 5 * rng.randrange(12))
        fam.ev(
            trust,
            "hospital_attendance",
            occ,
            _mother_subject(fam, child, day),
            summary,
            {"setting": "emergency", "reason": reason},
            rec=occ + 5 * rng.randrange(3, 40),
        )
    if rng.random() < min(0.6, years * 0.08):
        day = some_day(rng, max(fam.window, child.birth + 5 * YEAR + 60), END)
        if (
            day is not None
            and child.under_18(day)
            and child.hh is not None
            and date.fromordinal(day).month != 8
        ):
            services = fam.services(child.hh)
            school = (
                services.primary
                if day < _school_start(child.birth) + 7 * YEAR
                else (services.secondary)
            )
            occ = office(rng, day)
            fam.ev(
                school,
                "observation",
                occ,
                [(child, "child")],
                rng.choice(texts.SCHOOL_FIRST_AID),
                rec=recorded(rng, occ),
            )
    # One "was not brought" at most: two within six months for a child under five is a rule.
    if rng.random() < 0.12:
        day = some_day(rng, max(fam.window, child.birth + 100), END)
        if day is not None and child.under_18(day):
            occ = office(rng, day)
            service = rng.choice(("paediatric outpatients", "audiology", "orthoptics"))
            fam.ev(
                trust,
                "appointment_missed",
                occ,
                [(child, "child")],
                f"Was not brought to {service} appointment. New appointment sent.",
                {"service": service, "was_not_brought": True},
                rec=recorded(rng, occ),
            )


def _ordinary_social_care(fam: Fam) -> None:
    """One short, benign episode: referral, same-day assessment, visit, completion, closure."""
    rng = fam.rng
    low = max(fam.window, min(c.birth for c in fam.children(0)) + 200)
    if low >= END - 200:
        return
    day = rng.randrange(low, END - 150)
    children = fam.children_at(0, day)
    if not children:
        return
    council = fam.services(0).council
    adults = adults_of(fam, 0, day)
    summary, concern, sector = rng.choice(texts.CSC_ORDINARY_REFERRAL)
    occ = office(rng, day)
    subjects = [(c, "child") for c in children] + [(a, "parent") for a in adults]
    referral = fam.ev(
        council,
        "referral",
        occ,
        subjects,
        summary,
        {"concerns": [concern], "referrer_sector": sector},
        rec=occ,
    )
    link_household(fam, council, 0, referral.rec + 30)
    start = referral.rec + 5 * rng.randrange(12, 36)
    fam.ev(
        council,
        "assessment",
        start,
        subjects,
        "Child and family assessment started.",
        {"assessment": "child_and_family", "status": "started"},
    )
    visit = add_working_days(start, rng.randrange(3, 9))
    fam.ev(
        council,
        "home_visit",
        visit,
        subjects,
        rng.choice(texts.CSC_ORDINARY_VISIT),
        {"child_seen": True, "seen_alone": rng.random() < 0.5},
        rec=visit + 5 * rng.randrange(6, 30),
    )
    done = add_working_days(start, rng.randrange(15, 36))
    fam.ev(
        council,
        "assessment",
        done,
        subjects,
        rng.choice(texts.CSC_ORDINARY_ASSESSMENT_DONE),
        {"assessment": "child_and_family", "status": "completed", "outcome": "universal services"},
    )
    closed = add_working_days(done, rng.randrange(1, 6))
    if day_of(closed) <= END:
        fam.ev(
            council,
            "case_closed",
            closed,
            subjects,
            rng.choice(texts.CSC_CLOSED),
            {"reason": "needs met", "stepped_down_to": "early help"},
        )


def link_household(fam: Fam, agency: str, hh: int, moment: int) -> None:
    """The household's relationships as an agency records them when it opens the family."""
    day = day_of(moment)
    children = [c for c in fam.children(hh) if c.under_18(day) or c.birth > day]
    children = [c for c in children if c.birth <= day]
    for child in children:
        if child.mother is not None:
            fam.rel(agency, child, child.mother, "mother", child.birth, moment)
        if child.father is not None:
            fam.rel(agency, child, child.father, "father", child.birth, moment)
    for i, child in enumerate(children):
        for other in children[i + 1 :]:
            full = other.mother is child.mother and other.father is child.father
            fam.rel(
                agency,
                other,
                child,
                "sibling" if full else "half_sibling",
                max(child.birth, other.birth),
                moment,
            )
    mother = next((a for a in adults_of(fam, hh, day) if a.role in ("mother", "ex_partner")), None)
    if mother is None:
        return
    for adult in adults_of(fam, hh, day):
        if adult is mother:
            continue
        fam.rel(agency, mother, adult, "partner", adult.partnership_start or adult.joins, moment)

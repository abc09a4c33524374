"""The cast of the web and API tests: one small family across agencies, and who may see it.

Chloe Walsh (born 2 March 2018) is known to the hospital (H-1) and to social care (C-10), joined
by her NHS number. Her mother Kerry is known to social care (C-2) and to the police (P-2); Ava,
Chloe's half-sister in another household, to social care (C-30). Another Chloe Walsh (born 2019)
is known only to the hospital, and Oliver Smyth only to St Mary's school.

Users, each with what they may see:
- sam, a social worker at csc-lancs: Chloe, Kerry, Ava (their agency's records).
- pat, a police officer at lancs-police: Chloe and Ava, through their record of Kerry.
- nina, a school lead at st-marys: Oliver only.
- olly, a police officer of an agency that knows nobody: nobody.
- hana, a health practitioner at nhs-east: both Chloes (the hospital holds them both), Kerry
  and Ava (Chloe's family).
- rita, a reviewer with a review of Chloe commissioned from her: Chloe and her family (Kerry,
  Ava), not the agencies' other people.
- ada, an administrator, and aud, an auditor: nobody (they manage accounts and read the audit
  trail, not records).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from kinsight.access.models import User
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.people.models import Person, PersonRecord
from kinsight.reviews.models import CommissionedReview
from kinsight.rules.models import Alert
from kinsight.testing import AGENCIES, event, person, write_feed

CHLOE_NHS = "9434765919"
KERRY_NHS = "9434765927"
OTHER_CHLOE_NHS = "9434765935"


@dataclass
class Cast:
    chloe: Person
    kerry: Person
    ava: Person
    other_chloe: Person
    oliver: Person
    chloe_alert: Alert
    chloe_injury_alert: Alert
    oliver_alert: Alert


def lines() -> list[dict[str, object]]:
    rel = {"kind": "relationship", "agency": "csc-lancs", "person": "C-10", "relative": "C-2",
           "type": "mother"}  # fmt: skip
    half = {"kind": "relationship", "agency": "csc-lancs", "person": "C-30", "relative": "C-2",
            "type": "mother"}  # fmt: skip
    return [
        *AGENCIES,
        {"kind": "agency", "code": "st-marys", "name": "St Mary's Primary",
         "sector": "education"},
        person("nhs-east", "H-1", given_name="Chloe", family_name="Walsh",
               birth_date="2018-03-02", sex="female", nhs_number=CHLOE_NHS,
               address={"text": "1 Mill Street, Burnley", "postcode": "BB1 2AB"}),
        person("csc-lancs", "C-10", given_name="Chloe", family_name="Walsh",
               birth_date="2018-03-02", sex="female", nhs_number=CHLOE_NHS),
        person("csc-lancs", "C-2", given_name="Kerry", family_name="Walsh",
               birth_date="1995-06-01", sex="female", nhs_number=KERRY_NHS),
        person("lancs-police", "P-2", given_name="Kerry", family_name="Walsh",
               birth_date="1995-06-01", nhs_number=KERRY_NHS),
        person("csc-lancs", "C-30", given_name="Ava", family_name="Walsh",
               birth_date="2016-09-10"),
        person("nhs-east", "H-9", given_name="Chloe", family_name="Walsh",
               birth_date="2019-11-20", sex="female", nhs_number=OTHER_CHLOE_NHS,
               address={"text": "9 Long Lane", "postcode": "PR2 9ZZ"}),
        person("st-marys", "S-1", given_name="Oliver", family_name="Smyth",
               birth_date="2015-01-05"),
        rel,
        half,
        event("nhs-east", "B-1", "birth", "2018-03-02T04:00:00", ("H-1", "child"),
              summary="Born at 36 weeks", recorded_at="2018-03-02T09:00:00"),
        event("csc-lancs", "R-1", "referral", "2018-03-05T10:00:00", ("C-10", "child"),
              summary="Referral from maternity", shared_with=["nhs-east"],
              details={"concerns": ["physical"]}),
        event("nhs-east", "I-1", "injury", "2018-04-10T15:00:00", ("H-1", "child"),
              summary="Bruising to the left cheek of the baby.",
              details={"injury": "bruise"}, shared_with=["csc-lancs"]),
        event("csc-lancs", "M-1", "note", "2018-02-01T10:00:00", ("C-2", "subject"),
              summary="Mother seen at home <script>alert(1)</script>"),
        event("csc-lancs", "A-1", "note", "2018-04-01T10:00:00", ("C-30", "child"),
              summary="Ava at school", recorded_at="2018-04-20T10:00:00"),
        event("lancs-police", "INC-1", "domestic_abuse_incident", "2018-04-02T23:00:00",
              ("P-2", "victim"), summary="Police called to an argument at the home",
              details={"risk": "medium", "children_present": True}),
        event("st-marys", "E-1", "note", "2018-05-01T09:00:00", ("S-1", "child"),
              summary="Oliver settled well"),
    ]  # fmt: skip


def build_cast(tmp_path: Path) -> Cast:
    do_ingest_feeds([write_feed(tmp_path / "cast.jsonl", lines())], acting="test")

    def person_of(agency: str, record_id: str) -> Person:
        record = PersonRecord.objects.get(agency__code=agency, record_id=record_id)
        assert record.person is not None
        return record.person

    chloe = person_of("csc-lancs", "C-10")
    oliver = person_of("st-marys", "S-1")
    now = datetime(2018, 5, 2, 9, 0, tzinfo=UTC)
    return Cast(
        chloe=chloe,
        kerry=person_of("csc-lancs", "C-2"),
        ava=person_of("csc-lancs", "C-30"),
        other_chloe=person_of("nhs-east", "H-9"),
        oliver=oliver,
        # Raised by the ingest itself: no decision on the referral within a working day, and a
        # bruise on a baby not yet mobile.
        chloe_alert=Alert.objects.get(child=chloe, rule="referral_decision_overdue"),
        chloe_injury_alert=Alert.objects.get(child=chloe, rule="non_mobile_infant_injury"),
        oliver_alert=Alert.objects.create(
            rule="referral_decision_overdue", severity="warning", child=oliver,
            episode="cast:oliver", raised_at=now, subjects=[["st-marys", "S-1"]],
            evidence=[["st-marys", "E-1"]], explanation="Not for sam's eyes.",
            created_at=now, updated_at=now,
        ),
    )  # fmt: skip


USERS = {
    "sam": ("social_worker", "csc-lancs"),
    "pat": ("police", "lancs-police"),
    "nina": ("education", "st-marys"),
    "olly": ("police", "elsewhere-police"),
    "hana": ("health", "nhs-east"),
    "rita": ("reviewer", ""),
    "ada": ("admin", ""),
    "aud": ("auditor", ""),
}
PASSWORD = "correct horse battery"


def make_user(name: str) -> User:
    role, agency = USERS[name]
    user = User.objects.create_user(name, password=PASSWORD, role=role, agency_code=agency)
    if name == "rita":
        chloe = PersonRecord.objects.filter(agency__code="csc-lancs", record_id="C-10").first()
        if chloe is not None and chloe.person is not None:
            CommissionedReview.objects.create(
                reviewer=user, child=chloe.person, period_from=date(2018, 1, 1),
                period_to=date(2018, 12, 31), commissioned_by="test",
            )  # fmt: skip
    return user

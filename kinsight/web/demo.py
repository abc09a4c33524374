"""`kinsight demo`: a fresh embedded store, a synthetic population, the seed cases and logins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

DEMO_PASSWORD = "kinsight-demo"  # noqa: S105 - demo only, printed for the person running it
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO_USERS = [
    # (username, role, the agency the user belongs to: the Lancashire seed case's, so that the
    # demo's users can follow Chloe and Harper; or the first of a sector)
    ("demo-social-worker", "social_worker", "csc-lancs"),
    ("demo-manager", "team_manager", "csc-lancs"),
    ("demo-health", "health", "nhs-lancs-hospital"),
    ("demo-police", "police", "lancs-police"),
    ("demo-nursery", "education", "nursery-lancs-little-acorns"),
    ("demo-reviewer", "reviewer", ""),
    ("demo-auditor", "auditor", ""),
    ("demo-admin", "admin", ""),
]


# Held in Kinsight itself, not in the feeds: a team, the seed cases' children allocated to it and
# to the demo social worker, a review commissioned from the demo reviewer, and one break-glass
# use, so that every demo login sees something (docs/access.md).
DEMO_TEAM = ("Burnley children's social work team", "csc-lancs",
             ["demo-social-worker", "demo-manager"])  # fmt: skip
DEMO_ALLOCATIONS = [
    # (a record of the child, the lead professional); each to the demo team too
    ("csc-lancs:CS-118209", "demo-social-worker"),  # Chloe
    ("csc-lancs:CS-118208", "demo-social-worker"),  # Harper
    # Outside Lancashire's own records: seen through the allocation alone.
    ("kirklees-csc:KC-298871", "demo-social-worker"),  # Child A
]
DEMO_REVIEW = ("kirklees-csc:KC-UB-310447", "demo-reviewer", "2016-08-01", "2017-12-31",
               "Child Safeguarding Practice Review: Child B and Child C")  # fmt: skip
DEMO_BREAK_GLASS = ("demo-health", "kirklees-csc:KC-298871",
                    "Demo: Child A brought to our emergency department out of area at night; "
                    "checking for a plan before discharge")  # fmt: skip


def build_demo(*, families: int, seed: int, out: Callable[[str], None]) -> None:
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.synth import generate_population

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        raise SystemExit("kinsight demo builds the embedded SQLite store; unset DATABASE_URL")
    store = Path(db["NAME"])
    store.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    out(f"Building a fresh demo store at {store}")
    call_command("migrate", verbosity=0, interactive=False)

    feeds_dir = store.parent / "demo-feeds"
    feeds_dir.mkdir(exist_ok=True)
    for old in feeds_dir.glob("*"):
        old.unlink()
    counts = generate_population(feeds_dir, families, seed=seed, harm_share=0.2)
    out(f"Synthetic population: {counts.get('events', 0)} events in {families} families")
    feeds = sorted(feeds_dir.glob("*.jsonl")) + sorted(EXAMPLES.glob("*/*.jsonl"))
    summary = do_ingest_feeds(feeds, acting="demo")
    out(f"Ingested {summary.lines} lines ({summary.rejected} rejected) from {len(feeds)} feeds")

    add_demo_people(out)
    out("")
    out("Kinsight demo: http://127.0.0.1:8000")
    out(f"Sign in with any of these users; the password is {DEMO_PASSWORD!r} (demo only):")
    for username, role, _ in DEMO_USERS:
        out(f"  {username:<20} {role}")
    out("")


def add_demo_people(out: Callable[[str], None]) -> None:
    """The demo's logins, and what is held in Kinsight itself about who sees which child."""
    from kinsight.access.actions import do_add_user
    from kinsight.feeds.models import Agency

    for username, role, code in DEMO_USERS:
        agency = Agency.objects.filter(code=code).first() if code else None
        do_add_user(
            username, role=role, password=DEMO_PASSWORD,
            agency_code=agency.code if agency else "", acting="demo",
        )  # fmt: skip
    _allocate_and_commission(out)


def _allocate_and_commission(out: Callable[[str], None]) -> None:
    from kinsight.access.actions import (
        do_add_team,
        do_allocate_child,
        do_break_glass,
        do_join_team,
    )
    from kinsight.access.models import User
    from kinsight.chronology.queries import find_record
    from kinsight.lib.moments import parse_date
    from kinsight.reviews.actions import do_commission_review

    def child(ref: str) -> Any:
        agency, _, record_id = ref.partition(":")
        record = find_record(agency, record_id)
        if record is None or record.person is None:
            raise SystemExit(f"kinsight demo: {ref}: the seed case's record is missing")
        return record.person

    name, agency, members = DEMO_TEAM
    team = do_add_team(name, agency_code=agency, acting="demo")
    for username in members:
        do_join_team(team, User.objects.get(username=username), acting="demo")
    for ref, lead in DEMO_ALLOCATIONS:
        do_allocate_child(
            child(ref), lead=User.objects.get(username=lead), team=team, acting="demo"
        )
    ref, reviewer, start, end, title = DEMO_REVIEW
    do_commission_review(
        reviewer=User.objects.get(username=reviewer), child=child(ref),
        period_from=parse_date(start), period_to=parse_date(end), title=title, acting="demo",
    )  # fmt: skip
    username, ref, reason = DEMO_BREAK_GLASS
    agency, _, record_id = ref.partition(":")
    do_break_glass(User.objects.get(username=username), agency, record_id, reason=reason)
    out(f"Allocated {len(DEMO_ALLOCATIONS)} seed-case children to demo-social-worker and {name}; "
        f"commissioned a review of {DEMO_REVIEW[0]} from {reviewer}")  # fmt: skip

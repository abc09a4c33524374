"""`kinsight demo`: a fresh embedded store, a synthetic population, the seed cases and logins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def build_demo(*, families: int, seed: int, out: Callable[[str], None]) -> None:
    from kinsight.access.actions import do_add_user
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.feeds.models import Agency
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

    for username, role, code in DEMO_USERS:
        agency = Agency.objects.filter(code=code).first() if code else None
        do_add_user(
            username, role=role, password=DEMO_PASSWORD,
            agency_code=agency.code if agency else "", acting="demo",
        )  # fmt: skip
    out("")
    out("Kinsight demo: http://127.0.0.1:8000")
    out(f"Sign in with any of these users; the password is {DEMO_PASSWORD!r} (demo only):")
    for username, role, _ in DEMO_USERS:
        out(f"  {username:<20} {role}")
    out("")

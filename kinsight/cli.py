"""The `kinsight` command line (../shared/spec/cli.md).

Every command answers --help, prints errors as one line naming what is wrong (never a traceback),
and exits 0 on success, 1 when the work failed and 2 when the arguments or a file are unusable.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    import django

    django.setup()


def _ensure_store() -> None:
    """Create or migrate the store when it is behind: the embedded install needs no set-up."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and db["NAME"] != ":memory:":
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def _progress(total: int, label: str) -> tuple[AbstractContextManager[Any], Callable[[int], None]]:
    """A progress bar on a terminal; nothing when the output is piped."""
    if not sys.stderr.isatty():
        return nullcontext(), lambda _n: None
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task(label, total=total)
    return bar, lambda n: bar.advance(task, n)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def _feed_paths(names: Sequence[str]) -> list[Path]:
    paths = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            reason = "is a directory" if path.is_dir() else "no such file"
            raise CommandError(f"{name}: cannot read: {reason}", EXIT_USAGE)
        paths.append(path)
    return paths


# -- commands ----------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    paths = _feed_paths(args.feeds)
    if args.map:
        _feed_paths([args.map])
    _setup_django()
    _ensure_store()
    from kinsight.connect.actions import do_ingest_mapped
    from kinsight.connect.mapping import MappingError
    from kinsight.feeds.actions import do_ingest_feeds

    total = sum(p.stat().st_size for p in paths)
    bar, advance = _progress(total, "ingesting")
    with bar:
        if args.map:
            try:
                summary = do_ingest_mapped(
                    Path(args.map),
                    paths,
                    acting=args.actor,
                    on_rejection=lambda r: print(f"{r}", file=sys.stderr),
                )
            except MappingError as exc:
                raise CommandError(str(exc), EXIT_USAGE) from None
        else:
            summary = do_ingest_feeds(
                paths,
                acting=args.actor,
                on_bytes=advance,
                on_rejection=lambda r: print(f"{r}", file=sys.stderr),
                jobs=args.jobs,
            )
    for message in summary.warning_messages[: args.max_warnings]:
        print(f"warning: {message}", file=sys.stderr)
    if len(summary.warning_messages) > args.max_warnings:
        hidden = len(summary.warning_messages) - args.max_warnings
        print(f"warning: ... and {hidden} more warnings", file=sys.stderr)
    counts = summary.counts()
    print(
        f"{summary.files} file(s), {counts['lines']} lines: {counts['taken']} taken, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['rejected']} rejected, {counts['warnings']} warnings"
    )
    if summary.alerts is not None:
        alerts = summary.alerts.counts()
        print(
            f"alerts: {alerts['raised']} raised, {alerts['evidence_added']} with new evidence, "
            f"{alerts['reopened']} re-opened"
        )
    if args.timings:
        print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.timings.items()))
        print("cpu timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.cpu_timings.items()))
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    paths = _feed_paths(args.feeds)
    tmp = tempfile.mkdtemp(prefix="kinsight-replay-")
    try:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/replay.sqlite3"
        _setup_django()
        _ensure_store()
        from kinsight.feeds.replay import run_replay

        result = run_replay(paths, list(args.feeds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(
            f"{len(result['persons'])} persons, {len(result['alerts'])} alerts, "
            f"{len(result['rejected'])} rejected lines"
        )
        for alert in result["alerts"]:
            print(f"{alert['raised_at']}  {alert['severity']:<7}  {alert['rule']}")
        for rejected in result["rejected"]:
            print(f"{rejected['file']}:{rejected['line']}: {rejected['error']}")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    if args.families < 1:
        raise CommandError("--families: must be at least 1", EXIT_USAGE)
    if not 0 <= args.harm_share <= 1:
        raise CommandError("--harm-share: must be between 0 and 1", EXIT_USAGE)
    from kinsight.synth import generate_population

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    bar, advance = _progress(args.families, "families")
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        advance(n - done)
        done = n

    with bar:
        counts = generate_population(
            out, args.families, seed=args.seed, harm_share=args.harm_share, progress=progress
        )
    print(
        f"wrote {counts.get('events', 0)} events for {counts.get('persons', 0)} people in "
        f"{counts.get('families', args.families)} families to {out}"
    )
    return EXIT_OK


def cmd_indicators(args: argparse.Namespace) -> int:
    from kinsight.text.command import indicators_command

    if args.file:
        try:
            handle = open(args.file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"{args.file}: cannot read: {exc.strerror}", EXIT_USAGE) from None
        with handle:
            return indicators_command(handle, sys.stdout, sys.stderr)
    return indicators_command(sys.stdin, sys.stdout, sys.stderr)


def _record_ref(value: str) -> tuple[str, str]:
    """An AGENCY:ID argument, split; anything else is a usage error naming it."""
    agency, sep, record_id = value.partition(":")
    if not sep or not agency or not record_id:
        raise CommandError(f"{value}: expected AGENCY:ID", EXIT_USAGE)
    return agency, record_id


def _linked_record(agency: str, record_id: str) -> Any:
    """The agency's record, linked to a person; a record not held is the work failing."""
    from kinsight.chronology.queries import find_record

    record = find_record(agency, record_id)
    if record is None or record.person is None:
        raise CommandError(f"{agency}:{record_id}: no such record")
    return record


def cmd_chronology(args: argparse.Namespace) -> int:
    agency, record_id = _record_ref(args.record)
    _setup_django()
    _ensure_store()
    from kinsight.audit.models import record_audit
    from kinsight.chronology.queries import chronology_json

    record = _linked_record(agency, record_id)
    data = chronology_json(record.person, family=args.family)
    record_audit(
        actor=args.actor,
        action="read_family_chronology" if args.family else "read_chronology",
        object_type="person",
        object_id=str(record.person.pk),
        detail={"via": "cli", "record": args.record},
    )
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    _print_chronology(data)
    return EXIT_OK


def cmd_subject_access(args: argparse.Namespace) -> int:
    agency, record_id = _record_ref(args.record)
    if not args.reason.strip():
        raise CommandError("--reason: say why the record is exported", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.people.subject_access import do_export_subject_access

    record = _linked_record(agency, record_id)
    data = do_export_subject_access(record.person, acting=args.actor, reason=args.reason)
    try:
        Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    except OSError as exc:
        raise CommandError(f"{args.out}: cannot write: {exc.strerror}", EXIT_USAGE) from None
    print(
        f"{args.out}: {len(data['records'])} records, {len(data['events'])} events, "
        f"{len(data['alerts'])} alerts, {len(data['who_looked'])} audit entries"
    )
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from django.core.exceptions import ImproperlyConfigured

    from kinsight.feeds.retention import do_remove_past_retention, past_retention

    try:
        overdue = past_retention()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    if not overdue:
        print("no retention periods are set (KINSIGHT_RETENTION_FILE): everything is kept")
        return EXIT_OK
    for item in overdue:
        print(
            f"{item.kind}: {item.rows.count()} past {item.years} years "
            f"(before {item.cutoff:%Y-%m-%d})"
        )
    if args.remove:
        removed = do_remove_past_retention(acting=args.actor)
        print("removed: " + ", ".join(f"{n} {kind}" for kind, n in removed.items()))
    return EXIT_OK


def _print_chronology(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    records = ", ".join(f"{a}:{i}" for a, i in data["records"])
    table = Table(title=f"{data['person']} ({records})", show_lines=False)
    for column in ("occurred", "recorded", "agency", "type", "summary"):
        table.add_column(column)
    for event in data["events"]:
        late = (
            "" if event["recorded_at"][:10] == event["occurred_at"][:10] else event["recorded_at"]
        )
        table.add_row(event["occurred_at"], late, event["agency"], event["type"], event["summary"])
    Console(width=200 if not sys.stdout.isatty() else None).print(table)


def cmd_alerts(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.lib.moments import parse_moment
    from kinsight.rules.queries import alerts_as_of

    try:
        moment = parse_moment(args.as_of) if args.as_of else None
    except ValueError:
        raise CommandError(f"--as-of: {args.as_of!r} is not a moment", EXIT_USAGE) from None
    alerts = alerts_as_of(moment)
    if args.json:
        json.dump({"alerts": alerts}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for alert in alerts:
            print(f"{alert['raised_at']}  {alert['severity']:<7}  {alert['rule']}  {alert['id']}")
        print(f"{len(alerts)} alerts")
    return EXIT_OK


def _period(args: argparse.Namespace) -> dict[str, Any]:
    """`--from` and `--to` as dates, keyed by option: each names itself when it is wrong."""
    from kinsight.lib.moments import parse_date

    dates = {}
    for option, value in (("--from", args.date_from), ("--to", args.date_to)):
        try:
            dates[option] = parse_date(value)
        except ValueError:
            raise CommandError(
                f"{option}: {value!r} is not a date (YYYY-MM-DD)", EXIT_USAGE
            ) from None
    if dates["--to"] < dates["--from"]:
        raise CommandError("--to: the period ends before it starts", EXIT_USAGE)
    return dates


def cmd_review_pack(args: argparse.Namespace) -> int:

    agency, record_id = _record_ref(args.record)
    dates = _period(args)
    out = Path(args.out)
    if out.suffix.lower() not in (".docx", ".pdf", ".json"):
        raise CommandError(
            f"--out: {out.name}: the file must end in .docx, .pdf or .json", EXIT_USAGE
        )
    if not out.parent.is_dir():
        raise CommandError(f"--out: {out.parent}: no such directory", EXIT_USAGE)
    if not args.reason.strip():
        raise CommandError("--reason: say why the pack is being made", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.reviews.actions import do_write_review_pack
    from kinsight.reviews.pack import PackError, PackRequest

    request = PackRequest(agency, record_id, dates["--from"], dates["--to"], args.anonymise)
    try:
        written = do_write_review_pack(request, out, acting=args.actor, reason=args.reason)
    except PackError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"--out: {out}: cannot write: {exc.strerror}") from None
    print(
        f"wrote {out}: {written.events} records, {written.alerts} alerts raised at the time, "
        f"{written.alerts_today} under today's rules"
    )
    if written.key_path is not None:
        print(f"key to the anonymisation (private, keep apart): {written.key_path}")
    return EXIT_OK


def cmd_review_themes(args: argparse.Namespace) -> int:
    from kinsight.lib.moments import parse_date

    if args.packs:
        _setup_django()
        from kinsight.reviews.across import themes_in_packs

        paths = _feed_paths(args.packs)
        try:
            summary = themes_in_packs(paths)
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{exc}", EXIT_USAGE) from None
    else:
        dates = {}
        for option, value in (("--from", args.date_from), ("--to", args.date_to)):
            try:
                dates[option] = parse_date(value)
            except ValueError:
                raise CommandError(
                    f"{option}: {value!r} is not a date (YYYY-MM-DD)", EXIT_USAGE
                ) from None
        _setup_django()
        _ensure_store()
        from kinsight.reviews.across import themes_in_store

        summary = themes_in_store(dates["--from"], dates["--to"])
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    print(
        f"{summary['source']}: {summary['children']} children, {summary['alerts']} alerts, "
        f"{summary['never_acted_on']} never acted on"
    )
    for rule in summary["rules"]:
        kind = "deadline missed" if rule["deadline"] else "rule fired"
        print(f"{rule['alerts']:>6}  {rule['children']:>6} children  {kind:<15}  {rule['rule']}")
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    # The roles live on the model: Django must be set up before it is imported.
    _setup_django()
    from kinsight.access.models import Role

    if args.role not in Role.values:
        raise CommandError(f"--role: expected one of {', '.join(Role.values)}", EXIT_USAGE)
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("the two passwords differ", EXIT_USAGE)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        raise CommandError("password: must be at least 8 characters", EXIT_USAGE)
    _ensure_store()
    from kinsight.access.actions import do_add_user

    try:
        do_add_user(
            args.name, role=args.role, password=password, agency_code=args.agency or "",
            acting=args.actor,
        )  # fmt: skip
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"added {args.name} ({args.role})")
    return EXIT_OK


def _user_named(name: str, option: str) -> Any:
    from kinsight.access.models import User

    user = User.objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"{option}: no user {name!r}")
    return user


def _check_agency_code(value: str, prefix: str = "") -> None:
    """An agency code as feed-format.md allows it, or a usage error naming it."""
    from kinsight.feeds.lines import FieldError, code

    try:
        code(value)
    except FieldError as exc:
        raise CommandError(f"{prefix}{value}: {exc}", EXIT_USAGE) from None


def _team_named(name: str, option: str = "team") -> Any:
    from kinsight.access.models import Team

    team = Team.objects.filter(name=name).first()
    if team is None:
        raise CommandError(f"{option}: no team {name!r}")
    return team


def cmd_teams_add(args: argparse.Namespace) -> int:
    _check_agency_code(args.agency, "--agency: ")
    if not args.name.strip():
        raise CommandError("NAME: a team needs a name", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.access.actions import do_add_team

    try:
        do_add_team(args.name, agency_code=args.agency, acting=args.actor)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"added team {args.name.strip()} ({args.agency})")
    return EXIT_OK


def cmd_teams_join(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.access.actions import do_join_team, do_leave_team

    team, user = _team_named(args.team), _user_named(args.user, "USER")
    try:
        if args.leave:
            do_leave_team(team, user, acting=args.actor)
        else:
            do_join_team(team, user, acting=args.actor)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"{user.username} {'left' if args.leave else 'joined'} {team.name}")
    return EXIT_OK


def cmd_teams_list(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.access.models import Team

    for team in Team.objects.prefetch_related("members").order_by("agency_code", "name"):
        members = ", ".join(sorted(m.username for m in team.members.all())) or "(no members)"
        print(f"{team.agency_code:<24}  {team.name}: {members}")
    return EXIT_OK


def cmd_allocate(args: argparse.Namespace) -> int:
    agency, record_id = _record_ref(args.record)
    if not args.to and not args.team:
        raise CommandError("name a lead professional (--to USER), a team (--team T) or both",
                           EXIT_USAGE)  # fmt: skip
    _setup_django()
    _ensure_store()
    from kinsight.access.actions import do_allocate_child

    record = _linked_record(agency, record_id)
    lead = _user_named(args.to, "--to") if args.to else None
    team = _team_named(args.team, "--team") if args.team else None
    try:
        allocation = do_allocate_child(record.person, lead=lead, team=team, acting=args.actor)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"allocated {args.record} ({record.person.public_id}) to {allocation_text(allocation)}")
    return EXIT_OK


def allocation_text(allocation: Any) -> str:
    parts = [p for p in (allocation.lead and allocation.lead.username,
                         allocation.team and f"team {allocation.team.name}") if p]  # fmt: skip
    return " and ".join(parts)


def cmd_allocations_list(args: argparse.Namespace) -> int:
    person = None
    if args.record:
        agency, record_id = _record_ref(args.record)
    _setup_django()
    _ensure_store()
    from kinsight.access.models import Allocation

    if args.record:
        person = _linked_record(agency, record_id).person
    rows = Allocation.objects.select_related("lead", "team").order_by("child_id", "started_at")
    if person is not None:
        rows = rows.filter(child=person)
    if not args.all:
        rows = rows.filter(ended_at__isnull=True)
    for a in rows:
        until = f"until {a.ended_at:%Y-%m-%d}" if a.ended_at else "open"
        print(f"p-{a.child_id:<8}  {a.started_at:%Y-%m-%d}  {until:<16}  {allocation_text(a)}")
    return EXIT_OK


def cmd_allocations_end(args: argparse.Namespace) -> int:
    agency, record_id = _record_ref(args.record)
    if not args.reason.strip():
        raise CommandError("--reason: say why the allocation ends", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.access.actions import do_end_allocation
    from kinsight.access.models import Allocation

    person = _linked_record(agency, record_id).person
    open_ = list(Allocation.objects.filter(child=person, ended_at__isnull=True))
    if not open_:
        raise CommandError(f"{args.record}: no open allocation")
    for allocation in open_:
        do_end_allocation(allocation, acting=args.actor, reason=args.reason)
    print(f"ended the allocation of {args.record} ({person.public_id})")
    return EXIT_OK


def cmd_reviews_commission(args: argparse.Namespace) -> int:

    agency, record_id = _record_ref(args.record)
    dates = _period(args)
    _setup_django()
    _ensure_store()
    from kinsight.reviews.actions import do_commission_review

    record = _linked_record(agency, record_id)
    reviewer = _user_named(args.reviewer, "--reviewer")
    try:
        review = do_commission_review(
            reviewer=reviewer, child=record.person, period_from=dates["--from"],
            period_to=dates["--to"], title=args.title or "", acting=args.actor,
        )  # fmt: skip
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"review {review.pk} of {args.record} ({record.person.public_id}) commissioned "
          f"from {reviewer.username}")  # fmt: skip
    return EXIT_OK


def cmd_reviews_close(args: argparse.Namespace) -> int:
    if not args.reason.strip():
        raise CommandError("--reason: say why the review is closed", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.reviews.actions import do_close_review
    from kinsight.reviews.models import CommissionedReview

    review = CommissionedReview.objects.filter(pk=args.review, closed_at__isnull=True).first()
    if review is None:
        raise CommandError(f"{args.review}: no open review with that number")
    do_close_review(review, acting=args.actor, reason=args.reason)
    print(f"closed review {review.pk}")
    return EXIT_OK


def cmd_reviews_list(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.reviews.models import CommissionedReview

    rows = CommissionedReview.objects.select_related("reviewer").order_by("pk")
    if not args.all:
        rows = rows.filter(closed_at__isnull=True)
    for r in rows:
        state = f"closed {r.closed_at:%Y-%m-%d}" if r.closed_at else "open"
        print(f"{r.pk:>5}  p-{r.child_id:<8}  {r.reviewer.username:<20}  "
              f"{r.period_from} to {r.period_to}  {state}  {r.title}")  # fmt: skip
    return EXIT_OK


def cmd_tokens_add(args: argparse.Namespace) -> int:
    _check_agency_code(args.agency)
    _setup_django()
    _ensure_store()
    from kinsight.connect.actions import do_add_api_token

    token, secret = do_add_api_token(args.agency, acting=args.actor, label=args.label or "")
    print(f"token {token.prefix}… for {args.agency} (shown once; keep it secret):", file=sys.stderr)
    print(secret)
    return EXIT_OK


def cmd_tokens_list(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.connect.models import ApiToken

    for token in ApiToken.objects.order_by("agency_code", "created_at"):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
        used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "unused"
        print(f"{token.prefix}  {token.agency_code:<24}  {state:<18}  {used}  {token.label}")
    return EXIT_OK


def cmd_tokens_revoke(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.connect.actions import do_revoke_api_token
    from kinsight.connect.models import ApiToken

    tokens = list(ApiToken.objects.filter(prefix=args.prefix, revoked_at__isnull=True))
    if len(tokens) != 1:
        raise CommandError(f"{args.prefix}: no live token with that prefix")
    do_revoke_api_token(tokens[0], acting=args.actor)
    print(f"revoked {args.prefix} ({tokens[0].agency_code})")
    return EXIT_OK


def cmd_contacts_set(args: argparse.Namespace) -> int:
    import secrets

    _check_agency_code(args.agency)
    if args.webhook and not args.webhook.startswith("https://"):
        raise CommandError("--webhook: must be an https:// address", EXIT_USAGE)
    _setup_django()
    _ensure_store()
    from kinsight.connect.actions import do_set_safeguarding_contact

    secret = secrets.token_urlsafe(32) if args.webhook else ""
    do_set_safeguarding_contact(
        args.agency, email=args.email or "", webhook_url=args.webhook or "",
        webhook_secret=secret, acting=args.actor,
    )  # fmt: skip
    print(f"designated safeguarding contact set for {args.agency}")
    if secret:
        print(f"webhook signing secret (shown once): {secret}")
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from django.core.management import call_command

    call_command("db_worker", batch=args.batch, startup_delay=False)
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.audit.models import AuditEntry, verify_chain

    broken = verify_chain()
    if broken is not None:
        raise CommandError(
            f"audit entry {broken.pk} ({broken.action} of {broken.object_type} "
            f"{broken.object_id!r} at {broken.at.isoformat()}) does not match the chain"
        )
    print(f"audit trail intact: {AuditEntry.objects.count()} entries")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    print("store is up to date")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    try:
        has_key = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:
        has_key = False
    if not has_key:
        raise CommandError(
            "KINSIGHT_SECRET_KEY is required to serve outside the demo (or KINSIGHT_ENV=demo)",
            EXIT_USAGE,
        )
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ["KINSIGHT_ENV"] = "demo"
    _setup_django()
    from kinsight.web.demo import build_demo

    build_demo(families=args.families, seed=args.seed, out=print)
    if args.no_serve:
        return EXIT_OK
    args.host, args.port = "127.0.0.1", 8000
    return cmd_serve(args)


def cmd_link_train(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.people.actions import do_train_link_model

    try:
        row = do_train_link_model(acting=args.actor, max_pairs=args.max_pairs)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    prior = row.model["probability_two_random_records_match"]
    print(f"trained on {row.records} records; prior match probability {prior:.3g}; model {row.pk}")
    return EXIT_OK


def cmd_link_run(args: argparse.Namespace) -> int:
    _setup_django()
    _ensure_store()
    from kinsight.people.actions import do_relink_all
    from kinsight.people.linking import nhs_conflicts

    outcome = do_relink_all(acting=args.actor)
    apart = ", ".join(f"{n} {why}" for why, n in outcome.kept_apart.most_common()) or "none"
    print(
        f"{outcome.linked} records linked into persons: {outcome.persons_created} new persons, "
        f"{outcome.review} pairs for review; kept apart by constraints: {apart}"
    )
    for person, numbers in nhs_conflicts():
        print(f"warning: p-{person} holds two NHS numbers: {', '.join(numbers)}", file=sys.stderr)
    return EXIT_OK


def cmd_not_yet(what: str, issue: int) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        raise CommandError(f"{what} is not available yet (issue {issue})")

    return run


# -- the parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kinsight", description="Kinsight, the multi-agency safeguarding record.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    actor = os.environ.get("KINSIGHT_ACTOR") or f"cli:{getpass.getuser()}"

    p = sub.add_parser("demo", help="set up the demo store, load it, create logins and serve it")
    p.add_argument("--families", type=int, default=150, help="synthetic families (default 150)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-serve", action="store_true", help="build the demo store and stop")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="start the web app on the current store")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ingest", help="take feeds into the store and print a summary")
    p.add_argument("feeds", nargs="+", metavar="FEED", help="feeds, or CSV exports with --map")
    p.add_argument(
        "--map",
        metavar="MAPPING.yaml",
        help="read CSV exports through a mapping (docs/mappings.md)",
    )
    p.add_argument("--max-warnings", type=int, default=50, help="warnings to print (default 50)")
    p.add_argument("--timings", action="store_true", help="print the seconds each phase took")
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        metavar="N",
        help="check and write the lines in N processes at once (default 1)",
    )
    p.set_defaults(func=cmd_ingest, actor=actor)

    p = sub.add_parser("replay", help="replay feeds on a fresh temporary store")
    p.add_argument("feeds", nargs="+", metavar="FEED")
    p.add_argument("--json", action="store_true", help="print the replay contract's JSON")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("synth", help="write a synthetic multi-agency population as feeds")
    p.add_argument("--families", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--harm-share", type=float, default=0.1)
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("indicators", help="read free text (JSON Lines) and write indicators")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("link", help="estimate the linkage model, or re-link every record")
    link = p.add_subparsers(dest="link_command", required=True, parser_class=_Parser)
    train = link.add_parser("train", help="estimate the model on the store")
    train.add_argument("--max-pairs", type=float, default=2e6,
                       help="random pairs for estimating u (default 2e6)")  # fmt: skip
    train.set_defaults(func=cmd_link_train, actor=actor)
    link.add_parser("run", help="re-link every record").set_defaults(func=cmd_link_run, actor=actor)

    p = sub.add_parser("alerts", help="list alerts as they stood at a moment")
    p.add_argument("--as-of", metavar="MOMENT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("chronology", help="the merged chronology of a person (or family)")
    p.add_argument("record", metavar="AGENCY:ID")
    p.add_argument("--family", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_chronology, actor=actor)

    p = sub.add_parser(
        "subject-access", help="everything held about one person, for a subject access request"
    )
    p.add_argument("record", metavar="AGENCY:ID")
    p.add_argument("--reason", required=True, help="why it is exported (kept in the audit)")
    p.add_argument("--out", required=True, metavar="FILE.json")
    p.set_defaults(func=cmd_subject_access, actor=actor)

    p = sub.add_parser("retention", help="report (and remove) what is past its retention period")
    p.add_argument("--remove", action="store_true", help="remove it; the audit trail is kept")
    p.set_defaults(func=cmd_retention, actor=actor)

    p = sub.add_parser(
        "review-pack", help="the practice-review pack (.docx, .pdf or .json by the file's ending)"
    )
    p.add_argument("record", metavar="AGENCY:ID", help="a record of the child the review is about")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="YYYY-MM-DD")
    p.add_argument(
        "--anonymise",
        action="store_true",
        help="pseudonyms by role, month and year only; the key goes to FILE.key.json",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.docx, FILE.pdf or FILE.json")
    p.add_argument(
        "--reason",
        default="practice review",
        help="why the pack is made, kept in the audit trail (default: practice review)",
    )
    p.set_defaults(func=cmd_review_pack, actor=actor)

    p = sub.add_parser(
        "review-themes",
        help="count over many children or packs which rules fired and which deadlines were missed",
    )
    p.add_argument("packs", nargs="*", metavar="PACK.json", help="count over these packs instead")
    p.add_argument("--from", dest="date_from", default="1900-01-01", metavar="DATE")
    p.add_argument("--to", dest="date_to", default="2999-12-31", metavar="DATE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review_themes)

    p = sub.add_parser("users", help="manage users")
    users = p.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    add = users.add_parser("add", help="create a user (password from the terminal or stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True)
    add.add_argument("--agency", metavar="CODE")
    add.set_defaults(func=cmd_users_add, actor=actor)

    p = sub.add_parser(
        "teams", help="teams within an agency, whose members see the team's children"
    )
    teams = p.add_subparsers(dest="teams_command", required=True, parser_class=_Parser)
    add = teams.add_parser("add", help="create a team within one agency")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--agency", required=True, metavar="CODE")
    add.set_defaults(func=cmd_teams_add, actor=actor)
    join = teams.add_parser("join", help="make a user a member of a team (or --leave it)")
    join.add_argument("team", metavar="TEAM")
    join.add_argument("user", metavar="USER")
    join.add_argument("--leave", action="store_true", help="take the user out of the team")
    join.set_defaults(func=cmd_teams_join, actor=actor)
    teams.add_parser("list", help="list teams and their members").set_defaults(func=cmd_teams_list)

    p = sub.add_parser(
        "allocate", help="allocate a child to a lead professional and/or a team (ends the last)"
    )
    p.add_argument("record", metavar="AGENCY:ID", help="a record of the child")
    p.add_argument("--to", metavar="USER", help="the lead professional")
    p.add_argument("--team", metavar="TEAM", help="the team")
    p.set_defaults(func=cmd_allocate, actor=actor)

    p = sub.add_parser("allocations", help="children's allocations: list them, or end one")
    allocations = p.add_subparsers(dest="allocations_command", required=True, parser_class=_Parser)
    ls = allocations.add_parser("list", help="open allocations (of one child, or all)")
    ls.add_argument("record", nargs="?", metavar="AGENCY:ID")
    ls.add_argument("--all", action="store_true", help="ended ones too")
    ls.set_defaults(func=cmd_allocations_list)
    end = allocations.add_parser("end", help="end a child's open allocation")
    end.add_argument("record", metavar="AGENCY:ID")
    end.add_argument("--reason", required=True, help="why it ends (kept in the audit)")
    end.set_defaults(func=cmd_allocations_end, actor=actor)

    p = sub.add_parser("reviews", help="practice reviews commissioned from reviewers")
    reviews = p.add_subparsers(dest="reviews_command", required=True, parser_class=_Parser)
    com = reviews.add_parser(
        "commission", help="commission a review of a child: the reviewer may then see the child"
    )
    com.add_argument("record", metavar="AGENCY:ID", help="a record of the child")
    com.add_argument("--reviewer", required=True, metavar="USER")
    com.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="YYYY-MM-DD")
    com.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="YYYY-MM-DD")
    com.add_argument("--title", help="the review's title")
    com.set_defaults(func=cmd_reviews_commission, actor=actor)
    close = reviews.add_parser(
        "close", help="close a review: its reviewer no longer sees the child"
    )
    close.add_argument("review", type=int, metavar="NUMBER")
    close.add_argument("--reason", required=True, help="why it is closed (kept in the audit)")
    close.set_defaults(func=cmd_reviews_close, actor=actor)
    rls = reviews.add_parser("list", help="open reviews (--all: closed ones too)")
    rls.add_argument("--all", action="store_true")
    rls.set_defaults(func=cmd_reviews_list)

    p = sub.add_parser("tokens", help="agencies' API tokens for POST /api/feeds")
    tokens = p.add_subparsers(dest="tokens_command", required=True, parser_class=_Parser)
    add = tokens.add_parser("add", help="make a token for an agency and print it once")
    add.add_argument("agency", metavar="AGENCY")
    add.add_argument("--label", help="what the token is for (e.g. the sending system)")
    add.set_defaults(func=cmd_tokens_add, actor=actor)
    tokens.add_parser("list", help="list tokens (never their secrets)").set_defaults(
        func=cmd_tokens_list
    )
    revoke = tokens.add_parser("revoke", help="revoke a token by its prefix")
    revoke.add_argument("prefix", metavar="PREFIX")
    revoke.set_defaults(func=cmd_tokens_revoke, actor=actor)

    p = sub.add_parser("contacts", help="agencies' designated safeguarding contacts")
    contacts = p.add_subparsers(dest="contacts_command", required=True, parser_class=_Parser)
    cset = contacts.add_parser("set", help="where an agency is told of urgent alerts")
    cset.add_argument("agency", metavar="AGENCY")
    cset.add_argument("--email", help="the team mailbox")
    cset.add_argument("--webhook", metavar="URL", help="an https address to POST signed JSON to")
    cset.set_defaults(func=cmd_contacts_set, actor=actor)

    p = sub.add_parser("worker", help="deliver queued notifications (runs until stopped)")
    p.add_argument("--batch", action="store_true", help="deliver what is due now, then stop")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("audit", help="the audit trail")
    audit = p.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    audit.add_parser("verify", help="check the hash chain").set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("migrate", help="create or bring the store up to date")
    p.set_defaults(func=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CommandError as exc:
        print(f"kinsight: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("kinsight: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the contract is one line, never a traceback
        from django.core.exceptions import ImproperlyConfigured

        if isinstance(exc, ImproperlyConfigured):
            print(f"kinsight: configuration: {exc}", file=sys.stderr)
            return EXIT_USAGE
        from kinsight.feeds.ingest import FeedUnreadable

        if isinstance(exc, FeedUnreadable):
            print(f"kinsight: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("KINSIGHT_DEBUG", "").lower() in ("1", "true"):
            raise
        print(
            f"kinsight: failed: {type(exc).__name__}: {exc} (KINSIGHT_DEBUG=true shows where)",
            file=sys.stderr,
        )
        return EXIT_FAILED

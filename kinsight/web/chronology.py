"""The chronology page's parts: filters, highlighted text, the timeline picture, CSV, who knew what.

Everything here works on events already read by `chronology.queries.events_of` (which prefetches
subjects and indicators), so the page's number of queries does not grow with its events.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from kinsight.chronology.models import Event, Indicator
from kinsight.lib.moments import format_moment
from kinsight.rules.models import Alert

# Recorded more than this long after it happened, an event is shown as recorded late.
LATE_AFTER = timedelta(days=1)
# Events that matter on their own, whoever reads the chronology; the rest are context.
SIGNIFICANT = {
    "referral", "injury", "allegation", "disclosure", "domestic_abuse_incident",
    "strategy_discussion", "child_protection_conference", "plan", "assessment",
    "care_proceedings", "serious_harm", "serious_incident_notification", "hospital_admission",
    "hospital_attendance", "toxicology", "birth", "household_change", "medical_assessment",
    "arrest", "offence", "decision", "case_closed", "education_change", "missing",
}  # fmt: skip
PAGE_SIZE = 250


@dataclass
class Filters:
    agencies: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None

    def keep(self, event: Event) -> bool:
        if self.agencies and event.agency.code not in self.agencies:
            return False
        if self.types and event.type not in self.types:
            return False
        day = timezone.localtime(event.occurred_at).date()
        if self.since and day < self.since:
            return False
        return not (self.until and day > self.until)


def apply(events: list[Event], filters: Filters) -> list[Event]:
    return [e for e in events if filters.keep(e)]


def is_late(event: Event) -> bool:
    return event.recorded_at - event.occurred_at > LATE_AFTER


def delay_text(event: Event) -> str:
    """How long after it happened the event was recorded, when that is late."""
    delay = event.recorded_at - event.occurred_at
    if delay <= LATE_AFTER:
        return ""
    days = delay.days
    return f"recorded {days} day{'s' if days != 1 else ''} later"


def highlighted(event: Event) -> SafeString:
    """The summary with each indicator's words marked; every piece of text is escaped.

    Negated or hypothetical findings are marked differently, so that "no bruising" does not read
    as bruising. Overlapping spans keep the first.
    """
    text = event.summary
    pieces: list[tuple[str, str, str, str]] = []  # (text before, css class, words, label)
    at = 0
    for ind in sorted(event.indicators.all(), key=_span):
        if ind.start < at or ind.end > len(text) or ind.start >= ind.end:
            continue
        css = "ks-indicator" if ind.present else "ks-indicator ks-indicator--negated"
        pieces.append((text[at : ind.start], css, text[ind.start : ind.end], _label(ind)))
        at = ind.end
    marked = format_html_join(
        "", '{}<mark class="{}">{}<span class="govuk-visually-hidden"> [{}]</span></mark>', pieces
    )
    return format_html("{}{}", marked, text[at:])


def subjects_text(event: Event) -> str:
    """Who the event is about, by name where the record is held: "Chloe Walsh (child)"."""
    names = {row.ref: row.record.display_name for row in event.subject_rows.all() if row.record}
    parts = []
    for subject in event.subjects:
        ref = str(subject.get("ref", ""))
        role = subject.get("role") or ""
        parts.append(f"{names.get(ref, ref)} ({role})" if role else names.get(ref, ref))
    return ", ".join(parts)


def _span(ind: Indicator) -> tuple[int, int]:
    return (ind.start, ind.end)


def _label(ind: Indicator) -> str:
    label = ind.indicator.replace("_", " ")
    for flag in ("negated", "hypothetical", "historical", "uncertain"):
        if getattr(ind, flag):
            label += f", {flag}"
    if ind.experiencer and ind.experiencer != "child":
        label += f", about the {ind.experiencer}"
    return label


# The timeline picture -------------------------------------------------------------------------

LANE_HEIGHT = 36
LABEL_WIDTH = 130
PLOT_WIDTH = 820
TOP = 34


@dataclass
class Mark:
    x: float
    y: float
    label: str
    significant: bool
    late_x: float | None


@dataclass
class Flag:
    x: float
    label: str
    severity: str


@dataclass
class Bar:
    x1: float
    x2: float
    y: float
    label: str

    @property
    def width(self) -> float:
        return round(max(self.x2 - self.x1, 2.0), 1)


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[tuple[str, float]]
    marks: list[Mark]
    flags: list[Flag]
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    axis_y: float
    plot_left: int
    plot_right: int


def timeline(events: list[Event], alerts: Iterable[Alert]) -> Timeline | None:
    """One lane per agency along time; events as dots (larger when significant), a line from
    when it happened to when it was recorded when that was late, alerts as flags on top."""
    if not events:
        return None
    agencies = sorted({e.agency.code for e in events})
    lane_y = {a: TOP + LANE_HEIGHT * i + LANE_HEIGHT / 2 for i, a in enumerate(agencies)}
    start = min(e.occurred_at for e in events)
    end = max(max(e.recorded_at for e in events), start + timedelta(days=1))
    alerts = [a for a in alerts if start <= a.raised_at <= end + timedelta(days=365)]
    if alerts:
        end = max(end, *(a.raised_at for a in alerts))
    span = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * (moment - start).total_seconds() / span, 1)

    marks = [
        Mark(
            x=x(e.occurred_at),
            y=lane_y[e.agency.code],
            label=f"{e.type.replace('_', ' ')}, {format_moment(e.occurred_at)}"
            + (f", {delay_text(e)}" if is_late(e) else ""),
            significant=e.type in SIGNIFICANT,
            late_x=x(e.recorded_at) if is_late(e) else None,
        )
        for e in events
    ]
    flags = [Flag(x(a.raised_at), f"{a.rule.replace('_', ' ')} ({a.severity})", a.severity)
             for a in alerts]  # fmt: skip
    bars = [
        Bar(x(since), x(until or end), lane_y[agency] + 8, label + ("" if until else ", open"))
        for agency, label, since, until in spans(events)
    ]
    height = TOP + LANE_HEIGHT * len(agencies) + 30
    return Timeline(
        width=LABEL_WIDTH + PLOT_WIDTH + 30,
        height=height,
        lanes=[(a, lane_y[a]) for a in agencies],
        marks=marks,
        flags=flags,
        bars=bars,
        ticks=_ticks(start, end, x),
        axis_y=height - 22,
        plot_left=LABEL_WIDTH,
        plot_right=LABEL_WIDTH + PLOT_WIDTH,
    )


def spans(events: list[Event]) -> list[tuple[str, str, datetime, datetime | None]]:
    """Plans, assessments and enquiries as (agency, label, start, end or None while open)."""
    found: list[tuple[str, str, datetime, datetime | None]] = []
    open_: dict[tuple[str, str], int] = {}
    for e in events:
        d = e.details or {}
        kind = ""
        if e.type == "plan" and d.get("plan"):
            kind = f"{d['plan']} plan"
        elif e.type == "assessment" and d.get("assessment"):
            kind = (
                "section 47 enquiry"
                if d["assessment"] == "section_47"
                else (f"{d['assessment']} assessment")
            )
        if not kind:
            continue
        key = (e.agency.code, kind)
        if d.get("status") in ("ended", "completed"):
            if key in open_:
                index = open_.pop(key)
                agency, label, since, _ = found[index]
                found[index] = (agency, label, since, e.occurred_at)
            continue
        if key not in open_:
            open_[key] = len(found)
            found.append((e.agency.code, kind.replace("_", " "), e.occurred_at, None))
    return found


def _ticks(start: datetime, end: datetime, x: object) -> list[tuple[float, str]]:
    """Year marks, or month marks when the chronology spans less than two years."""
    assert callable(x)
    ticks: list[tuple[float, str]] = []
    local_start = timezone.localtime(start)
    if (end - start).days > 730:
        step = max(1, ((end - start).days // 365) // 8 + 1)
        year = local_start.year + 1
        while True:
            moment = local_start.replace(year=year, month=1, day=1, hour=0, minute=0, second=0)
            if moment > end:
                break
            ticks.append((x(moment), str(year)))
            year += step
    else:
        year, month = local_start.year, local_start.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            moment = local_start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
            if moment > end:
                break
            ticks.append((x(moment), moment.strftime("%b %Y")))
        if len(ticks) > 12:
            ticks = ticks[::3]
    return ticks


# CSV --------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "agency", "event_id", "type", "occurred_at", "recorded_at", "recorded_late", "subjects",
    "shared_with", "summary", "indicators",
]  # fmt: skip


def as_csv(events: list[Event]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([_cell(v) for v in (
            e.agency.code, e.event_id, e.type, format_moment(e.occurred_at),
            format_moment(e.recorded_at), delay_text(e),
            "; ".join(f"{s.get('ref')} ({s.get('role', '')})" for s in e.subjects),
            " ".join(e.shared_with), e.summary,
            "; ".join(_label(i) for i in sorted(e.indicators.all(), key=_span) if i.present),
        )])  # fmt: skip
    return out.getvalue()


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula: "=HYPERLINK(...)" is kept as text."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


# Who knew what ----------------------------------------------------------------------------------


@dataclass
class Knowledge:
    kind: str  # "recorded", "told", ""
    when: str


@dataclass
class KnowledgeRow:
    event: Event
    cells: list[Knowledge]


def who_knew(events: list[Event]) -> tuple[list[str], list[KnowledgeRow]]:
    """For each significant event: which agency recorded it and when, and which were told.

    An agency was told when the recording agency listed it in `shared_with` (the moment of
    telling is then not known), or when an `information_shared` event names the event in
    `about` (the moment is that event's).
    """
    told_at: dict[tuple[str, str], dict[str, datetime]] = {}
    for e in events:
        if e.type == "information_shared":
            details = e.details or {}
            for about in details.get("about") or []:
                for agency in details.get("to") or []:
                    told = told_at.setdefault((e.agency.code, str(about)), {})
                    told[agency] = min(told.get(agency, e.recorded_at), e.recorded_at)
    # An entry withheld from the reader is listed too: nothing may look silently missing.
    significant = [e for e in events if e.type in SIGNIFICANT or getattr(e, "restricted", None)]
    agencies = sorted(
        {e.agency.code for e in events}
        | {a for e in significant for a in e.shared_with}
        | {a for told in told_at.values() for a in told}
    )
    rows = []
    for e in significant:
        told = told_at.get((e.agency.code, e.event_id), {})
        cells = []
        for agency in agencies:
            if agency == e.agency.code:
                cells.append(Knowledge("recorded", format_moment(e.recorded_at)))
            elif agency in told:
                cells.append(Knowledge("told", format_moment(told[agency])))
            elif agency in e.shared_with:
                cells.append(Knowledge("told", ""))
            else:
                cells.append(Knowledge("", ""))
        rows.append(KnowledgeRow(e, cells))
    return agencies, rows

"""Building a practice-review pack: plain data first, rendered to JSON, Word or PDF afterwards.

`build_pack` reads, for one child, their family (`family_person_ids`) and a period: the merged
chronology, the practice episodes and their deadlines, the alerts raised and what was done with
each, the alerts today's rules raise on the records as they were made, who knew what and when,
and a short factual summary. Every value passes through a `Redactor`, which either shows it as it
is or anonymises it (`anonymise.py`); the pack itself is a dict of JSON values.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from kinsight.chronology.models import Event, EventSubject, Indicator
from kinsight.chronology.queries import family_person_ids
from kinsight.feeds.models import Agency
from kinsight.lib.moments import UK, partial_date_start
from kinsight.people.models import PersonRecord, Relationship
from kinsight.people.names import given_names_agree, normalise
from kinsight.reviews.anonymise import Anonymiser, PersonNames, Redactor
from kinsight.rules.engine import evaluate
from kinsight.rules.models import Alert, AlertChange
from kinsight.rules.registry import Rule, all_rules

PACK_VERSION = 1

# rules.md, "Deadline rules": an alert of one of these says a statutory timescale was missed.
DEADLINE_RULES = frozenset(
    {
        "referral_decision_overdue", "assessment_overdue", "strategy_discussion_overdue",
        "conference_overdue", "core_group_overdue", "review_conference_overdue",
        "child_not_seen", "pre_birth_referral_missing", "pre_birth_assessment_overdue",
        "pre_birth_conference_overdue", "serious_incident_notification_overdue",
        "rapid_review_overdue", "practice_review_overdue", "third_party_allegation_no_strategy",
    }
)  # fmt: skip
INFORMATION_RULES = frozenset(
    {"agency_not_informed", "adult_service_not_linked", "injury_during_open_enquiry"}
)
INVISIBLE_ADULT_RULES = frozenset(
    {"male_carer_not_assessed", "risk_adult_linked_children", "new_adult_in_household",
     "child_moves_to_risk_adult"}
)  # fmt: skip

# The deadline rules that apply to each kind of practice episode.
EPISODE_RULES = {
    "referral": {"referral_decision_overdue", "pre_birth_referral_missing"},
    "strategy_discussion": {"conference_overdue", "pre_birth_conference_overdue"},
    "assessment": {"assessment_overdue", "pre_birth_assessment_overdue"},
    "enquiry": {"conference_overdue"},
    "conference": {"review_conference_overdue", "core_group_overdue"},
    "plan": {"core_group_overdue", "review_conference_overdue", "child_not_seen"},
    "allegation": {"strategy_discussion_overdue", "third_party_allegation_no_strategy"},
}

SIGNIFICANT_TYPES = frozenset(
    {
        "referral", "strategy_discussion", "child_protection_conference", "plan", "decision",
        "injury", "domestic_abuse_incident", "allegation", "disclosure", "serious_harm",
        "care_proceedings", "case_closed", "medical_assessment", "arrest", "offence",
        "discharge_planning_meeting", "hospital_admission", "serious_incident_notification",
    }
)  # fmt: skip

THEME_INDICATORS = {
    "toxic_trio": ("substance_misuse", "domestic_abuse", "mental_ill_health"),
    "neglect": ("neglect_home", "neglect_care", "school_absence", "missed_appointment"),
}

CHILD_AGE = 18


class PackError(ValueError):
    """The pack cannot be made as asked (unknown child, an empty period...)."""


@dataclass
class PackRequest:
    agency: str
    record_id: str
    date_from: date
    date_to: date
    anonymise: bool = False


def build_pack(
    request: PackRequest, *, now: datetime | None = None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The pack as JSON values, and its private key (None when it is not anonymised)."""
    if request.date_to < request.date_from:
        raise PackError("--to: the period ends before it starts")
    record = (
        PersonRecord.objects.select_related("person")
        .filter(agency__code=request.agency, record_id=request.record_id)
        .first()
    )
    if record is None or record.person is None:
        raise PackError(f"{request.agency}:{request.record_id}: no such record")
    now = now or timezone.now()
    builder = _Builder(request, record.person.pk, now)
    return builder.build()


class _Builder:
    def __init__(self, request: PackRequest, child_id: int, now: datetime) -> None:
        self.request = request
        self.child_id = child_id
        self.now = now
        self.start = datetime.combine(request.date_from, time.min, tzinfo=UK)
        self.end = datetime.combine(request.date_to + timedelta(days=1), time.min, tzinfo=UK)
        self.r: Redactor = Anonymiser() if request.anonymise else Redactor()
        self.implemented = {rule.id for rule in all_rules()}
        self.titles = {rule.id: rule.title for rule in all_rules()}

    # -- reading -------------------------------------------------------------------------------
    def build(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        from kinsight.people.models import Person

        self.family = family_person_ids(Person.objects.get(pk=self.child_id))
        self.records = list(
            PersonRecord.objects.filter(person_id__in=self.family, retracted_at__isnull=True)
            .select_related("agency")
            .order_by("agency__code", "record_id")
        )
        self.labels, self.relation = self._labels()
        self.events = self._events()
        self.agencies = self._agencies()
        self._teach_redactor()
        self.alerts = self._stored_alerts()
        self.replayed = self._replayed_alerts()
        self.evidence_rules = self._evidence_rules()

        pack: dict[str, Any] = {
            "version": PACK_VERSION,
            "child": self.labels[self.child_id],
            "record": self.r.record(self.request.agency, self.request.record_id),
            "period": {
                "from": self.r.day(self.request.date_from),
                "to": self.r.day(self.request.date_to),
            },
            "generated_at": self.r.moment(self.now),
            "anonymised": self.r.anonymised,
            "people": self._people(),
            "agencies": [
                {
                    "agency": self.r.agency(a.code),
                    "name": "" if self.r.anonymised else a.name,
                    "sector": a.sector,
                }
                for a in self.agencies
            ],  # fmt: skip
        }
        pack["chronology"] = self._chronology()
        pack["episodes"] = self._episodes()
        pack["alerts"] = self._alerts_section()
        pack["alerts_today"] = self._replayed_section()
        pack["matrix"] = self._matrix()
        pack["themes"] = self._themes(pack)
        return pack, self.r.key()

    def _events(self) -> list[Event]:
        event_ids = EventSubject.objects.filter(record__person_id__in=self.family).values(
            "event_id"
        )
        events = list(
            Event.objects.filter(
                pk__in=event_ids,
                retracted_at__isnull=True,
                occurred_at__gte=self.start,
                occurred_at__lt=self.end,
            )
            .select_related("agency")
            .defer("raw", "warnings", "digest", "subjects")
            .order_by("occurred_at", "recorded_at", "agency__code", "event_id")
        )
        # Subjects and findings are read once, in batches, rather than through a prefetch per
        # event: a family of thousands of events would otherwise pay for it on every look.
        self.subjects: dict[int, list[EventSubject]] = {e.pk: [] for e in events}
        self.present_indicators: dict[int, set[str]] = {e.pk: set() for e in events}
        ids = [e.pk for e in events]
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            for subject in (
                EventSubject.objects.filter(event_id__in=chunk)
                .select_related("record")
                .defer("record__raw", "record__warnings", "record__link_reason")
                .order_by("pk")
            ):
                self.subjects[subject.event_id].append(subject)
            for event_id, indicator in Indicator.objects.filter(
                event_id__in=chunk, negated=False, hypothetical=False
            ).values_list("event_id", "indicator"):
                self.present_indicators[event_id].add(indicator)
        return events

    def _agencies(self) -> list[Agency]:
        codes = {e.agency.code for e in self.events} | {r.agency.code for r in self.records}
        for e in self.events:
            codes.update(c for c in e.shared_with if isinstance(c, str))
            for key in ("attended_by", "to"):
                value = e.details.get(key) if isinstance(e.details, dict) else None
                if isinstance(value, list):
                    codes.update(c for c in value if isinstance(c, str))
        return list(Agency.objects.filter(code__in=codes).order_by("code"))

    # -- who is who -----------------------------------------------------------------------------
    def _labels(self) -> tuple[dict[int, str], dict[int, str]]:
        """A pseudonym by role for each family member, and their relationship to the child."""
        child = self.child_id
        rels = list(
            Relationship.objects.filter(
                person_record__person_id__in=self.family,
                relative_record__person_id__in=self.family,
            ).values_list("person_record__person_id", "relative_record__person_id", "type")
        )
        parents_of: dict[int, set[int]] = defaultdict(set)
        for person, relative, kind in rels:
            if kind in ("mother", "father", "parent") and person != relative:
                parents_of[person].add(relative)
        relation: dict[int, str] = {child: "the child"}
        direct = {
            "mother": "mother", "father": "father", "parent": "parent",
            "step_parent": "step-parent", "carer": "carer", "grandparent": "grandparent",
            "sibling": "sibling", "half_sibling": "half-sibling", "partner": "partner",
            "household_member": "household member",
        }  # fmt: skip
        for person, relative, kind in rels:
            if person == child and relative != child and relative not in relation:
                relation[relative] = direct.get(kind, "relative")
            elif relative == child and person != child and person not in relation:
                if kind in ("sibling", "half_sibling", "partner", "household_member"):
                    relation[person] = direct[kind]
        mother = [p for p, k in relation.items() if k == "mother"]
        father = [p for p, k in relation.items() if k == "father"]
        child_parents = parents_of.get(child, set())
        for person in self.family:
            if person in relation:
                continue
            shared = parents_of.get(person, set()) & child_parents
            if shared:
                full = len(child_parents) >= 2 and child_parents <= parents_of[person]
                relation[person] = "sibling" if full else "half-sibling"
        for person, relative, kind in rels:
            for a, b in ((person, relative), (relative, person)):
                if b in relation or kind != "partner":
                    continue
                if a in mother:
                    relation[b] = "mother's partner"
                elif a in father:
                    relation[b] = "father's partner"
        for person, relative, kind in rels:
            if relative in relation:
                continue
            if relation.get(person) == "half-sibling" and kind in ("mother", "father"):
                relation[relative] = f"half-sibling's {kind}"
            elif relation.get(person) in ("sibling", "half-sibling") and kind == "step_parent":
                relation[relative] = "step-parent"
        births = self._birth_dates()
        for person in self.family:
            if person not in relation:
                born = births.get(person)
                young = born is not None and (self.request.date_to - born).days < CHILD_AGE * 365
                relation[person] = "related child" if young else "related adult"

        labels: dict[int, str] = {child: "Child A"}
        siblings = sorted(
            (p for p, k in relation.items() if k == "sibling"),
            key=lambda p: (births.get(p) or date.max, p),
        )
        for n, person in enumerate(siblings):
            labels[person] = f"Child {chr(ord('B') + n) if n < 25 else n + 2}"
        by_role: dict[str, list[int]] = defaultdict(list)
        for person in sorted(relation, key=lambda p: (births.get(p) or date.max, p)):
            if person not in labels:
                by_role[relation[person]].append(person)
        for role, people in by_role.items():
            base = role[0].upper() + role[1:]
            for n, person in enumerate(people, start=1):
                labels[person] = base if len(people) == 1 else f"{base} {n}"
        return labels, relation

    def _birth_dates(self) -> dict[int, date]:
        found: dict[int, date] = {}
        for record in self.records:
            if record.person_id is None:
                continue
            born = partial_date_start(record.birth_date) if record.birth_date else None
            born = born or record.expected_birth_date
            if born is not None:
                found.setdefault(record.person_id, born)
        return found

    def _teach_redactor(self) -> None:
        """Tell the anonymiser every name it must find: the family's records first, then the
        records of others named in the pack's events, then every record of the agencies in
        the pack (linkage may not have joined them, so any of them could be a family member)."""
        if not isinstance(self.r, Anonymiser):
            return
        anon = self.r
        anon.add_agencies((a.code, a.name, a.sector) for a in self.agencies)
        by_person: dict[int, list[PersonRecord]] = defaultdict(list)
        for record in self.records:
            if record.person_id is not None:
                by_person[record.person_id].append(record)
        for person, records in by_person.items():
            anon.add_person(_names_of(self.labels[person], records))
        # Others named in the events: placed with a family member when the names agree.
        others: dict[int, list[PersonRecord]] = defaultdict(list)
        for event in self.events:
            for subject in self.subjects[event.pk]:
                named = subject.record
                if named is not None and named.person_id not in self.labels:
                    others[named.person_id or -named.pk].append(named)
        next_other = 1
        for key in sorted(others):
            records = others[key]
            match = self._same_as_family(records, by_person)
            if match is not None:
                label = self.labels[match]
            else:
                label = f"Other person {next_other}"
                next_other += 1
                if key > 0:
                    self.labels[key] = label
                    self.relation[key] = "named in the records"
            anon.add_person(_names_of(label, records))
        codes = [a.pk for a in self.agencies]
        for given, family, other, record_id in (
            PersonRecord.objects.filter(agency_id__in=codes)
            .exclude(person_id__in=self.family)
            .values_list("given_name", "family_name", "other_names", "record_id")
            .iterator(chunk_size=5000)
        ):
            anon.add_person(
                PersonNames(
                    None,
                    [given],
                    [family],
                    other if isinstance(other, list) else [],
                    [record_id],
                ),
                strength=1,
            )

    def _same_as_family(
        self, records: list[PersonRecord], family: dict[int, list[PersonRecord]]
    ) -> int | None:
        for person, known in family.items():
            for a in records:
                for b in known:
                    same_family = normalise(a.family_name) == normalise(b.family_name) or any(
                        normalise(a.family_name) in normalise(o) for o in b.other_names
                    )
                    agree = given_names_agree(normalise(a.given_name), normalise(b.given_name))
                    years = {x.birth_date[:4] for x in (a, b) if x.birth_date}
                    if same_family and agree and len(years) <= 1:
                        return person
        return None

    def _people(self) -> list[dict[str, Any]]:
        by_person: dict[int, list[PersonRecord]] = defaultdict(list)
        for record in self.records:
            if record.person_id is not None:
                by_person[record.person_id].append(record)
        people = []
        order = sorted(self.labels, key=lambda p: (p != self.child_id, self.labels[p]))
        for person in order:
            records = by_person.get(person, [])
            entry: dict[str, Any] = {
                "person": self.labels[person],
                "relationship": self.relation.get(person, ""),
                "records": [self.r.record(r.agency.code, r.record_id) for r in records]
                if not self.r.anonymised
                else [self.r.agency(r.agency.code) for r in records],
            }
            if not self.r.anonymised:
                entry["names"] = sorted({r.display_name for r in records})
                entry["birth_dates"] = sorted({r.birth_date for r in records if r.birth_date})
            people.append(entry)
        return people

    # -- sections -------------------------------------------------------------------------------
    def _who(self, event: Event) -> list[dict[str, str]]:
        found = []
        for row in self.subjects[event.pk]:
            record = row.record
            person = record.person_id if record is not None else None
            label = self.labels.get(person) if person is not None else None
            if label is None:
                # Someone outside the family (or not yet linked): their record, or the
                # pseudonym the anonymiser gave them.
                label = self.r.record(event.agency.code, row.ref)
            found.append({"person": label, "role": row.role})
        return found

    def _evidence_rules(self) -> dict[tuple[str, str], set[str]]:
        rules: dict[tuple[str, str], set[str]] = defaultdict(set)
        for alert in self.alerts:
            for agency, event_id in alert.evidence:
                rules[(agency, event_id)].add(alert.rule)
        for raised in self.replayed:
            for agency, event_id in raised["evidence"]:
                rules[(agency, event_id)].add(raised["rule"])
        return rules

    def _significant(self, event: Event) -> list[str]:
        why = []
        if event.type in SIGNIFICANT_TYPES:
            why.append(event.type.replace("_", " "))
        if event.type == "toxicology" and event.details.get("result") == "positive":
            why.append("positive toxicology")
        if event.type == "birth" and event.details.get("neonatal_abstinence"):
            why.append("neonatal abstinence")
        rules = self.evidence_rules.get((event.agency.code, event.event_id))
        if rules:
            why.append("evidence of " + ", ".join(sorted(rules)))
        return why

    def _chronology(self) -> list[dict[str, Any]]:
        rows = []
        for event in self.events:
            why = self._significant(event)
            rows.append(
                {
                    "ref": self.r.ref(event.agency.code, event.event_id),
                    "occurred_at": self.r.moment(event.occurred_at),
                    "recorded_at": self.r.moment(event.recorded_at),
                    "agency": self.r.agency(event.agency.code),
                    "type": event.type,
                    "subjects": self._who(event),
                    "summary": self.r.text(event.summary),
                    "shared_with": [self.r.agency(c) for c in event.shared_with],
                    "significant": bool(why),
                    "why_significant": why,
                }
            )
        return rows

    def _deadline_alerts(self) -> dict[tuple[str, str], list[tuple[str, datetime]]]:
        found: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
        for alert in self.alerts:
            if alert.rule in DEADLINE_RULES:
                for agency, event_id in alert.evidence:
                    found[(agency, event_id)].append((alert.rule, alert.raised_at))
        for raised in self.replayed:
            if raised["rule"] in DEADLINE_RULES:
                for agency, event_id in raised["evidence"]:
                    found[(agency, event_id)].append((raised["rule"], raised["raised_at_moment"]))
        return found

    def _episodes(self) -> list[dict[str, Any]]:
        """Each plan, assessment, conference, strategy discussion, referral and allegation, with
        whether a statutory deadline alert rests on it."""
        missed = self._deadline_alerts()
        open_: dict[tuple[Any, ...], dict[str, Any]] = {}
        episodes: list[dict[str, Any]] = []
        for event in self.events:
            kind, what, closing = _episode_kind(event)
            if kind is None:
                continue
            children = tuple(
                sorted(
                    self.labels.get(row.record.person_id, "")
                    for row in self.subjects[event.pk]
                    if row.record is not None
                    and row.record.person_id in self.labels
                    and row.role in ("child", "subject", "victim", "child_present", "")
                )
            )
            key = (kind, what, children)
            if closing and key in open_:
                episode = open_.pop(key)
                episode["ended"] = self.r.moment(event.occurred_at)
                episode["events"].append(event)
                continue
            episode = {
                "kind": kind,
                "what": what,
                "children": list(children),
                "started": self.r.moment(event.occurred_at),
                "ended": "",
                "events": [event],
                "closes": kind in ("plan", "assessment"),
            }
            if kind in ("plan", "assessment") and not closing:
                open_[key] = episode
            episodes.append(episode)
        shown = []
        for episode in episodes:
            events: list[Event] = episode.pop("events")
            rules_missed = sorted(
                {
                    (rule, at)
                    for e in events
                    for rule, at in missed.get((e.agency.code, e.event_id), [])
                }
            )
            applicable = EPISODE_RULES.get(episode["kind"], set())
            if rules_missed:
                deadline = "missed: " + "; ".join(
                    f"{rule} ({self.r.moment(at)})" for rule, at in rules_missed
                )
            elif not applicable:
                deadline = "no statutory deadline"
            elif not applicable & self.implemented:
                deadline = "not checked: " + ", ".join(sorted(applicable)) + " not built yet"
            elif episode.pop("closes") and not episode["ended"]:
                deadline = "no deadline alert; still open at the end of the period"
            else:
                deadline = "met: no deadline alert"
            episode.pop("closes", None)
            episode["deadline"] = deadline
            episode["refs"] = [self.r.ref(e.agency.code, e.event_id) for e in events]
            shown.append(episode)
        return shown

    def _stored_alerts(self) -> list[Alert]:
        return list(
            Alert.objects.filter(
                child_id__in=self.family, raised_at__gte=self.start, raised_at__lt=self.end
            )
            .prefetch_related(
                Prefetch("changes", queryset=AlertChange.objects.order_by("at", "pk"))
            )
            .order_by("raised_at", "rule", "pk")
        )

    def _alerts_section(self) -> list[dict[str, Any]]:
        shown = []
        for alert in self.alerts:
            steps = [
                {
                    "what": change.kind,
                    "at": self.r.moment(change.at),
                    "by": self.r.staff(change.by),
                    "note": self.r.text(change.note),
                }
                for change in alert.changes.all()
            ]
            acted = [s for s in steps if s["what"] in ("acknowledged", "actioned", "closed")]
            if not acted:
                outcome = "never acted on"
            else:
                last = acted[-1]
                outcome = f"{last['what']} by {last['by']} ({last['at']})"
                if last["note"]:
                    outcome += f": {last['note']}"
            shown.append(
                {
                    "id": alert.pk,
                    "rule": alert.rule,
                    "title": self.titles.get(alert.rule, ""),
                    "severity": alert.severity,
                    "child": self.labels.get(alert.child_id, "[not in the family]"),
                    "raised_at": self.r.moment(alert.raised_at),
                    "explanation": self.r.text(alert.explanation),
                    "evidence": [self.r.ref(a, i) for a, i in alert.evidence],
                    "status": alert.status,
                    "outcome": outcome,
                    "history": steps,
                }
            )
        return shown

    def _replayed_alerts(self) -> list[dict[str, Any]]:
        found = []
        for raised in evaluate(self.now, person_ids=self.family):
            moment = raised.draft.raised_at
            if not self.start <= moment < self.end:
                continue
            found.append(
                {
                    "rule": raised.draft.rule,
                    "severity": raised.draft.severity,
                    "child_id": raised.child.person_id,
                    "raised_at_moment": moment,
                    "evidence": raised.evidence,
                    "explanation": raised.draft.explanation,
                    "episode": raised.draft.episode,
                }
            )
        found.sort(key=lambda a: (a["raised_at_moment"], a["rule"]))
        return found

    def _replayed_section(self) -> list[dict[str, Any]]:
        stored = {(a.rule, a.child_id, a.episode) for a in self.alerts}
        return [
            {
                "rule": a["rule"],
                "title": self.titles.get(a["rule"], ""),
                "severity": a["severity"],
                "child": self.labels.get(a["child_id"], "[not in the family]"),
                "raised_at": self.r.moment(a["raised_at_moment"]),
                "evidence": [self.r.ref(ag, i) for ag, i in a["evidence"]],
                "explanation": self.r.text(a["explanation"]),
                "raised_at_the_time": (a["rule"], a["child_id"], a["episode"]) in stored,
            }
            for a in self.replayed
        ]

    def _matrix(self) -> dict[str, Any]:
        """Significant events by agency: who recorded each, who was told or was there, and when."""
        told_later: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
        for event in self.events:
            if event.type == "information_shared":
                about = event.details.get("about") or []
                to = event.details.get("to") or []
                for event_id in about:
                    for code in to:
                        told_later[(event.agency.code, event_id)].append((code, event.recorded_at))
        codes = [a.code for a in self.agencies]
        rows = []
        for event in self.events:
            if not self._significant(event):
                continue
            cells: dict[str, str] = {}
            cells[event.agency.code] = "recorded " + self.r.moment(event.recorded_at)
            for code in event.shared_with:
                cells.setdefault(code, "told " + self.r.moment(event.recorded_at))
            attended = event.details.get("attended_by") if isinstance(event.details, dict) else []
            for code in attended or []:
                cells.setdefault(code, "took part " + self.r.moment(event.occurred_at))
            for code, at in told_later.get((event.agency.code, event.event_id), []):
                cells.setdefault(code, "told " + self.r.moment(at))
            rows.append(
                {
                    "ref": self.r.ref(event.agency.code, event.event_id),
                    "occurred_at": self.r.moment(event.occurred_at),
                    "type": event.type,
                    "recorded_by": self.r.agency(event.agency.code),
                    "cells": {self.r.agency(c): v for c, v in cells.items()},
                    "not_shared": not event.shared_with
                    and not attended
                    and (event.agency.code, event.event_id) not in told_later,
                }
            )
        return {"agencies": [self.r.agency(c) for c in codes], "rows": rows}

    def _themes(self, pack: dict[str, Any]) -> list[dict[str, Any]]:
        """Facts with references for the reviewer to start from: never a judgement."""
        themes = []
        fired: dict[str, list[str]] = defaultdict(list)
        for alert in pack["alerts"]:
            fired[alert["rule"]].extend(alert["evidence"])
        for alert in pack["alerts_today"]:
            fired.setdefault(alert["rule"], []).extend(alert["evidence"])
        for rule in sorted(fired):
            at_time = sum(1 for a in pack["alerts"] if a["rule"] == rule)
            today = sum(1 for a in pack["alerts_today"] if a["rule"] == rule)
            themes.append(
                {
                    "theme": "rule fired",
                    "rule": rule,
                    "text": f"{rule}: {at_time} alert(s) raised at the time, {today} under "
                    "today's rules on the records as made.",
                    "refs": list(dict.fromkeys(fired[rule])),
                }
            )
        missed = [e for e in pack["episodes"] if e["deadline"].startswith("missed")]
        if missed:
            themes.append(
                {
                    "theme": "deadlines missed",
                    "text": f"{len(missed)} practice episode(s) have a deadline alert: "
                    + "; ".join(f"{e['what']} ({e['started']})" for e in missed),
                    "refs": [r for e in missed for r in e["refs"]],
                }
            )
        never = [a for a in pack["alerts"] if a["outcome"] == "never acted on"]
        if never:
            themes.append(
                {
                    "theme": "alerts never acted on",
                    "text": f"{len(never)} of {len(pack['alerts'])} alert(s) raised have no "
                    "recorded acknowledgement, action or closure.",
                    "refs": [f"alert {a['id']}" for a in never],
                }
            )
        counts: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            present = self.present_indicators[event.pk]
            for indicator in present:
                counts[indicator].append(event)
        for theme, indicators in THEME_INDICATORS.items():
            parts, refs = [], []
            for indicator in indicators:
                events = counts.get(indicator, [])
                if events:
                    agencies = {e.agency.code for e in events}
                    parts.append(
                        f"{indicator.replace('_', ' ')} in {len(events)} record(s) "
                        f"from {len(agencies)} agency(ies)"
                    )
                    refs += [self.r.ref(e.agency.code, e.event_id) for e in events]
            if parts:
                name = "toxic trio" if theme == "toxic_trio" else theme
                themes.append(
                    {
                        "theme": name,
                        "text": "; ".join(parts) + ".",
                        "refs": list(dict.fromkeys(refs)),
                    }
                )
        adults = [p for p, k in self.relation.items() if p != self.child_id and _adult_role(k)]
        invisible = []
        for person in adults:
            involved = [
                e
                for e in self.events
                if any(
                    row.record is not None and row.record.person_id == person
                    for row in self.subjects[e.pk]
                )
            ]
            social = [e for e in involved if e.agency.sector == "social_care"]
            invisible.append(
                f"{self.labels[person]} is a subject of {len(involved)} record(s), "
                f"{len(social)} of them by social care"
            )
        rules_adults = sorted(set(fired) & INVISIBLE_ADULT_RULES)
        if invisible or rules_adults:
            text = "; ".join(invisible) + "."
            if rules_adults:
                text += " Rules about adults that fired: " + ", ".join(rules_adults) + "."
            themes.append({"theme": "invisible adults", "text": text, "refs": []})
        not_shared = [row for row in pack["matrix"]["rows"] if row["not_shared"]]
        if not_shared or set(fired) & INFORMATION_RULES:
            by_agency = Counter(row["recorded_by"] for row in not_shared)
            text = (
                f"{len(not_shared)} of {len(pack['matrix']['rows'])} significant record(s) "
                "name no other agency as told or present"
            )
            if by_agency:
                text += " (" + ", ".join(f"{a}: {n}" for a, n in sorted(by_agency.items())) + ")"
            info_rules = sorted(set(fired) & INFORMATION_RULES)
            if info_rules:
                text += "; information-sharing rules that fired: " + ", ".join(info_rules)
            themes.append(
                {
                    "theme": "information not shared",
                    "text": text + ".",
                    "refs": [row["ref"] for row in not_shared],
                }
            )
        return themes


def _adult_role(relation: str) -> bool:
    return relation not in ("the child", "sibling", "half-sibling", "related child")


def _episode_kind(event: Event) -> tuple[str | None, str, bool]:
    """(kind, what, closes an open episode) for the events that make practice episodes."""
    d = event.details if isinstance(event.details, dict) else {}
    if event.type == "plan":
        what = f"{str(d.get('plan', '')).replace('_', ' ')} plan".strip()
        return "plan", what, d.get("status") == "ended"
    if event.type == "assessment":
        kind = str(d.get("assessment", "other"))
        what = "section 47 enquiry" if kind == "section_47" else f"{kind.replace('_', ' ')} "
        what = what.strip() if kind == "section_47" else f"{what}assessment"
        episode = "enquiry" if kind == "section_47" else "assessment"
        return episode, what, d.get("status") == "completed"
    if event.type == "child_protection_conference":
        return "conference", f"{d.get('conference', '')} conference".strip(), False
    if event.type == "strategy_discussion":
        return "strategy_discussion", "strategy discussion", False
    if event.type == "referral":
        return "referral", "referral", False
    if event.type in ("allegation", "disclosure"):
        return "allegation", event.type, False
    return None, "", False


def _names_of(label: str, records: list[PersonRecord]) -> PersonNames:
    return PersonNames(
        label,
        given_names=[r.given_name for r in records],
        family_names=[r.family_name for r in records],
        other_names=[n for r in records for n in r.other_names if isinstance(n, str)],
        record_ids=[r.record_id for r in records],
        nhs_numbers=[r.nhs_number for r in records if r.nhs_number],
        postcodes=[r.postcode for r in records if r.postcode],
        addresses=[r.address_text for r in records if r.address_text],
        birth_dates=[r.birth_date for r in records if r.birth_date],
    )


def rule_titles() -> dict[str, str]:
    return {rule.id: rule.title for rule in Rule.registry.values()}

"""Writes to the person index: training, re-linking, review decisions and their undoing.

Each writes its audit entry in the same transaction as the change it records.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kinsight.audit.models import record_audit
from kinsight.people.features import RECORD_FIELDS, features
from kinsight.people.linking import Outcome, _advance_sequence, relink_all
from kinsight.people.models import LinkCandidate, LinkDecision, LinkModel, Person, PersonRecord


class LinkError(Exception):
    """A decision that cannot be made as asked (one line, for the CLI and the API)."""


def do_train_link_model(*, acting: str, max_pairs: float = 2e6) -> LinkModel:
    """Estimate the model on every record in the store and keep it as the current model."""
    from kinsight.people.training import train_model

    rows = PersonRecord.objects.order_by("pk").values_list(*RECORD_FIELDS)
    model = train_model((features(v) for v in rows.iterator(chunk_size=20_000)),
                        max_pairs=max_pairs)  # fmt: skip
    with transaction.atomic():
        row = LinkModel.objects.create(
            trained_at=timezone.now(), records=model["kinsight"]["records"], model=model
        )
        record_audit(
            actor=acting,
            action="train_link_model",
            object_type="link_model",
            object_id=str(row.pk),
            detail={"records": row.records, "prior": model["probability_two_random_records_match"]},
        )
    return row


def do_relink_all(*, acting: str) -> Outcome:
    """Re-link every record (decisions bind) and audit the run with its counts."""
    with transaction.atomic():
        outcome = relink_all()
        record_audit(
            actor=acting,
            action="relink_all",
            object_type="person_index",
            object_id="all",
            detail=outcome.as_json(),
        )
    return outcome


def _person_records(record_ids: list[int]) -> dict[int, int | None]:
    return dict(PersonRecord.objects.filter(pk__in=record_ids).values_list("pk", "person_id"))


def do_decide_link(
    *,
    acting: str,
    verdict: str,
    left: list[int],
    right: list[int],
    reason: str = "",
    candidate: LinkCandidate | None = None,
) -> LinkDecision:
    """A person decides that two sets of records are, or are not, one person.

    "same" moves the right-hand persons' records into the left-hand person; "not the same"
    moves the right-hand records out to a person of their own. Either way the decision binds
    every later linking, and `moved` remembers what to put back on undo.
    """
    if verdict not in LinkDecision.Verdict.values:
        raise LinkError(f"verdict: expected one of {', '.join(LinkDecision.Verdict.values)}")
    if not left or not right or set(left) & set(right):
        raise LinkError("left and right: two non-empty, separate sets of records are needed")
    with transaction.atomic():
        persons = _person_records([*left, *right])
        missing = sorted((set(left) | set(right)) - persons.keys())
        if missing:
            raise LinkError(f"records: no such record {missing[0]}")
        now = timezone.now()
        moved: list[list[Any]] = []
        if verdict == LinkDecision.Verdict.SAME:
            target = next((persons[r] for r in left if persons[r] is not None), None)
            if target is None:
                target = _new_person()
            sources = {p for r in right if (p := persons[r]) is not None and p != target}
            records = set(right) | set(
                PersonRecord.objects.filter(person_id__in=sources).values_list("pk", flat=True)
            )
            for record in sorted(records):
                moved.append([record, persons.get(record, _person_of(record)), target])
            PersonRecord.objects.filter(pk__in=records).update(
                person_id=target,
                link_reason={"rule": "decision", "verdict": verdict, "by": acting},
            )
            Person.objects.filter(pk__in=sources).update(merged_into_id=target)
        else:
            shared = {persons[r] for r in left} & {persons[r] for r in right} - {None}
            if shared:
                target = _new_person()
                for record in sorted(right):
                    if persons[record] in shared:
                        moved.append([record, persons[record], target])
                PersonRecord.objects.filter(pk__in=[m[0] for m in moved]).update(
                    person_id=target,
                    link_reason={"rule": "decision", "verdict": verdict, "by": acting},
                )
        decision = LinkDecision.objects.create(
            verdict=verdict,
            left=sorted(left),
            right=sorted(right),
            reason=reason,
            decided_by=acting,
            decided_at=now,
            moved=moved,
        )
        if candidate is not None:
            candidate.status = LinkCandidate.Status.DECIDED
            candidate.decision = decision
            candidate.save(update_fields=["status", "decision"])
        record_audit(
            actor=acting,
            action="decide_link",
            object_type="link_decision",
            object_id=str(decision.pk),
            detail={"verdict": verdict, "left": decision.left, "right": decision.right,
                    "moved": moved},
            reason=reason,
        )  # fmt: skip
    return decision


def do_decide_link_candidate(
    candidate: LinkCandidate, *, acting: str, verdict: str, reason: str = ""
) -> LinkDecision:
    """Decide a pair from the review queue."""
    if candidate.status != LinkCandidate.Status.PENDING:
        raise LinkError(f"candidate {candidate.pk}: already {candidate.status}")
    return do_decide_link(
        acting=acting,
        verdict=verdict,
        left=[candidate.record_a_id],
        right=[candidate.record_b_id],
        reason=reason,
        candidate=candidate,
    )


def do_undo_link_decision(decision: LinkDecision, *, acting: str, reason: str) -> LinkDecision:
    """Put back every record the decision moved; the decision stops binding later links."""
    if not reason.strip():
        raise LinkError("reason: an undo needs a reason")
    if decision.undone_at is not None:
        raise LinkError(f"decision {decision.pk}: already undone")
    with transaction.atomic():
        for record, before, _after in decision.moved:
            PersonRecord.objects.filter(pk=record).update(
                person_id=before,
                link_reason={"rule": "undo", "decision": decision.pk, "by": acting},
            )
        restored = {before for _r, before, _a in decision.moved} - {None}
        Person.objects.filter(pk__in=restored).update(merged_into=None)
        decision.undone_at = timezone.now()
        decision.undone_by = acting
        decision.undo_reason = reason
        decision.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        LinkCandidate.objects.filter(decision=decision).update(
            status=LinkCandidate.Status.PENDING, decision=None
        )
        record_audit(
            actor=acting,
            action="undo_link_decision",
            object_type="link_decision",
            object_id=str(decision.pk),
            detail={"restored": decision.moved},
            reason=reason,
        )
    return decision


def _person_of(record: int) -> int | None:
    return PersonRecord.objects.filter(pk=record).values_list("person_id", flat=True).first()


def _new_person() -> int:
    top = Person.objects.aggregate(top=Max("pk"))["top"] or 0
    person = Person.objects.create(pk=top + 1)
    _advance_sequence()
    return int(person.pk)

"""The practitioners' pages. Each view: check access, read through a query module, render."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kinsight.access.checks import (
    alert_for,
    audit_read,
    may_act_on_alerts,
    person_for,
    visible_among,
)
from kinsight.access.models import User
from kinsight.chronology.models import Event
from kinsight.chronology.queries import events_of, family_person_ids
from kinsight.feeds.models import Agency
from kinsight.people.models import Person
from kinsight.people.search import find_people
from kinsight.rules.actions import AlertActionError
from kinsight.rules.models import Alert
from kinsight.web import alerts as alert_pages
from kinsight.web import chronology as chron
from kinsight.web import person as person_pages
from kinsight.web.forms import ChronologyFilter, SearchForm


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "agencies": Agency.objects.count(),
            "persons": Person.objects.filter(merged_into__isnull=True).count(),
            "events": Event.objects.count(),
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and not form.criteria().empty:
        criteria = form.criteria()
        found = find_people(criteria)
        visible = visible_among(_user(request), [f.person_id for f in found])
        results = [f for f in found if f.person_id in visible]
        audit_read(
            _user(request), "search", "person", "",
            {"criteria": criteria.as_audit(), "found": [f.public_id for f in results]},
        )  # fmt: skip
    elif form.is_bound and form.is_valid():
        form.add_error(None, "Enter a name, a date of birth, an NHS number or an agency's id")
    return render(request, "web/search.html", {"form": form, "results": results})


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = person_for(_user(request), person_id, read="person")
    records = person_pages.records_of(subject)
    events = person_pages.status_events(subject)
    family, pairs = person_pages.family(subject)
    visible = visible_among(_user(request), [m.person_id for m in family])
    for member in family:
        member.visible = member.person_id in visible
    name = person_pages.display_name(records)
    return render(
        request,
        "web/person.html",
        {
            "person": subject,
            "name": name,
            "records": [(r, person_pages.link_reason_text(r.link_reason)) for r in records],
            "status": person_pages.current_status(events),
            "clock": person_pages.statutory_clock(events),
            "alerts": person_pages.open_alerts([subject.pk]),
            "family": family,
            "diagram": person_pages.family_diagram(
                subject,
                name,
                max((r.birth_date for r in records), key=len, default=""),
                family,
                pairs,
            ),
        },
    )


@login_required
def chronology(request: HttpRequest, person_id: int) -> HttpResponse:
    family = request.GET.get("family") == "1"
    as_csv = request.GET.get("format") == "csv"
    read = "export" if as_csv else "family_chronology" if family else "chronology"
    subject = person_for(_user(request), person_id, read=read)
    person_ids = family_person_ids(subject) if family else [subject.pk]
    events = events_of(person_ids)
    form = ChronologyFilter(
        request.GET,
        agencies=sorted({e.agency.code for e in events}),
        types=sorted({e.type for e in events}),
    )
    filters = chron.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = chron.Filters(data["agency"], data["type"], data["since"], data["until"])
    shown = chron.apply(events, filters)
    if as_csv:
        response = HttpResponse(chron.as_csv(shown), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chronology-{subject}.csv"'
        return response
    page = Paginator(shown, chron.PAGE_SIZE).get_page(request.GET.get("page"))
    records = person_pages.records_of(subject)
    return render(
        request,
        "web/chronology.html",
        {
            "person": subject,
            "name": person_pages.display_name(records),
            "family": family,
            "form": form,
            "total": len(events),
            "shown": len(shown),
            "page": page,
            "rows": [
                (e, chron.highlighted(e), chron.delay_text(e), chron.subjects_text(e)) for e in page
            ],
            "timeline": chron.timeline(shown, person_pages.open_alerts(person_ids)),
            "query": _query_without_page(request),
        },
    )


@login_required
def who_knew(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = person_for(_user(request), person_id, read="who_knew")
    events = events_of(family_person_ids(subject))
    form = ChronologyFilter(request.GET, agencies=[], types=[])
    filters = chron.Filters()
    if form.is_valid():
        filters = chron.Filters(since=form.cleaned_data["since"], until=form.cleaned_data["until"])
    agencies, rows = chron.who_knew(chron.apply(events, filters))
    records = person_pages.records_of(subject)
    return render(
        request,
        "web/who_knew.html",
        {
            "person": subject,
            "name": person_pages.display_name(records),
            "form": form,
            "agencies": agencies,
            "rows": rows,
        },
    )


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    return render(
        request,
        "web/alerts.html",
        {
            "alerts": alert_pages.inbox(_user(request), show_closed=show_closed),
            "show_closed": show_closed,
        },
    )


@login_required
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    found = alert_for(_user(request), alert_id)
    return render(request, "web/alert.html", _alert_context(request, found))


@login_required
@require_POST
def alert_step(request: HttpRequest, alert_id: int, step: str) -> HttpResponse:
    """Acknowledge, record an action on, or close an alert; the action audits itself."""
    if step not in alert_pages.STEPS:
        raise Http404("No such step")
    found = alert_for(_user(request), alert_id, acting=True)
    spec = alert_pages.STEPS[step]
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            spec.do(found, _user(request).username, form.cleaned_data[spec.field])
        except AlertActionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("alert", alert_id=found.pk)
    context = _alert_context(request, found, failed=step, form=form)
    return render(request, "web/alert.html", context, status=400)


def _alert_context(
    request: HttpRequest, found: Alert, *, failed: str = "", form: Form | None = None
) -> dict[str, object]:
    events = alert_pages.evidence_events(found)
    return {
        "alert": found,
        "rule": alert_pages.rule_info(found.rule),
        "name": person_pages.display_name(person_pages.records_of(found.child)),
        "evidence": [(e, chron.highlighted(e), chron.delay_text(e)) for e in events],
        "history": alert_pages.history(found),
        "may_act": may_act_on_alerts(_user(request)),
        "steps": alert_pages.steps_open(found),
        "failed": failed,
        "failed_anchor": {"action": "action-note", "close": "close-reason"}.get(failed, "act"),
        "form": form,
    }


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

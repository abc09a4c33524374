from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinsight.chronology.models import Event
from kinsight.feeds.models import Agency
from kinsight.people.models import Person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "agencies": Agency.objects.count(),
            "persons": Person.objects.count(),
            "events": Event.objects.count(),
        },
    )

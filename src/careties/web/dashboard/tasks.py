"""What each role should do next, and what the data cover: the home page and every page's footer.

A council lead opening careties should see, without hunting, which data are
missing, which survey waves are open and how many have answered, which plan
items are due, and where the evaluation stands. Each task is a sentence and a
link to the page where it is done; the link is offered only when the role may
open it (the same checks the header uses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone

from careties.web import access
from careties.web.accounts.models import Role
from careties.web.dashboard.navigation import _may_upload
from careties.web.programme.models import ActionItem, Programme
from careties.web.programme.permissions import can_manage
from careties.web.store.models import CareEvent, ImportBatch, Practice
from careties.web.surveys.models import Wave

#: Plan items due within this many days are listed as next tasks.
DUE_WITHIN_DAYS = 31


@dataclass(frozen=True)
class Task:
    """One next step: what, why, and where it is done."""

    text: str
    href: str | None = None
    detail: str = ""
    urgent: bool = False


def _long(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def data_status(la_code: str) -> dict:
    """What one council's data cover and when they were last loaded (cached per import).

    The care events' first and last dates are the period every referral figure
    covers; the latest import is when anything was last loaded.
    """
    latest = ImportBatch.objects.aggregate(at=Max("created_at"), pk=Max("pk"))
    key = f"careties:data-status:{la_code}:{latest['pk'] or 0}"
    found = cache.get(key)
    if found is not None:
        return found
    span = CareEvent.objects.filter(la_code=la_code).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    status = {
        "practices": Practice.objects.filter(la_code=la_code).count(),
        "events_from": span["first"],
        "events_to": span["last"],
        "loaded_at": timezone.localtime(latest["at"]).date() if latest["at"] else None,
    }
    cache.set(key, status, 3600)
    return status


def data_status_line(la_code: str | None) -> str:
    """One sentence for the foot of every page about a council."""
    if not la_code:
        return ""
    status = data_status(la_code)
    if not status["practices"] and not status["events_from"]:
        return "No data are loaded for this council yet."
    parts = []
    if status["events_from"]:
        parts.append(
            f"Care events from {_long(status['events_from'])} to {_long(status['events_to'])}"
        )
    else:
        parts.append("No care events (Client Level Data) loaded")
    parts.append(f"{status['practices']} practices")
    if status["loaded_at"]:
        parts.append(f"last loaded {_long(status['loaded_at'])}")
    return "Data: " + "; ".join(parts) + "."


def _data_tasks(user, la_code: str) -> list[Task]:
    status = data_status(la_code)
    upload = None
    if _may_upload(user, la_code):
        upload = reverse("uploads:index") + f"?la={la_code}"
    tasks = []
    if not status["practices"]:
        tasks.append(
            Task("Load your council's GP practices", upload, "No practices are loaded yet.", True)
        )
    if not status["events_from"]:
        tasks.append(
            Task(
                "Load your Client Level Data (care events)",
                upload,
                "Referral figures and targeting need them.",
                True,
            )
        )
    if not tasks:
        tasks.append(
            Task(data_status_line(la_code), upload, "Load newer files when you have them.")
        )
    return tasks


def _wave_tasks(la_code: str, today: dt.date) -> list[Task]:
    tasks = []
    open_waves = Wave.objects.filter(la_code=la_code, opens_on__lte=today, closes_on__gte=today)
    for wave in open_waves.annotate(answered=Sum("links__submissions")):
        tasks.append(
            Task(
                f"Survey wave {wave.name} ({wave.get_instrument_display()}) is open",
                reverse("surveys:wave", args=[wave.pk]),
                f"{wave.answered or 0} answered so far; closes {_long(wave.closes_on)}.",
            )
        )
    if not open_waves.exists():
        tasks.append(
            Task(
                "No survey wave is open",
                reverse("surveys:wave-create"),
                "Open one to measure relationships before and after the programme.",
            )
        )
    return tasks


def _programme_tasks(user, la_code: str, today: dt.date) -> list[Task]:
    la = f"?la={la_code}"
    tasks = []
    programme = Programme.objects.filter(la_code=la_code).first()
    if programme is None or not programme.targeted_practices:
        tasks.append(
            Task(
                "Choose the practices the programme targets",
                reverse("targeting", args=[la_code]),
                "The targeting list ranks them; the evaluation compares them with the rest.",
                True,
            )
        )
    due = (
        ActionItem.objects.filter(
            la_code=la_code, due_date__lte=today + dt.timedelta(DUE_WITHIN_DAYS)
        )
        .exclude(status="done")
        .order_by("due_date")
    )
    for item in due[:5]:
        late = item.due_date < today
        href = (
            reverse("programme:plan_edit", args=[item.pk]) + la
            if can_manage(user, la_code)
            else None
        )
        tasks.append(
            Task(
                f"{item.title}",
                href,
                f"{'Overdue since' if late else 'Due'} {_long(item.due_date)}; owner {item.owner}.",
                late,
            )
        )
    if programme is not None and programme.targeted_practices:
        tasks.append(
            Task(
                "See whether the programme is working",
                reverse("programme:evaluation") + la,
                f"Targeted practices compared with the rest since {_long(programme.start_date)}.",
            )
        )
    return tasks


def next_tasks(user, la_code: str, today: dt.date | None = None) -> list[Task]:
    """The role's next steps for one council, most pressing first."""
    today = today or timezone.localdate()
    role = access.role_of(user)
    la = f"?la={la_code}"
    tasks: list[Task] = []
    if role in {Role.SYSTEM_ADMIN, *access.COUNCIL_ROLES}:
        tasks += _data_tasks(user, la_code)
        tasks += _wave_tasks(la_code, today)
        tasks += _programme_tasks(user, la_code, today)
    elif role == Role.SOCIAL_WORKER:
        tasks.append(
            Task(
                "Log a visit, training or joint working session with a GP",
                reverse("programme:activity_new") + la,
                "Each one counts towards the council's pledge.",
            )
        )
    elif role == Role.REGIONAL:
        tasks.append(
            Task(
                "Compare your councils' pledges and plans",
                reverse("programme:adoption") + la,
            )
        )
    return sorted(tasks, key=lambda t: not t.urgent)

"""Survey administration pages: invite people in bulk, print letters, watch response rates,
list who has not answered, close and reopen a wave.

Every view declares ``careties.manage_surveys`` on its wave's council (council lead,
analyst, admin); the reminder list shows references only to the council lead.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header

from careties.web import access, selectors
from careties.web.accounts.models import Role
from careties.web.exports import download
from careties.web.store.models import LocalAuthority
from careties.web.store.services import record_audit

from .. import administration, presenters
from ..letters import letters_pdf
from ..models import Wave
from .common import manages_row, page
from .council import manages_wave

ROLE_NAMES = {
    "gp": "GPs",
    "social_worker": "Social workers",
    "occupational_therapist": "Occupational therapists",
    "care_navigator": "Care navigators",
    "hospital_consultant": "Hospital consultants",
    "other": "Others",
}


def _reveals(user) -> bool:
    return access.role_of(user) == Role.COUNCIL_LEAD


@manages_wave
def invite(request: HttpRequest, wave: Wave) -> HttpResponse:
    """Choose roles from the loaded roster (or upload a CSV list) and make personal links."""
    loaded = selectors.load_frame("professionals", wave.la_code)
    counts = dict(loaded.group_by("role").len().sort("role").iter_rows()) if loaded.height else {}
    problems: list[str] = []
    if request.method == "POST":
        try:
            upload = request.FILES.get("respondents")
            if upload is not None:
                people = administration.roster_from_csv(upload.read())
            else:
                roles = [r for r in request.POST.getlist("roles") if r in counts]
                if not roles:
                    raise administration.RosterError(["Select at least one role"])
                codes = request.POST.get("organisations", "").upper().split()
                known = set(loaded["organisation"].to_list()) if loaded.height else set()
                unknown = [c for c in codes if c not in known]
                if unknown:
                    raise administration.RosterError(
                        [f"No loaded professional works at {c}" for c in unknown[:20]]
                    )
                people = administration.roster(wave.la_code, roles=roles, organisations=codes)
        except administration.RosterError as error:
            problems = error.problems
        else:
            made = administration.invite(wave=wave, people=people, user=request.user)
            messages.success(
                request,
                f"{len(made)} personal links made ({len(people) - len(made)} already had one). "
                "Print the letters to send them.",
            )
            return redirect("surveys:rates", wave.pk)
    roles = [
        {"value": role, "label": ROLE_NAMES.get(role, role.replace("_", " ")), "count": n}
        for role, n in counts.items()
    ]
    return page(
        request,
        "surveys/council/invite.jinja",
        {
            "wave": wave,
            "roles": roles,
            "invited": wave.invitations.count(),
            "problems": problems,
            "error_list": [{"text": p, "href": "#respondents"} for p in problems[:20]],
        },
        status=400 if problems else 200,
    )


@manages_wave
def letters(request: HttpRequest, wave: Wave) -> HttpResponse:
    """Every invitation's letter as one PDF (``?pending=1``: only those not yet answered)."""
    chosen = wave.invitations.select_related("link").order_by("organisation", "role", "pk")
    if request.GET.get("pending"):
        chosen = chosen.filter(link__used=False)
        administration.mark_reminded(wave=wave, user=request.user)
    chosen = list(chosen)
    council = LocalAuthority.objects.filter(la_code=wave.la_code).first()
    pdf = letters_pdf(
        wave,
        chosen,
        lambda invitation: request.build_absolute_uri(
            reverse("surveys:start", args=[invitation.link.token])
        ),
        council_name=council.name if council else wave.la_code,
    )
    return download(
        pdf,
        fmt="pdf",
        filename=f"survey-letters-{wave.pk}.pdf",
        user=request.user,
        what=f"survey letters of wave {wave.name}",
        la_code=wave.la_code,
        detail=f"{len(chosen)} letters",
    )


def _rates_context(wave) -> dict:
    floor = presenters.min_respondents()
    by_org = administration.response_rates(wave, "organisation", floor)
    by_role = administration.response_rates(wave, "role", floor)
    frame = administration.invitations_frame(wave)
    return {
        "wave": wave,
        "floor": floor,
        "invited": frame.height,
        "answered": int(frame["answered"].sum()) if frame.height else 0,
        "by_organisation": by_org.to_dicts(),
        "by_role": by_role.to_dicts(),
        "closed": wave.closed_at is not None,
    }


@manages_wave
def rates(request: HttpRequest, wave: Wave) -> HttpResponse:
    """Live response rates per practice, team and role (the table refreshes itself)."""
    context = _rates_context(wave)
    if request.headers.get("HX-Request"):
        return page(request, "surveys/council/_rates.jinja", context)
    return page(request, "surveys/council/rates.jinja", context)


@manages_wave
def reminders(request: HttpRequest, wave: Wave) -> HttpResponse:
    """Who has not answered yet: references for the council lead, "Person n" for others."""
    reveal = _reveals(request.user)
    pending = administration.reminder_list(wave, reveal=reveal)
    record_audit(
        action="view",
        what=f"survey reminder list of wave {wave.name}",
        user=request.user,
        la_code=wave.la_code,
        detail=f"{pending.height} not answered; references {'shown' if reveal else 'hidden'}",
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = content_disposition_header(
            True, f"survey-reminders-{wave.pk}.csv"
        )
        writer = csv.writer(response)
        writer.writerow(pending.columns)
        writer.writerows(pending.rows())
        return response
    return page(
        request,
        "surveys/council/reminders.jinja",
        {"wave": wave, "pending": pending.to_dicts(), "reveal": reveal},
    )


def _wave_change(change: Callable[..., None], said: str) -> Callable[..., HttpResponse]:
    """A POST that closes or reopens a wave (``change``), says so, and shows its response rates."""

    @manages_row(Wave, post_only=True)
    def view(request: HttpRequest, wave: Wave) -> HttpResponse:
        change(wave=wave, user=request.user)
        messages.success(request, said.format(name=wave.name))
        return redirect("surveys:rates", wave.pk)

    return view


close = _wave_change(administration.close_wave, "Wave {name} is closed: no link takes answers now.")
reopen = _wave_change(
    administration.reopen_wave, "Wave {name} is open again until its closing date."
)

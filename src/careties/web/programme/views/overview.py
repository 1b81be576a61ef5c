"""The programme's home for a council, and its settings (start date, targeted practices)."""

from __future__ import annotations

from django.shortcuts import redirect

from careties.web import access
from careties.web.accounts.models import Role

from .. import presenters, services
from ..forms_plans import ProgrammeForm
from ..models import Programme
from ..permissions import MANAGE, USE_DIRECTORY, can_manage
from .common import council_name, council_page, council_view, form_page, today


@council_view(USE_DIRECTORY)
def overview(request, la_code: str):
    """The council roles' programme home; every other role lands on its own page."""
    role = access.role_of(request.user)
    if role == Role.REGIONAL:
        return redirect("programme:adoption")
    if role == Role.PRACTICE:
        return redirect("programme:directory")
    if role == Role.SOCIAL_WORKER:
        return redirect("programme:activities")
    return council_page(
        request,
        "programme/overview.jinja",
        la_code,
        programme=Programme.objects.filter(la_code=la_code).first(),
        evidence=presenters.pledge_evidence(la_code, today()),
        progress=presenters.plan_progress(la_code, today()),
        can_manage=can_manage(request.user, la_code),
    )


@council_view(MANAGE)
def settings(request, la_code: str):
    programme = Programme.objects.filter(la_code=la_code).first()
    initial = (
        {"start_date": programme.start_date, "targeted_practices": programme.targeted_practices}
        if programme
        else {}
    )
    form = ProgrammeForm(request.POST or None, la_code=la_code, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_programme(
            la_code=la_code,
            start_date=form.cleaned_data["start_date"],
            targeted=form.cleaned_data["targeted_practices"],
            user=request.user,
        )
        return redirect("programme:overview")
    return form_page(
        request,
        form,
        title=f"Programme settings: {council_name(la_code)}",
        intro="The start date and the targeted practices are what the evaluation compares.",
        back="programme:overview",
    )

"""Knowledge-building activities with GPs, logged by programme staff and social workers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from careties.web import access
from careties.web.store.models import Professional

from .. import services
from ..forms_plans import ActivityForm
from ..models import Activity, Programme
from ..permissions import LOG_ACTIVITIES
from .common import council_page, council_url, council_view, record_form, record_views, today


@council_view(LOG_ACTIVITIES)
def activity_list(request, la_code: str):
    return council_page(
        request,
        "programme/activities.jinja",
        la_code,
        activities=Activity.objects.filter(la_code=la_code)[:200],
    )


def _activity_form(request, activity: Activity):
    la_code = activity.la_code
    programme = Programme.objects.filter(la_code=la_code).first()
    targeted = programme.targeted_practices if programme else []
    initial = {}
    if activity.pk is None:
        member = access.membership_of(request.user)
        initial = {
            "activity_date": today(),
            "staff_professional_id": getattr(member, "professional_id", ""),
        }
    form = ActivityForm(
        request.POST or None, instance=activity, la_code=la_code, targeted=targeted, initial=initial
    )

    def save(activity: Activity) -> None:
        # The activity counts for the GP's practice as it is now.
        activity.practice_code = (
            Professional.objects.filter(professional_id=activity.gp_professional_id)
            .values_list("organisation", flat=True)
            .first()
            or ""
        )
        services.save_activity(activity=activity, user=request.user)

    return record_form(
        request,
        form,
        save=save,
        back="programme:activities",
        la_code=la_code,
        title="Log an activity" if activity.pk is None else "Change an activity",
        intro="Visits, training and joint working with GPs build the professional network; "
        "each activity is counted as a contact between the staff member and the GP.",
    )


new, edit = record_views(Activity, LOG_ACTIVITIES, _activity_form)


@login_required
@require_POST
@access.requires(LOG_ACTIVITIES, access.council_of_row(Activity))
def delete(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    la_code = activity.la_code
    services.delete_activity(activity=activity, user=request.user)
    return redirect(council_url("programme:activities", la_code))

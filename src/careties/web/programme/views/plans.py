"""Action plans: items under the five approaches, and the progress view."""

from __future__ import annotations

from careties.planning.actions import APPROACHES
from careties.web.dashboard.worklist import ranked_gps

from .. import presenters, services
from ..forms_plans import ActionItemForm
from ..models import ActionItem, Programme
from ..permissions import MANAGE, VIEW, can_manage
from .common import council_page, council_view, record_form, record_views, today


@council_view(VIEW)
def progress(request, la_code: str):
    items = ActionItem.objects.filter(la_code=la_code)
    by_approach = {a.approach_id: [] for a in APPROACHES}
    for item in items:
        by_approach[item.approach].append(presenters.item_row(item, today()))
    return council_page(
        request,
        "programme/plans.jinja",
        la_code,
        progress=presenters.plan_progress(la_code, today()),
        items=by_approach,
        can_manage=can_manage(request.user, la_code),
    )


def _item_form(request, item: ActionItem):
    programme = Programme.objects.filter(la_code=item.la_code).first()
    initial = {}
    if item.pk is None:
        # "Add to plan" from the targeting list names the GP and their practice.
        initial = {
            "target_gps": request.GET.getlist("gp"),
            "target_practices": request.GET.getlist("practice"),
        }
    form = ActionItemForm(
        request.POST or None,
        instance=item,
        la_code=item.la_code,
        ranked_gps=ranked_gps(request, item.la_code),
        targeted=programme.targeted_practices if programme else [],
        initial=initial,
    )
    return record_form(
        request,
        form,
        save=lambda i: services.save_action_item(item=i, user=request.user),
        back="programme:plans",
        la_code=item.la_code,
        title="Add an action plan item" if item.pk is None else "Change an action plan item",
    )


new, edit = record_views(ActionItem, MANAGE, _item_form)

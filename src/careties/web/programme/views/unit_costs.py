"""The savings scenario's unit costs: everyone in the council reads them, its lead changes them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from ..forms_unit_costs import UnitCostsForm
from ..unit_costs import council_unit_costs, save_unit_costs
from .common import council_name, council_page, council_url, council_view, form_page

VIEW_COSTS = "careties.view_unit_costs"
EDIT_COSTS = "careties.edit_unit_costs"


@council_view(VIEW_COSTS)
def unit_costs(request, la_code: str):
    """The values the savings section uses, each with its source and date."""
    return council_page(
        request,
        "programme/unit_costs.jinja",
        la_code,
        costs=council_unit_costs(la_code),
        can_edit=request.user.has_perm(EDIT_COSTS, la_code),
    )


@council_view(EDIT_COSTS)
def edit_unit_costs(request, la_code: str):
    """The council lead's form: a value, a source, a web address and a date for each input."""
    form = UnitCostsForm(request.POST or None, current=council_unit_costs(la_code))
    if request.method == "POST" and form.is_valid():
        changes = save_unit_costs(la_code=la_code, entries=form.entries(), user=request.user)
        messages.success(
            request,
            f"{len(changes)} unit cost(s) saved; the savings scenario uses them from now on."
            if changes
            else "Nothing changed.",
        )
        return redirect(council_url("programme:unit_costs", la_code))
    return form_page(
        request,
        form,
        title=f"Savings unit costs: {council_name(la_code)}",
        intro="The savings scenario multiplies these together (see the Methods page). Give each "
        "figure its source, for example the council's ASC-FR return and its year, and the date "
        "of the figure.",
        back="programme:unit_costs",
        la_code=la_code,
    )

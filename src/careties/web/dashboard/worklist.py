"""The targeting list as a work list: find the GPs to work with, and act on them.

The list comes from the ``targeting`` section (so the same disclosure and the
same cache as its export); this view only sorts, filters and pages it, links
each GP to their practice and to a new plan item, and lets a council lead make
the top quartile the programme's targeted practices in one action. htmx swaps
the table in place; without JavaScript the same form reloads the page.

GPs are named by the display name the council's professionals file gives
(``careties.web.store.names``), else by their pseudonymous id; only the council's
own roles and administrators open this page (``careties.view_targeting``), and
only who manages the programme targets the top quartile
(``careties.manage_programme``). A council that is not loaded is 404 before
either is asked.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from careties.web import access, charts
from careties.web.presenters import build
from careties.web.programme import services
from careties.web.programme.models import Programme
from careties.web.programme.permissions import MANAGE, can_manage
from careties.web.programme.views.common import today
from careties.web.store.names import display_names, labelled

from . import page_parts, sections, views

PER_PAGE = 25

#: Sort keys offered, with the column they sort on and whether largest first.
SORTS = {
    "rank": ("Rank (highest score first)", "rank", False),
    "admissions": ("Admissions, most first", "admissions", True),
    "ratio": ("Ratio to expected, highest first", "ratio", True),
    "practice": ("Practice, A to Z", "practice_name", False),
    "gp": ("GP, A to Z", "gp_sort", False),
}


def _rows(request, la_code: str) -> tuple[list[dict], object]:
    """The targeting section's rows as dicts keyed by column, with their display text."""
    context = sections.context_for(request, la_code)
    built = build("targeting", context)
    if not built.available or built.table is None:
        return [], built
    built.extras["links"] = sections.section_links(la_code, "targeting", None, None)
    keys = [c.key for c in built.table.columns]

    def made() -> list[dict]:
        names = display_names(la_code)
        rows = []
        for raw, shown in zip(built.table.rows, built.table.display_rows(), strict=True):
            row = dict(zip(keys, raw, strict=True))
            row["shown"] = dict(zip(keys, shown, strict=True))
            gp = row.get("professional_id")
            row["gp_name"] = names.get(gp) if gp else None
            row["gp_label"] = labelled(gp, names)
            row["gp_sort"] = (row["gp_name"] or gp or "").lower()
            rows.append(row)
        return rows

    if not built.cache_key:
        return made(), built
    # The section's key holds the council's data version, which an import of the
    # professionals file (the display names) moves on: the rows are kept per worker.
    return page_parts.derived(f"worklist:{built.cache_key}", made), built


def ranked_gps(request, la_code: str) -> list[str]:
    """The council's GPs in targeting-list order, for forms that list the targeted first."""
    if not access.can_view_page(request.user, "targeting", la_code):
        return []
    rows, _ = _rows(request, la_code)
    ranked = sorted(rows, key=lambda r: r.get("rank") or 0)
    # A practice list (published files alone) names no GPs.
    return [r["professional_id"] for r in ranked if r.get("professional_id")]


def _filtered(rows: list[dict], query: str, targeted: str, sort: str) -> list[dict]:
    text = query.strip().lower()
    if text:
        rows = [
            r
            for r in rows
            if any(
                text in str(r.get(k) or "").lower()
                for k in ("professional_id", "gp_name", "practice_name", "practice_code", "reason")
            )
        ]
    if targeted in {"yes", "no"}:
        rows = [r for r in rows if bool(r.get("in_target_set")) == (targeted == "yes")]
    _, column, descending = SORTS.get(sort, SORTS["rank"])
    present = [r for r in rows if isinstance(r.get(column), (int, float, str))]
    missing = [r for r in rows if r not in present]
    return sorted(present, key=lambda r: r[column], reverse=descending) + missing


def _loaded_council(request, la_code: str, **kwargs) -> str:
    """The object of the work list's permissions: the council in the URL, 404 if not loaded."""
    sections.council_or_404(la_code)
    return la_code


@login_required
@require_http_methods(["GET"])
@access.requires(access.page_permission("targeting"), _loaded_council)
def targeting(request, la_code: str):
    """The work list page (or, for htmx, just its table)."""
    query = request.GET.get("q", "")
    targeted = request.GET.get("targeted", "")
    sort = request.GET.get("sort", "rank") if request.GET.get("sort") in SORTS else "rank"
    rows, built = _rows(request, la_code)
    shown = _filtered(rows, query, targeted, sort)
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    programme = Programme.objects.filter(la_code=la_code).first()
    filters = {k: v for k, v in (("q", query), ("targeted", targeted), ("sort", sort)) if v}
    context = {
        "council": sections.council_or_404(la_code),
        "la_code": la_code,
        "built": built,
        "page": page,
        "total": len(rows),
        "matching": len(shown),
        "top_quartile": sum(1 for r in rows if r.get("in_target_set")),
        # Published files alone (CLD names practices, not GPs): the list is of practices.
        "practice_list": bool(getattr(built, "extras", {}).get("unit") == "practice"),
        "query": query,
        "targeted": targeted,
        "sort": sort,
        "sorts": {k: v[0] for k, v in SORTS.items()},
        "filters_query": urlencode(filters),
        "programme_practices": set(programme.targeted_practices if programme else []),
        "can_manage": can_manage(request.user, la_code),
        "savings": [
            s
            for s in sections.page_sections(request, "targeting", la_code)[0]
            if s.key != "targeting"
        ],
        "section_html": views.section_html,
        "chart_json": charts.as_json,
    }
    template = "dashboard/_worklist.jinja" if request.htmx else "dashboard/worklist.jinja"
    return render(request, template, context)


@login_required
@access.requires(MANAGE, _loaded_council)
def target_top_quartile(request, la_code: str):
    """Make the practices of the top-quartile GPs the programme's targeted practices."""
    if request.method != "POST":  # asked only after the role, so outsiders learn nothing
        return HttpResponseNotAllowed(["POST"])
    rows, _ = _rows(request, la_code)
    practices = sorted(
        {r["practice_code"] for r in rows if r.get("in_target_set") and r.get("practice_code")}
    )
    if not practices:
        messages.warning(request, "No GP is in the top quartile yet: load care events first.")
        return redirect("targeting", la_code)
    programme = Programme.objects.filter(la_code=la_code).first()
    start = programme.start_date if programme else today()
    services.save_programme(
        la_code=la_code, start_date=start, targeted=practices, user=request.user
    )
    gps = sum(1 for r in rows if r.get("in_target_set"))
    whose = (
        "the top quartile of practices by excess admissions"
        if rows and not rows[0].get("professional_id")
        else f"those of the {gps} GPs in the top quartile"
    )
    messages.success(request, f"The programme now targets {len(practices)} practices: {whose}.")
    return redirect(reverse("programme:overview") + f"?la={la_code}")

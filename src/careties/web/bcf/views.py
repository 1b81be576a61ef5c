"""The BCF page (actual against goal per quarter), the plan's forms and the quarterly return."""

from __future__ import annotations

import re

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careties.bcf import metrics, relationships
from careties.web import access, charts, exports
from careties.web.presenters.figures import spc_figure
from careties.web.programme.views.common import council_for, council_name, council_of
from careties.web.store.services import record_audit

from . import services
from .exports import return_pdf, return_xlsx
from .models import (
    core20_weight,
)
from .permissions import PLAN, VIEW, can_plan

QUARTER = re.compile(r"^\d{4}-\d{2} Q[1-4]$")


def _quarter(text: str) -> str:
    if not QUARTER.match(text or ""):
        raise Http404("Not a quarter: use a label like 2025-26 Q1.")
    return text


def _number(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None


def _figure(line: services.Line) -> dict | None:
    chart = line.spc
    if chart is None:
        return None
    figure = spc_figure(chart, title=line.name, y_title=line.unit, period="Quarter")
    goals = [line.cells.get(q, (None, None, None))[1] for q in chart["date"].to_list()]
    goal = go.Scatter(
        mode="lines+markers",
        name="Goal (BCF plan)",
        x=chart["date"].to_list(),
        y=goals,
        line={"color": "#009639", "dash": "dot", "width": 2},
    )
    figure["data"].append(goal.to_plotly_json())
    return figure


@login_required
@access.requires(VIEW, council_of)
def page(request):
    la_code = council_for(request)
    quarters, lines = services.build_lines(la_code)
    record_audit(action="view", what="BCF page", user=request.user, la_code=la_code)
    return render(
        request,
        "bcf/page.jinja",
        {
            "la_code": la_code,
            "council": council_name(la_code),
            "quarters": quarters,
            "lines": lines,
            "figures": {line.key: _figure(line) for line in lines},
            "can_plan": can_plan(request.user, la_code),
            "chart_json": charts.as_json,
            "admitted": services.who_is_admitted(la_code),
            "core20_weight": core20_weight(la_code),
            "measures": relationships.MEASURES,
            "levels": relationships.LEVELS,
        },
    )


@login_required
@access.requires(PLAN, council_of)
def goals(request):
    """One grid of goals: every metric (headline and relationship) by every quarter."""
    la_code = council_for(request)
    quarters, lines = services.build_lines(la_code)
    quarters = metrics.plan_quarters(quarters)
    if request.method == "POST":
        posted = {
            (line.key, quarter): _number(request.POST[field])
            for line in lines
            for quarter in quarters
            if (field := f"goal|{line.key}|{quarter}") in request.POST
        }
        services.save_goals(la_code=la_code, goals=posted, user=request.user)
        return redirect(f"{reverse('bcf:page')}?la={la_code}")
    return render(
        request,
        "bcf/goals.jinja",
        {
            "la_code": la_code,
            "council": council_name(la_code),
            "quarters": quarters,
            "lines": lines,
        },
    )


@login_required
@require_POST
@access.requires(PLAN, council_of)
def new_relationship_metric(request):
    la_code = council_for(request)
    behaviour = request.POST.get("behaviour", "").strip()[:255]
    roles = request.POST.get("roles", "").strip()[:255]
    level = request.POST.get("level", "")
    measure = request.POST.get("measure", "")
    if (
        not behaviour
        or not roles
        or level not in relationships.LEVELS
        or measure not in relationships.MEASURES
    ):
        return render(
            request,
            "bcf/error.jinja",
            {
                "la_code": la_code,
                "message": "Give the behaviour sought, the roles, a level and a careties measure.",
            },
            status=400,
        )
    services.add_relationship_metric(
        la_code=la_code,
        behaviour=behaviour,
        roles=roles,
        level=level,
        measure=measure,
        user=request.user,
    )
    return redirect(f"{reverse('bcf:page')}?la={la_code}")


@login_required
@access.requires(VIEW, council_of, on_post=PLAN)
def commentary(request, quarter: str):
    """The quarterly return: everyone in the BCF area reads it, the council lead writes it."""
    quarter = _quarter(quarter)
    la_code = council_for(request)
    quarters, lines = services.build_lines(la_code)
    if request.method == "POST":
        texts = {
            line.key: text
            for line in lines
            if (text := request.POST.get(f"comment|{line.key}")) is not None
        }
        services.save_commentary(la_code=la_code, quarter=quarter, texts=texts, user=request.user)
        return redirect(f"{reverse('bcf:commentary', args=[quarter])}?la={la_code}")
    rows = services.return_rows(la_code, quarter, lines)
    return render(
        request,
        "bcf/return.jinja",
        {
            "la_code": la_code,
            "council": council_name(la_code),
            "quarter": quarter,
            "rows": list(zip(lines, rows, strict=True)),
            "can_plan": can_plan(request.user, la_code),
        },
    )


@login_required
@access.requires(VIEW, council_of)
def download_return(request, quarter: str, fmt: str):
    quarter = _quarter(quarter)
    if fmt not in {"xlsx", "pdf"}:
        raise Http404("The return is available as xlsx or pdf.")
    la_code = council_for(request)
    _, lines = services.build_lines(la_code)
    rows = services.return_rows(la_code, quarter, lines)
    name = council_name(la_code)
    content = return_xlsx(name, quarter, rows) if fmt == "xlsx" else return_pdf(name, quarter, rows)
    return exports.download(
        content,
        fmt=fmt,
        filename=f"bcf-return-{la_code}-{quarter.replace(' ', '-')}.{fmt}",
        user=request.user,
        what=f"BCF quarterly return {quarter}",
        la_code=la_code,
    )


@login_required
@require_POST
@access.requires(PLAN, council_of)
def core20(request):
    """The council lead's weight for Core20 practices in the targeting score (0 to 1)."""
    la_code = council_for(request)
    weight = _number(request.POST.get("core20_weight", ""))
    if weight is None or not 0.0 <= weight <= 1.0:
        return render(
            request,
            "bcf/error.jinja",
            {"la_code": la_code, "message": "The Core20 weight is a number from 0 to 1."},
            status=400,
        )
    services.set_core20_weight(la_code=la_code, weight=weight, user=request.user)
    return redirect(f"{reverse('bcf:page')}?la={la_code}#who-is-admitted")

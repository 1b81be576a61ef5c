"""Dashboard views: thin. Each resolves who and what, asks ``careties.web.access``, renders.

Every page, htmx partial, JSON endpoint and export goes through
:func:`_section` (one section, checked and built) or :func:`_page` (the
sections of a page the user may see), which call
:func:`careties.web.presenters.build`, where disclosure happens.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from careties.web import access, exports, selectors
from careties.web.presenters import REGISTRY
from careties.web.store.services import record_audit

from . import (
    report,  # also registers the BCF-only sections
    tasks,
)
from .fragments import section_html
from .methods import entries
from .page_parts import survey_waves
from .sections import (
    context_for,
    council_or_404,
    one_section,
    page_sections,
    practice_or_404,
)

PAGE_TITLES = {
    "overview": "Council overview",
    "practice": "Practice",
    "relationships": "Relationships",
    "surveys": "Surveys",
    "targeting": "Targeting",
    "regional": "Regional view",
}


#: Pages whose survey figures can be shown for a chosen wave.
WAVE_PAGES = {"overview", "surveys", "relationships", "practice"}


def _render_page(request, page: str, la_code: str | None, **extra):
    practice = extra.get("practice")
    sections, context = page_sections(
        request, page, la_code, practice["practice_code"] if practice else None
    )
    council = council_or_404(la_code) if la_code else None
    waves = survey_waves(la_code) if la_code and page in WAVE_PAGES else []
    return render(
        request,
        "dashboard/area.jinja",
        {
            "page": page,
            "title": extra.pop("title", PAGE_TITLES[page]),
            "council": council,
            "sections": sections,
            "section_html": section_html,
            "survey_waves": waves,
            "chosen_wave": request.GET.get("wave", ""),
            "can_report": la_code is not None
            and access.can_view_page(request.user, "report", la_code),
            **extra,
        },
    )


@login_required
def home(request):
    councils = selectors.councils()
    allowed = set(access.councils_in_scope(request.user, councils["la_code"].to_list()))
    rows = [r for r in councils.iter_rows(named=True) if r["la_code"] in allowed]
    practice = access.own_practice(request.user)
    if practice and len(rows) == 1:
        return redirect("practice", rows[0]["la_code"], practice)
    # A council the user belongs to with nothing loaded yet: its next task is to load data.
    loaded = set(councils["la_code"].to_list())
    member_codes = getattr(access.membership_of(request.user), "la_codes", None) or []
    empty = [
        {"la_code": code, "name": code, "tasks": tasks.next_tasks(request.user, code)}
        for code in member_codes
        if code not in loaded
    ]
    return render(
        request,
        "dashboard/home.jinja",
        {
            "councils": rows,
            "tasks_by_council": {
                r["la_code"]: tasks.next_tasks(request.user, r["la_code"]) for r in rows
            },
            "empty_councils": empty,
            "role": access.role_of(request.user),
            "regional": access.can_view_page(request.user, "regional"),
        },
    )


def _la_code(request, la_code: str, **kwargs) -> str:
    """The object of a council page's permission: the council in its URL."""
    return la_code


def _requires(page: str):
    """Declare that a council page needs ``careties.view_<page>`` for the council in its URL."""
    return access.requires(access.page_permission(page), _la_code)


def _section(request, key: str, la_code: str | None = None, **kwargs) -> tuple:
    """The object of a section endpoint's permission: (key, council, practice); 404 if unknown."""
    if key not in REGISTRY:
        raise Http404("No such section.")
    return key, la_code, request.GET.get("practice") or None


#: Declared on every section endpoint (partial, JSON, export): the same check as its page.
_requires_section = access.requires("careties.view_section", _section)


@login_required
@require_GET
@_requires("overview")
def council(request, la_code: str):
    return _render_page(request, "overview", la_code)


def _area_view(page: str):
    @_requires(page)
    def view(request, la_code: str):
        return _render_page(request, page, la_code)

    return view


#: Relationships, surveys and targeting, each behind its own permission.
_AREAS = {page: _area_view(page) for page in ("relationships", "surveys", "targeting")}


@login_required
@require_GET
def area(request, la_code: str, page: str):
    """Relationships, surveys and targeting: one council's sections for one area."""
    if page not in _AREAS:
        raise Http404("No such area.")
    return _AREAS[page](request, la_code)


# Each area's own view declares its permission; the dispatcher carries them for the record.
area.careties_permissions = tuple(p for view in _AREAS.values() for p in view.careties_permissions)


@login_required
@require_GET
@_requires("practices")
def practices(request, la_code: str):
    council_row = council_or_404(la_code)
    rows = selectors.load_frame("practices", la_code).sort("name").to_dicts()
    return render(
        request,
        "dashboard/practices.jinja",
        {
            "council": council_row,
            "practices": rows,
        },
    )


@login_required
@require_GET
@access.requires(
    "careties.view_practice", lambda request, la_code, practice_code: (practice_code, la_code)
)
def practice(request, la_code: str, practice_code: str):
    council_or_404(la_code)
    found = practice_or_404(la_code, practice_code)
    # Who looked at which practice's figures is part of the audit trail (issue 9).
    record_audit(
        action="view", what=f"practice page {practice_code}", user=request.user, la_code=la_code
    )
    return _render_page(
        request, "practice", la_code, practice=found, title=f"{found['name']} ({practice_code})"
    )


@login_required
@require_GET
@access.requires(access.page_permission("regional"))
def regional(request):
    return _render_page(request, "regional", None)


def _viewed_section(request, key: str, la_code: str | None, form: str):
    """One section built for a view (htmx partial or JSON), and the view audited.

    The same tables as the CSV exports, so the same audit trail (as a view).
    """
    built, context = one_section(request, la_code, key)
    rows = len(built.table.rows) if built.table is not None else 0
    record_audit(
        action="view",
        what=f"{built.key} as {form}",
        user=request.user,
        la_code=la_code or "",
        detail=f"{rows} rows"
        + (f"; practice {context.practice_code}" if context.practice_code else ""),
    )
    return built


@login_required
@require_GET
@_requires_section
def section_partial(request, key: str, la_code: str | None = None):
    built = _viewed_section(request, key, la_code, "page section")
    return render(
        request,
        "dashboard/section.jinja",
        {"section": built, "section_html": section_html},
    )


@login_required
@require_GET
@_requires_section
def section_json(request, key: str, la_code: str | None = None):
    built = _viewed_section(request, key, la_code, "JSON")
    payload = {
        "key": built.key,
        "title": built.title,
        "available": built.available,
        "message": built.message,
        "note": built.note,
    }
    if built.table is not None:
        payload["columns"] = built.table.header()
        payload["rows"] = built.table.export_rows()
    payload["figure"] = built.figure
    return JsonResponse(payload, json_dumps_params={"default": str})


@login_required
@require_GET
@_requires_section
def section_export(request, key: str, fmt: str, la_code: str | None = None):
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Exports are CSV or XLSX.")
    built, context = one_section(request, la_code, key)
    if la_code is not None and not request.user.has_perm("careties.export_council", la_code):
        raise PermissionDenied
    if built.table is None:
        raise Http404(built.message or "Nothing to export.")
    table = built.table
    practice = context.practice_code
    if fmt == "csv":
        content = exports.csv_bytes(table.header(), table.export_rows())
    else:
        content = exports.xlsx_bytes([(built.title, table.header(), table.export_rows())])
    detail = f"{table.caption}; {len(table.rows)} rows"
    detail += f"; practice {practice}" if practice else ""
    name = [la_code or "regional", key, practice]
    return _dated_download(request, content, fmt, name, what=key, la_code=la_code, detail=detail)


@login_required
@require_GET
@_requires("report")
def bcf_report(request, la_code: str, fmt: str):
    """The Better Care Fund report: ASCOF 2C, relationship metrics, pledge status."""
    if fmt not in {"pdf", "xlsx"}:
        raise Http404("The BCF report is PDF or XLSX.")
    council_row = council_or_404(la_code)
    context = context_for(request, la_code)
    sections = report.bcf_sections(context)
    build_report = report.bcf_pdf if fmt == "pdf" else report.bcf_xlsx
    content = build_report(council_row, sections)
    name = [la_code, "bcf-report"]
    return _dated_download(request, content, fmt, name, what="BCF report", la_code=la_code)


def _dated_download(
    request,
    content: bytes,
    fmt: str,
    name_parts: list[str | None],
    *,
    what: str,
    la_code: str | None,
    detail: str = "",
):
    """A dashboard file, audited, named ``careties-<parts>-<YYYYMMDD>.<fmt>``.

    Section exports and the BCF report share the one naming rule (today's date
    last, so a downloaded series sorts by day) and the one audit wording
    ("<what> as CSV"); empty parts are left out of the name.
    """
    stem = "-".join(["careties", *(part for part in name_parts if part)])
    return exports.download(
        content,
        fmt=fmt,
        filename=f"{stem}-{dt.date.today():%Y%m%d}.{fmt}",
        user=request.user,
        what=f"{what} as {fmt.upper()}",
        la_code=la_code,
        detail=detail,
    )


@access.public
def accessibility(request):
    return render(request, "dashboard/accessibility.jinja", {})


@access.public
def methods(request):
    return render(request, "dashboard/methods.jinja", {"entries": entries()})

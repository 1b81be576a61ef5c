"""The service directory: GP search, sign-posting, and council upkeep (form, ORUK import, export)."""

from __future__ import annotations

import json

import polars as pl
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from careties.planning.directory import (
    DirectoryFormatError,
    search_services,
    signposting_by_practice,
)
from careties.web import access, charts
from careties.web.store.services import record_audit

from .. import places as programme_places
from .. import presenters, selectors, services
from ..forms import (
    DirectoryImportForm,
    DirectorySearchForm,
    ServiceForm,
    SignPostForm,
    service_types_in_use,
)
from ..models import SignPost
from ..permissions import MANAGE, USE_DIRECTORY, can_manage
from ..signposting_charts import signposting_charts
from . import places as places_views
from .common import council_page, council_url, council_view, file_problems, form_page, today


def _service(la_code: str, service_id: str) -> dict:
    found = selectors.services_frame(la_code).filter(pl.col("service_id") == service_id)
    if found.height == 0:
        raise Http404("No such service in this council's directory.")
    return found.row(0, named=True)


def _near_postcode(found: pl.DataFrame, place: dict) -> tuple[list[dict], str]:
    """Directory entries ordered by distance from a postcode (within a distance when given)."""
    documents = programme_places.located_documents(found)
    items, problem = places_views.near(
        documents, place["postcode"], float(place["within_miles"] or 0) or None
    )
    if items is None:
        return [], problem
    by_uuid = dict(zip([d["id"] for d in documents], found.to_dicts(), strict=True))
    seen, results = set(), []
    for item in items:
        row = by_uuid.get(item["service_id"])
        if row is None or row["service_id"] in seen or "miles" not in item:
            continue
        seen.add(row["service_id"])
        view = presenters.service_view(row)
        view.update(miles=item["miles"], location=item["location"].get("name"))
        results.append(view)
    return results, ""


@council_view(USE_DIRECTORY)
def search(request, la_code: str):
    services_frame = selectors.services_frame(la_code)
    form = DirectorySearchForm(
        request.GET or None, types=sorted(set(services_frame["service_type"].to_list()))
    )
    place_form = places_views.PlaceSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    place = place_form.cleaned_data if place_form.is_valid() else {}
    found = search_services(
        services_frame,
        criteria.get("need", ""),
        criteria.get("area", ""),
        criteria.get("service_type", ""),
    )
    problem = ""
    if place.get("postcode"):
        results, problem = _near_postcode(found, place)
    else:
        results = [presenters.service_view(r) for r in found.to_dicts()]
    return council_page(
        request,
        "programme/directory.jinja",
        la_code,
        fields=presenters.form_fields(form) + presenters.form_fields(place_form),
        results=results,
        searched=bool(request.GET),
        near=place.get("postcode", ""),
        within=place.get("within_miles"),
        problem=problem,
        can_manage=can_manage(request.user, la_code),
    )


@council_view(USE_DIRECTORY, on_post="careties.record_signposts")
def detail(request, la_code: str, service_id: str):
    """One service; a practice user records here that they sign-posted someone to it."""
    service = presenters.service_view(_service(la_code, service_id))
    form = None
    if request.user.has_perm("careties.record_signposts", la_code):
        member = access.membership_of(request.user)
        form = SignPostForm(
            request.POST or None,
            la_code=la_code,
            practice_code=member.practice_code,
            initial={"signposted_on": today(), "gp_professional_id": member.professional_id},
        )
        if request.method == "POST" and form.is_valid():
            services.record_signpost(
                signpost=SignPost(
                    la_code=la_code,
                    practice_code=member.practice_code,
                    gp_professional_id=form.cleaned_data["gp_professional_id"],
                    service_id=service_id,
                    signposted_on=form.cleaned_data["signposted_on"],
                    person_key=services.pseudonymous_person(form.cleaned_data["person_reference"]),
                ),
                user=request.user,
            )
            return redirect(council_url("programme:signposts", la_code, recorded=service_id))
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "programme/service.jinja",
        {
            "la_code": la_code,
            "service": service,
            "fields": presenters.form_fields(form) if form else None,
            "errors": presenters.error_list(form) if form is not None and form.is_bound else [],
            "can_manage": can_manage(request.user, la_code),
        },
        status=status,
    )


@council_view("careties.view_signposts")
def signposts(request, la_code: str):
    """Sign-posts: a practice sees its own, a council all of its practices'."""
    practice = access.own_practice(request.user)
    frame = selectors.signposts(la_code, practice)
    services_frame = selectors.services_frame(la_code)
    names = dict(zip(services_frame["service_id"], services_frame["name"], strict=True))
    rows = [
        {**r, "service_name": names.get(r["service_id"], r["service_id"])}
        for r in frame.sort("signposted_on", descending=True).head(200).to_dicts()
    ]
    return council_page(
        request,
        "programme/signposts.jinja",
        la_code,
        rows=rows,
        knowledge=signposting_by_practice(frame, services_frame).to_dicts(),
        recorded=request.GET.get("recorded"),
        spc=signposting_charts(la_code) if practice is None else [],
        chart_json=charts.as_json,
    )


def _service_form(request, la_code: str, existing: dict | None):
    initial = dict(existing) if existing else {"status": "active"}
    if existing and existing.get("quality_rating") is not None:
        initial["quality_rating"] = str(existing["quality_rating"])
    form = ServiceForm(
        request.POST or None, initial=initial, extra_types=service_types_in_use(la_code)
    )
    if request.method == "POST" and form.is_valid():
        row = {
            **form.cleaned_data,
            "la_code": la_code,
            "service_id": existing["service_id"] if existing else ServiceForm.new_id(),
        }
        for key in ("eligibility", "cost", "contact"):
            row[key] = row[key] or None
        services.save_service(row=row, user=request.user)
        return redirect(council_url("programme:service", la_code, row["service_id"]))
    return form_page(
        request,
        form,
        title="Add a local service" if existing is None else f"Change {existing['name']}",
        back="programme:directory",
        la_code=la_code,
    )


@council_view(MANAGE)
def service_new(request, la_code: str):
    return _service_form(request, la_code, None)


@council_view(MANAGE)
def service_edit(request, la_code: str, service_id: str):
    return _service_form(request, la_code, _service(la_code, service_id))


@council_view(MANAGE)
def import_directory(request, la_code: str):
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        replaced: list[str] = []
        try:
            count = services.import_directory(
                document=form.document,
                filename=form.cleaned_data["file"].name,
                la_code=la_code,
                user=request.user,
                replaced=replaced,
            )
        except DirectoryFormatError as error:
            file_problems(form, error.problems)
        else:
            for line in replaced:  # say what the file replaced (only this council's services)
                messages.info(request, f"Replaced {line}.")
            return redirect(council_url("programme:directory", la_code, imported=count))
    return form_page(
        request,
        form,
        title="Import services from Open Referral UK",
        intro="All services in the file are imported, or none: if anything is wrong, nothing changes "
        "and every problem is listed with where it is in the file.",
        submit="Import",
        back="programme:directory",
        enctype="multipart/form-data",
        la_code=la_code,
    )


@council_view(USE_DIRECTORY)
def export_directory(request, la_code: str):
    document = programme_places.located_documents(selectors.services_frame(la_code))
    record_audit(
        action="export",
        what="service directory (Open Referral UK)",
        user=request.user,
        la_code=la_code,
    )
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"services-{la_code}.json")
    return response

"""Pages a council lead or analyst uses to run waves: create, edit, hand out links, read results.

Every view declares ``careties.manage_surveys`` (``careties.web.access``) on the
wave in its URL, or on no council for the lists; other roles get 403.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header

from careties.web import access
from careties.web.store.services import record_audit

from .. import importing, presenters, results, services
from ..forms import ImportForm, LinkForm, WaveForm
from ..models import Link, Wave
from .common import council_choices, form_page, managed, manages_row, manages_surveys, page

#: Declared on every view of one wave: the council of the wave in the URL.
manages_wave = manages_row(Wave)


def link_url(request: HttpRequest, link: Link) -> str:
    return request.build_absolute_uri(reverse("surveys:start", args=[link.token]))


@manages_surveys
def wave_list(request: HttpRequest) -> HttpResponse:
    waves = managed(Wave.objects.all(), request.user)
    return page(request, "surveys/council/waves.jinja", {"waves": waves})


def _wave_form(request: HttpRequest, wave: Wave | None) -> HttpResponse:
    """Make a wave (``wave`` None) or change one; a wave with answers keeps its instrument."""
    # The form offers only the councils the user manages, so a valid form's council is one.
    form = WaveForm(
        request.POST or None,
        councils=council_choices(request.user),
        instance=wave,
        has_responses=wave is not None and results.respondent_count(wave) > 0,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_wave(wave=form.wave(), user=request.user)
        messages.success(
            request,
            f"Wave {saved.name} created. Now make links to send out."
            if wave is None
            else f"Wave {saved.name} saved.",
        )
        return redirect("surveys:wave", saved.pk)
    return form_page(request, "surveys/council/wave_form.jinja", form, wave=wave)


@manages_surveys
def wave_create(request: HttpRequest) -> HttpResponse:
    return _wave_form(request, None)


@manages_wave
def wave_edit(request: HttpRequest, wave: Wave) -> HttpResponse:
    return _wave_form(request, wave)


@manages_wave
def wave_detail(request: HttpRequest, wave: Wave) -> HttpResponse:
    links = [
        {"link": link, "url": link_url(request, link), "state": _link_state(link)}
        for link in wave.links.all()
    ]
    return page(
        request,
        "surveys/council/wave.jinja",
        {
            "wave": wave,
            "links": links,
            "responses": presenters.response_count_text(results.respondent_count(wave)),
            "opens_on": services.long_date(wave.opens_on),
            "closes_on": services.long_date(wave.closes_on),
        },
    )


def _link_state(link: Link) -> str:
    refused = services.refusal(link)
    if refused is None:
        return "Open"
    return {"used": "Used", "expired": "Expired", "not_open": "Not open yet", "closed": "Closed"}[
        refused.reason
    ]


@manages_wave
def link_create(request: HttpRequest, wave: Wave) -> HttpResponse:
    form = LinkForm(request.POST or None, wave=wave)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisations = [org for org in data["organisations"] for _ in range(data["copies"])]
        made = services.create_links(
            wave=wave,
            organisations=organisations,
            single_use=data["single_use"],
            expires_at=form.expires_at(),
            user=request.user,
        )
        messages.success(request, f"{len(made)} link{'s' if len(made) != 1 else ''} made.")
        return redirect("surveys:wave", wave.pk)
    return form_page(request, "surveys/council/link_form.jinja", form, wave=wave)


@manages_wave
def links_csv(request: HttpRequest, wave: Wave) -> HttpResponse:
    """The wave's links as CSV, for a mail merge."""
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = content_disposition_header(
        True, f"survey-links-{wave.pk}.csv"
    )
    writer = csv.writer(response)
    writer.writerow(["organisation", "single_use", "expires_at", "state", "url"])
    for link in wave.links.all():
        writer.writerow(
            [
                link.organisation or "",
                "yes" if link.single_use else "no",
                link.expires_at.isoformat() if link.expires_at else "",
                _link_state(link),
                link_url(request, link),
            ]
        )
    record_audit(
        action="export",
        what=f"survey links of wave {wave.name}",
        user=request.user,
        la_code=wave.la_code,
    )
    return response


@manages_wave
def wave_results(request: HttpRequest, wave: Wave) -> HttpResponse:
    found = results.wave_results(wave)
    floor = presenters.min_respondents()
    show_comments = (
        access.can_see_free_text(request.user, wave.la_code) and found.respondents >= floor
    )
    record_audit(
        action="view",
        what=f"survey results of wave {wave.name}",
        user=request.user,
        la_code=wave.la_code,
    )
    return page(
        request,
        "surveys/council/results.jinja",
        {
            "wave": wave,
            "results": found,
            "responses": presenters.response_count_text(found.respondents),
            "floor": floor,
            "suppressed_label": presenters.suppressed_label(),
            "comments": results.comments_for(wave) if show_comments else None,
        },
    )


@manages_wave
def wave_import(request: HttpRequest, wave: Wave) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, wave=wave)
    row_errors: list[importing.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = importing.import_csv(
                wave=wave,
                mapping=form.cleaned_data["mapping"],
                data=upload.read(),
                filename=upload.name,
                organisation=form.cleaned_data.get("organisation"),
                user=request.user,
            )
        except importing.CsvUnreadable as unreadable:
            form.add_error("file", str(unreadable))
        except importing.ImportRefused as refused:
            row_errors = refused.errors
        else:
            messages.success(request, f"{outcome.responses} responses imported into {wave.name}.")
            return redirect("surveys:wave", wave.pk)
    error_list = presenters.form_errors(form)
    if row_errors:
        error_list.append(
            {
                "text": f"{len(row_errors)} problems in the file: nothing was imported",
                "href": "#row-errors",
            }
        )
    return page(
        request,
        "surveys/council/import.jinja",
        {
            "form": form,
            "wave": wave,
            "error_list": error_list,
            "row_errors": row_errors[:500],
            "more_errors": max(0, len(row_errors) - 500),
        },
        status=400 if row_errors else 200,
    )

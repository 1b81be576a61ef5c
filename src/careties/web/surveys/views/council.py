"""Pages a council lead or analyst uses to run waves: create, edit, hand out links, read results.

Every view declares ``careties.manage_surveys`` (``careties.web.access``) on the
wave in its URL, or on no council for the lists; other roles get 403.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from careties.web import access
from careties.web.store.models import LocalAuthority
from careties.web.store.services import record_audit

from .. import importing, permissions, presenters, results, services
from ..forms import ImportForm, LinkForm, WaveForm
from ..models import Link, Wave


def nav_items() -> list[dict]:
    return [
        {"text": "Survey waves", "href": reverse("surveys:waves")},
        {"text": "Column mappings", "href": reverse("surveys:mappings")},
    ]


def council_choices(user) -> list[tuple[str, str]]:
    codes = permissions.managed_councils(user)
    names = dict(LocalAuthority.objects.filter(la_code__in=codes).values_list("la_code", "name"))
    return [(c, f"{names[c]} ({c})" if c in names else c) for c in codes]


#: Declared on every view of one wave: the council of the wave in the URL.
manages_wave = access.requires(permissions.MANAGE, access.council_of_row(Wave))
#: Declared on the lists and forms of no one council: a council role of some council.
manages_surveys = access.requires(permissions.MANAGE)


def _wave_for(request: HttpRequest, pk: int) -> Wave:
    """The wave in the URL (its council's permission is declared on the view)."""
    return get_object_or_404(Wave, pk=pk)


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_items": nav_items(), **context}, status=status)


def link_url(request: HttpRequest, link: Link) -> str:
    return request.build_absolute_uri(reverse("surveys:start", args=[link.token]))


@login_required
@manages_surveys
def wave_list(request: HttpRequest) -> HttpResponse:
    waves = Wave.objects.all()
    if not access.is_admin(request.user):
        waves = waves.filter(la_code__in=permissions.managed_councils(request.user))
    return _page(request, "surveys/council/waves.jinja", {"waves": waves})


@login_required
@manages_surveys
def wave_create(request: HttpRequest) -> HttpResponse:
    # The form offers only the councils the user manages, so a valid form's council is one.
    councils = council_choices(request.user)
    form = WaveForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        wave = services.save_wave(wave=form.wave(), user=request.user)
        messages.success(request, f"Wave {wave.name} created. Now make links to send out.")
        return redirect("surveys:wave", wave.pk)
    return _page(
        request,
        "surveys/council/wave_form.jinja",
        {"form": form, "error_list": presenters.form_errors(form), "wave": None},
    )


@login_required
@manages_wave
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave_for(request, pk)
    has_responses = results.respondent_count(wave) > 0
    form = WaveForm(
        request.POST or None,
        councils=council_choices(request.user),
        instance=wave,
        has_responses=has_responses,
    )
    if request.method == "POST" and form.is_valid():
        services.save_wave(wave=form.wave(), user=request.user)
        messages.success(request, f"Wave {wave.name} saved.")
        return redirect("surveys:wave", wave.pk)
    return _page(
        request,
        "surveys/council/wave_form.jinja",
        {"form": form, "error_list": presenters.form_errors(form), "wave": wave},
    )


@login_required
@manages_wave
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave_for(request, pk)
    links = [
        {"link": link, "url": link_url(request, link), "state": _link_state(link)}
        for link in wave.links.all()
    ]
    return _page(
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


@login_required
@manages_wave
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave_for(request, pk)
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
    return _page(
        request,
        "surveys/council/link_form.jinja",
        {"form": form, "wave": wave, "error_list": presenters.form_errors(form)},
    )


@login_required
@manages_wave
def links_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The wave's links as CSV, for a mail merge."""
    wave = _wave_for(request, pk)
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
        "export", f"survey links of wave {wave.name}", user=request.user, la_code=wave.la_code
    )
    return response


@login_required
@manages_wave
def wave_results(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave_for(request, pk)
    found = results.wave_results(wave)
    floor = presenters.min_respondents()
    show_comments = (
        access.can_see_free_text(request.user, wave.la_code) and found.respondents >= floor
    )
    record_audit(
        "view", f"survey results of wave {wave.name}", user=request.user, la_code=wave.la_code
    )
    return _page(
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


@login_required
@manages_wave
def wave_import(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _wave_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None, wave=wave)
    row_errors: list[importing.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = importing.import_csv(
                wave,
                form.cleaned_data["mapping"],
                upload.read(),
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
    return _page(
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

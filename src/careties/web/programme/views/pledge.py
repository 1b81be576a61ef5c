"""The pledge: signatures per council, evidence per commitment, adoption across councils."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from careties.planning.pledge import COMMITMENTS, adoption_by_council
from careties.web import access
from careties.web import selectors as store_selectors

from .. import presenters, selectors, services
from ..forms_plans import PledgeSignatureForm
from ..models import PledgeSignature
from ..permissions import MANAGE, VIEW, can_manage
from .common import council_page, council_view, record_form, record_views, today


@council_view(VIEW)
def pledge(request, la_code: str):
    return council_page(
        request,
        "programme/pledge.jinja",
        la_code,
        commitments=COMMITMENTS,
        signatures=PledgeSignature.objects.filter(la_code=la_code),
        evidence=presenters.pledge_evidence(la_code, today()),
        can_manage=can_manage(request.user, la_code),
    )


def _signature_form(request, signature: PledgeSignature):
    la_code = signature.la_code
    return record_form(
        request,
        PledgeSignatureForm(request.POST or None, instance=signature, la_code=la_code),
        save=lambda s: services.save_signature(signature=s, user=request.user),
        back="programme:pledge",
        la_code=la_code,
        title="Record a pledge signature" if signature.pk is None else "Change a pledge signature",
        intro="An organisation signs all five commitments of the pledge at once.",
    )


sign, edit = record_views(PledgeSignature, MANAGE, _signature_form)


@login_required
@access.requires("careties.view_adoption")
def adoption(request):
    """Adoption across the councils in the user's scope (regional leads, admins)."""
    councils = store_selectors.councils()
    allowed = [
        c
        for c in access.councils_in_scope(request.user, councils["la_code"].to_list())
        if request.user.has_perm(VIEW, c)
    ]
    table = adoption_by_council(
        selectors.signatures(allowed), councils.filter(councils["la_code"].is_in(allowed))
    )
    rows = [
        {**row, "evidence": presenters.pledge_evidence(row["la_code"], today())["met"]}
        for row in table.to_dicts()
    ]
    return render(
        request, "programme/adoption.jinja", {"rows": rows, "commitments": len(COMMITMENTS)}
    )

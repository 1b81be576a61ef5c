"""Whether the programme worked: the verdict, its figures and its caveats."""

from __future__ import annotations

import polars as pl

from careties.bcf.evaluation import evaluate_emergency_admissions
from careties.planning.evaluation import evaluate_programme
from careties.planning.signposting import evaluate_signposting
from careties.web import selectors as store_selectors

from .. import presenters, selectors
from ..models import Programme
from ..permissions import VIEW, can_manage
from .common import council_page, council_view


@council_view(VIEW)
def evaluation(request, la_code: str):
    programme = Programme.objects.filter(la_code=la_code).first()
    rows = []
    if programme and programme.targeted_practices:
        frames = store_selectors.load_frames(
            ["events", "registered_patients", "practices", "contacts", "professionals"], la_code
        )
        # The programme's own logged visits would raise targeted practices' contact
        # counts by construction; the question is whether relationships grew beyond them.
        frames["contacts"] = frames["contacts"].filter(
            ~pl.col("contact_reference").str.starts_with("programme-activity-")
        )
        results = evaluate_programme(frames, programme.targeted_practices, programme.start_date)
        # BCF metric 1 by practice, where the ICB's figures give the practice (docs/bcf.md).
        emergency = store_selectors.load_frame("emergency_admissions", la_code)
        if emergency.filter(pl.col("practice_code") != "ALL").height:
            results.append(
                evaluate_emergency_admissions(
                    emergency,
                    frames["registered_patients"],
                    programme.targeted_practices,
                    programme.start_date,
                )
            )
        # Sign-posting to local services: what GPs knowing more should change.
        results.append(
            evaluate_signposting(
                selectors.signposts(la_code),
                frames["practices"],
                programme.targeted_practices,
                programme.start_date,
            )
        )
        rows = presenters.evaluation_rows(results)
    return council_page(
        request,
        "programme/evaluation.jinja",
        la_code,
        programme=programme,
        rows=rows,
        can_manage=can_manage(request.user, la_code),
    )

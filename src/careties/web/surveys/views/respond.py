"""The anonymous survey at /s/<token>/: no login, one page per section, save and resume.

Whoever holds the link may answer: the views are public (``access.public``), the
unguessable token is the key. Answers in progress live server-side in a
:class:`~careties.web.surveys.models.Draft` found by a resume code; the
respondent's session remembers the code so that a reload or the back button
loses nothing, and the code itself lets them carry on from another device.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from careties.web import access

from .. import presenters, services
from ..models import Draft, Link

SESSION_KEY = "survey_drafts"


def _refused(request: HttpRequest, refusal: services.LinkRefused) -> HttpResponse:
    status = 404 if refusal.reason == "unknown" else 410
    return render(
        request,
        "surveys/respond/refused.jinja",
        {"message": refusal.message, "reason": refusal.reason},
        status=status,
    )


def _session_code(request: HttpRequest, token: str) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(token)


def _remember(request: HttpRequest, token: str, code: str | None) -> None:
    codes = dict(request.session.get(SESSION_KEY, {}))
    if code:
        codes[token] = code
    else:
        codes.pop(token, None)
    request.session[SESSION_KEY] = codes


def _draft(request: HttpRequest, link: Link) -> Draft | None:
    code = _session_code(request, link.token)
    return Draft.objects.filter(link=link, resume_code=code).first() if code else None


def _resume_url(request: HttpRequest, link: Link, code: str) -> str:
    return request.build_absolute_uri(reverse("surveys:resume", args=[link.token, code]))


def respondent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Declare a page of the anonymous survey, called with the link its token opens.

    Public (the unguessable token is the key) and never cached; a link that
    cannot take answers (unknown, used, expired, closed) gets the refusal page
    instead, so each page starts from a link that can.
    """

    @access.public
    @never_cache
    @wraps(view)
    def page(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        try:
            link = services.open_link(token)
        except services.LinkRefused as refusal:
            return _refused(request, refusal)
        return view(request, link, **kwargs)

    return page


@respondent_page
def start(request: HttpRequest, link: Link) -> HttpResponse:
    """The survey's front page: who it is for, how long it takes, how answers are kept."""
    instrument = services.instrument_for(link.wave)
    pages = presenters.section_pages(instrument)
    draft = _draft(request, link)
    return render(
        request,
        "surveys/respond/start.jinja",
        {
            "link": link,
            "instrument": instrument,
            "pages": pages,
            "draft": draft,
            "closes_on": services.long_date(link.wave.closes_on),
        },
    )


@respondent_page
def section(request: HttpRequest, link: Link, number: int) -> HttpResponse:
    """One section of questions; Continue saves and moves on, the last page submits."""
    instrument = services.instrument_for(link.wave)
    pages = presenters.section_pages(instrument)
    if not 1 <= number <= len(pages):
        return redirect("surveys:section", link.token, 1)
    page = pages[number - 1]
    draft = _draft(request, link)
    answers: dict = dict(draft.answers) if draft else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        for question in page.questions:
            answers.pop(question.id, None)
        answers.update(presenters.answers_from_post(request.POST, page.questions))
        action = request.POST.get("action", "continue")
        draft = services.save_draft(
            link=link,
            answers=answers,
            section=number,
            resume_code=draft.resume_code if draft else None,
        )
        _remember(request, link.token, draft.resume_code)
        if action == "save":
            return redirect("surveys:saved", link.token)
        errors = _section_errors(instrument, answers, page, _rosters(link, page))
        if not errors and not page.is_last:
            return redirect("surveys:section", link.token, number + 1)
        if not errors:
            return _submit(request, link, answers, draft, pages, instrument)
    elif request.GET.get("check") and draft:
        errors = _section_errors(instrument, answers, page)
    return _render_section(request, link, instrument, page, answers, errors)


def _rosters(link: Link, page: presenters.SectionPage) -> dict[str, list[tuple[str, str]]]:
    if not any(q.kind == "people" for q in page.questions):
        return {}
    return presenters.roster_options(link.wave.la_code)


def _section_errors(
    instrument, answers: dict, page: presenters.SectionPage, rosters: dict | None = None
) -> dict[str, str]:
    ids = {q.id for q in page.questions}
    errors = services.validate_answers(instrument, answers)
    errors = {k: v for k, v in errors.items() if k in ids}
    if rosters:
        for key, message in presenters.unknown_names(page.questions, answers, rosters).items():
            errors.setdefault(key, message)
    return errors


def _render_section(request, link, instrument, page, answers, errors, status: int = 200):
    rosters = _rosters(link, page)
    return render(
        request,
        "surveys/respond/section.jinja",
        {
            "link": link,
            "instrument": instrument,
            "page": page,
            "questions": [
                presenters.question_params(q, answers, errors, rosters) for q in page.questions
            ],
            "error_list": presenters.error_list(page.questions, errors),
        },
        status=status,
    )


def _submit(request, link, answers, draft, pages, instrument) -> HttpResponse:
    try:
        services.submit(link=link, answers=answers, resume_code=draft.resume_code)
    except services.AnswersInvalid as invalid:
        # An earlier page is incomplete (answers edited elsewhere, or a page skipped):
        # send the respondent back to the first page with something to fix.
        for page in pages:
            if any(q.id in invalid.errors for q in page.questions):
                return redirect(
                    reverse("surveys:section", args=[link.token, page.number]) + "?check=1"
                )
        raise
    except services.LinkRefused as refusal:
        return _refused(request, refusal)
    _remember(request, link.token, None)
    return redirect("surveys:thanks", link.token)


@respondent_page
def saved(request: HttpRequest, link: Link) -> HttpResponse:
    """The resume code and link, to copy or write down."""
    draft = _draft(request, link)
    if draft is None:
        return redirect("surveys:start", link.token)
    return render(
        request,
        "surveys/respond/saved.jinja",
        {
            "link": link,
            "instrument": services.instrument_for(link.wave),
            "code": draft.resume_code,
            "resume_url": _resume_url(request, link, draft.resume_code),
            "closes_on": services.long_date(link.wave.closes_on),
        },
    )


@respondent_page
def resume(request: HttpRequest, link: Link, code: str | None = None) -> HttpResponse:
    """Pick up saved answers by resume code (from the URL, or typed on the front page)."""
    code = code or request.GET.get("code", "")
    draft = services.find_draft(link, code) if code.strip() else None
    if draft is None:
        return render(
            request,
            "surveys/respond/resume_missing.jinja",
            {"link": link, "instrument": services.instrument_for(link.wave), "code": code},
            status=404,
        )
    _remember(request, link.token, draft.resume_code)
    return redirect("surveys:section", link.token, draft.section)


@access.public
@never_cache
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Shown after a submission, even once a single-use link is spent."""
    link = Link.objects.select_related("wave").filter(token=token).first()
    if link is None:
        return _refused(
            request, services.LinkRefused("unknown", "We cannot find this survey link.")
        )
    return render(
        request,
        "surveys/respond/thanks.jinja",
        {"link": link, "instrument": services.instrument_for(link.wave)},
    )

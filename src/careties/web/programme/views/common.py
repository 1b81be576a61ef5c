"""What every programme view needs: the council in hand, its pages, and the standard form page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from careties.web import access
from careties.web.accounts.models import Role
from careties.web.store.models import LocalAuthority, Practice

from .. import presenters


def council_for(request) -> str:
    """The council the page is about: ``?la=`` when in the user's scope, else their first.

    A practice user's council is their practice's; a system administrator with
    no ``?la=`` gets the first council loaded. Worked out once per request: the
    permission check and the view both ask.
    """
    found = getattr(request, "careties_council", None)
    if found is None:
        found = request.careties_council = _council_for(request)
    return found


def council_of(request, *args, **kwargs) -> str:
    """The object of a programme page's permission: the council it is about (``?la=``)."""
    return council_for(request)


def _council_for(request) -> str:
    user = request.user
    wanted = request.GET.get("la") or request.POST.get("la")
    role = access.role_of(user)
    if role == Role.SYSTEM_ADMIN:
        if wanted:
            # A council nobody loaded is a missing page, not a code for the templates to link to.
            if not LocalAuthority.objects.filter(la_code=wanted).exists():
                raise Http404("No council with that code is loaded.")
            return wanted
        first = LocalAuthority.objects.order_by("name").values_list("la_code", flat=True).first()
        if first:
            return first
        raise Http404("No councils are loaded yet.")
    member = access.membership_of(user)
    scope = list(member.la_codes or []) if member else []
    if member and not scope and member.practice_code:
        scope = list(
            Practice.objects.filter(practice_code=member.practice_code).values_list(
                "la_code", flat=True
            )
        )
    if wanted and wanted in scope:
        return wanted
    if scope:
        return scope[0]
    raise Http404("Your account is not linked to a council.")


def council_view(permission: str, *, on_post: str | None = None) -> Callable:
    """Declare a page about one council: signed in, ``permission`` on the council in ``?la=``.

    The view is then called with that council's code after the request
    (``view(request, la_code, ...)``), the same one the permission was checked on.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @access.requires(permission, council_of, on_post=on_post)
        @wraps(view)
        def page(request, *args: Any, **kwargs: Any) -> HttpResponse:
            return view(request, council_for(request), *args, **kwargs)

        return page

    return decorate


def council_name(la_code: str) -> str:
    """The council's name for headings, or its code when no name is loaded."""
    name = LocalAuthority.objects.filter(la_code=la_code).values_list("name", flat=True).first()
    return name or la_code


def today():
    return timezone.localdate()


def council_url(name: str, la_code: str, *args: Any, **query: Any) -> str:
    """A page's address for one council: the named route, ``?la=``, then any other query.

    Every programme page takes its council from ``?la=``, so each redirect and
    link back carries it; one function builds them all.
    """
    return f"{reverse(name, args=args)}?{urlencode({'la': la_code, **query})}"


def council_page(request, template: str, la_code: str, **context: Any) -> HttpResponse:
    """A page about one council: every such template heads itself with the council's name."""
    return render(
        request, template, {"la_code": la_code, "council": council_name(la_code), **context}
    )


def file_problems(form, problems: list[str], *, most: int = 50) -> None:
    """Show an imported file's problems on its field: the first ``most``, then how many more."""
    for problem in problems[:most]:
        form.add_error("file", problem)
    if len(problems) > most:
        form.add_error("file", f"and {len(problems) - most} more problems")


def record_form(
    request,
    form,
    *,
    save: Callable[[Any], None],
    back: str,
    la_code: str,
    title: str,
    intro: str = "",
) -> HttpResponse:
    """The add-or-change page of one of a council's records (plan item, activity, signature).

    On a valid POST the unsaved instance goes to ``save`` (the app's audited
    service) and the user returns to the list named ``back``; otherwise the form.
    """
    if request.method == "POST" and form.is_valid():
        save(form.save(commit=False))
        return redirect(council_url(back, la_code))
    return form_page(request, form, title=title, intro=intro, back=back, la_code=la_code)


def record_views(
    model: type, permission: str, form_view: Callable[[Any, Any], HttpResponse]
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """The add and the change view of one kind of council record, both showing ``form_view``.

    Adding needs ``permission`` on the council in ``?la=``; changing, on the
    council the record belongs to (so a changed ``?la=`` cannot reach another's).
    """

    @council_view(permission)
    def new(request, la_code: str) -> HttpResponse:
        return form_view(request, model(la_code=la_code))

    @login_required
    @access.requires(permission, access.council_of_row(model))
    def edit(request, pk: int) -> HttpResponse:
        return form_view(request, get_object_or_404(model, pk=pk))

    return new, edit


def form_page(
    request,
    form,
    *,
    title: str,
    intro: str = "",
    submit: str = "Save",
    back: str | None = None,
    enctype: str | None = None,
    status: int = 200,
    la_code: str | None = None,
) -> HttpResponse:
    """One template for every programme form: NHS components, error summary, CSRF.

    ``la_code`` keeps the council on the form's POST and its back link.
    """
    context = {
        "title": title,
        "intro": intro,
        "fields": presenters.form_fields(form),
        "errors": presenters.error_list(form) if form.is_bound else [],
        "submit": submit,
        "back": back,
        "enctype": enctype,
        "la_code": la_code,
    }
    if form.is_bound and form.errors:
        status = 400
    return render(request, "programme/form.jinja", context, status=status)

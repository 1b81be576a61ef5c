"""What every programme view needs: the council in hand, and the standard form page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

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


def council_name(la_code: str) -> str:
    name = LocalAuthority.objects.filter(la_code=la_code).values_list("name", flat=True).first()
    return name or la_code


def today():
    return timezone.localdate()


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
    extra: dict | None = None,
):
    """One template for every programme form: NHS components, error summary, CSRF."""
    context = {
        "title": title,
        "intro": intro,
        "fields": presenters.form_fields(form),
        "errors": presenters.error_list(form) if form.is_bound else [],
        "submit": submit,
        "back": back,
        "enctype": enctype,
        **(extra or {}),
    }
    if form.is_bound and form.errors:
        status = 400
    return render(request, "programme/form.jinja", context, status=status)

"""What every council survey page needs: its permission declared once, its row in hand, its frame.

Every page declares ``careties.manage_surveys`` (``careties.web.access``): on the
wave or mapping its URL names, or on no one council for the lists and the
forms that start one; other roles get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careties.web import access
from careties.web.store.models import LocalAuthority

from .. import permissions, presenters

View = Callable[..., HttpResponse]


def manages_surveys(view: View) -> View:
    """Declare a page of no one council (the lists, the forms that start a wave or mapping)."""
    return login_required(access.requires(permissions.MANAGE)(view))


def manages_row(model: type[Model], *, post_only: bool = False) -> Callable[[View], View]:
    """Declare a page of one ``model`` row named by ``pk``; the view is called with the row.

    The permission is asked on the row's own council, so a changed number in the
    URL reaches no other council's wave or mapping (and says only "not found").
    ``post_only``: an action, which answers 405 to anything but a POST.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def page(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            return view(request, get_object_or_404(model, pk=pk), **kwargs)

        guarded = access.requires(permissions.MANAGE, access.council_of_row(model))(page)
        return login_required(require_POST(guarded) if post_only else guarded)

    return decorate


def managed(rows: QuerySet, user) -> QuerySet:
    """The rows (waves, mappings) of the councils ``user`` manages: every one for an admin."""
    if access.is_admin(user):
        return rows
    return rows.filter(la_code__in=permissions.managed_councils(user))


def nav_items() -> list[dict]:
    return [
        {"text": "Survey waves", "href": reverse("surveys:waves")},
        {"text": "Column mappings", "href": reverse("surveys:mappings")},
    ]


def council_choices(user) -> list[tuple[str, str]]:
    """The councils ``user`` manages, by name, for a form's choice of council."""
    codes = permissions.managed_councils(user)
    names = dict(LocalAuthority.objects.filter(la_code__in=codes).values_list("la_code", "name"))
    return [(c, f"{names[c]} ({c})" if c in names else c) for c in codes]


def page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A council survey page: the survey navigation beside the page's own context."""
    return render(request, template, {"nav_items": nav_items(), **context}, status=status)


def form_page(request, template: str, form, **context: Any) -> HttpResponse:
    """A council survey form with its error summary (each error linking to its field)."""
    return page(
        request, template, {"form": form, "error_list": presenters.form_errors(form), **context}
    )

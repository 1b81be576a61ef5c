"""Dashboard views: thin, each checks the role through ``careties.web.access``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from careties.web import access, selectors


@login_required
def home(request):
    councils = selectors.councils()
    allowed = set(access.councils_in_scope(request.user, councils["la_code"].to_list()))
    rows = [r for r in councils.iter_rows(named=True) if r["la_code"] in allowed]
    return render(
        request, "dashboard/home.jinja", {"councils": rows, "role": access.role_of(request.user)}
    )


def accessibility(request):
    return render(request, "dashboard/accessibility.jinja", {})


def methods(request):
    return render(request, "dashboard/methods.jinja", {})

"""What every programme view shares: the council's addresses, a file's problems, record views."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from careties.web.programme.models import ActionItem
from careties.web.programme.permissions import MANAGE
from careties.web.programme.views.common import council_url, file_problems, record_views


def test_a_council_url_carries_the_council_and_any_query_escaped():
    assert council_url("programme:plans", "E06000001") == reverse("programme:plans") + (
        "?la=E06000001"
    )
    url = council_url("programme:service", "E06000001", "svc 1", recorded="a&b")
    assert url == reverse("programme:service", args=["svc 1"]) + "?la=E06000001&recorded=a%26b"


class _FileForm(forms.Form):
    file = forms.CharField()


def test_a_files_problems_are_listed_up_to_fifty_then_counted():
    form = _FileForm({"file": "x"})
    assert form.is_valid()
    file_problems(form, [f"row {i}" for i in range(53)])
    listed = list(form.errors["file"])
    assert len(listed) == 51
    assert listed[:2] == ["row 0", "row 1"]
    assert listed[-1] == "and 3 more problems"

    few = _FileForm({"file": "x"})
    few.is_valid()
    file_problems(few, ["only one"])
    assert list(few.errors["file"]) == ["only one"]


def test_record_views_declare_the_permission_on_both():
    new, edit = record_views(ActionItem, MANAGE, lambda request, item: None)
    assert new.careties_permissions == (MANAGE,)
    assert edit.careties_permissions == (MANAGE,)

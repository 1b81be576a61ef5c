"""What to tell each practice: the work list, one practice's list, and logging what was discussed."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render

from careties.labels import label
from careties.web import access
from careties.web.store.models import Practice

from .. import briefing, presenters, services
from ..forms import DateInput, gp_choices, not_future
from ..models import Activity
from ..permissions import LOG_ACTIVITIES
from .common import council_page, council_url, council_view, today


def _label(item: dict) -> str:
    kind = label(item["service_type"], "service_type")
    named = [
        s["name"] + (f" ({s['miles']} miles)" if s["miles"] is not None else "")
        for s in item["services"]
    ]
    return f"{kind}: {', '.join(named)}"


class DiscussedContactForm(forms.Form):
    """A contact with one of the practice's GPs, and which list items were raised."""

    gp_professional_id = forms.ChoiceField(
        label="GP", error_messages={"required": "Select the GP you spoke with"}
    )
    activity_date = forms.DateField(
        label="Date of the contact",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the contact",
            "invalid": "Enter a real date",
        },
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=1,
        max_value=600,
        error_messages={"required": "Enter how long the contact lasted"},
    )
    discussed = forms.MultipleChoiceField(
        label="Which of these did you discuss?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one item you discussed"},
    )

    def __init__(self, *args, la_code: str, practice_code: str, items: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gp_professional_id"].choices = [
            ("", "Select the GP"),
            *gp_choices(la_code, practice_code),
        ]
        self.fields["discussed"].choices = [(i["service_type"], _label(i)) for i in items]

    def clean_activity_date(self):
        return not_future(self.cleaned_data["activity_date"], "The date of the contact")


@council_view(LOG_ACTIVITIES)
def practice_list(request, la_code: str):
    """Every practice's short list, the programme's targeted practices first."""
    inputs = briefing.council_inputs(la_code)
    rows = [
        briefing.practice_list(inputs, p, limit=3)
        for p in briefing.practices_in_order(la_code, inputs.targeted)
    ]
    return council_page(request, "programme/briefings.jinja", la_code, rows=rows)


@council_view(LOG_ACTIVITIES)
def practice_detail(request, la_code: str, practice_code: str):
    practice = Practice.objects.filter(la_code=la_code, practice_code=practice_code).first()
    if practice is None:
        raise Http404("No such practice in this council.")
    inputs = briefing.council_inputs(la_code)
    short = briefing.practice_list(inputs, practice)
    form = DiscussedContactForm(
        request.POST or None,
        la_code=la_code,
        practice_code=practice_code,
        items=short["items"],
        initial={"activity_date": today()},
    )
    if request.method == "POST" and form.is_valid():
        member = access.membership_of(request.user)
        chosen = set(form.cleaned_data["discussed"])
        activity = Activity(
            la_code=la_code,
            kind=Activity.Kind.CONTACT_VISIT,
            activity_date=form.cleaned_data["activity_date"],
            gp_professional_id=form.cleaned_data["gp_professional_id"],
            practice_code=practice_code,
            staff_professional_id=getattr(member, "professional_id", "") or request.user.username,
            minutes=form.cleaned_data["minutes"],
            notes="Discussed: " + ", ".join(sorted(label(c, "service_type") for c in chosen)),
        )
        services.save_activity(
            activity=activity,
            discussed=[i for i in short["items"] if i["service_type"] in chosen],
            user=request.user,
        )
        return redirect(
            council_url("programme:practice_briefing", la_code, practice_code, logged=1)
        )
    history = briefing.practice_history(inputs, la_code, practice_code)
    return render(
        request,
        "programme/briefing.jinja",
        {
            "la_code": la_code,
            "practice": short,
            "fields": presenters.form_fields(form),
            "errors": presenters.error_list(form) if form.is_bound else [],
            "trend": history["trend"].to_dicts(),
            "waves": sorted(set(history["trend"]["wave"].to_list())),
            "followed": history["followed"],
            "threshold": history["threshold"],
            "contacts": history["contacts"],
            "logged": request.GET.get("logged"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )

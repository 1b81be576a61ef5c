"""Forms for the programme: the choices they share, sign-posting and the service directory.

Server-side validation with messages a council officer understands. The
programme's own forms (settings, pledge, plan, activity) are in ``forms_plans``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django import forms
from django.utils import timezone

from careties.data.codes import ROLE_AGENCY
from careties.labels import label
from careties.planning.directory import ORUK_STATUSES
from careties.web.limits import LimitError, load_json
from careties.web.store.models import Practice, Professional, Service

from .widgets import DayMonthYearInput

#: Kinds of local service a GP looks for (the Home Truths GP survey asked about these).
DIRECTORY_TYPES = (
    "telecare",
    "home_care",
    "reablement",
    "day_services",
    "exercise_classes",
    "falls_prevention",
    "social_support",
    "befriending",
    "carers_support",
    "information_advice",
    "transport",
    "housing_support",
    "other",
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _today() -> dt.date:
    return timezone.localdate()


def not_future(value: dt.date | None, what: str) -> dt.date | None:
    if value and value > _today():
        raise forms.ValidationError(f"{what} must be today or in the past")
    return value


def practice_choices(la_code: str, first: list[str] | None = None) -> list[tuple[str, str]]:
    """The council's practices A to Z, the programme's targeted ones (``first``) at the top."""
    first = list(first or [])
    practices = sorted(
        Practice.objects.filter(la_code=la_code),
        key=lambda p: (p.practice_code not in first, p.name),
    )
    return [
        (
            p.practice_code,
            f"{p.name} ({p.practice_code})" + (" – targeted" if p.practice_code in first else ""),
        )
        for p in practices
    ]


def ranked_gp_choices(la_code: str, ranked: list[str]) -> list[tuple[str, str]]:
    """GPs in targeting-list order (``ranked``: professional ids, best first), then the rest."""
    names = dict(Practice.objects.filter(la_code=la_code).values_list("practice_code", "name"))
    position = {gp: i for i, gp in enumerate(ranked)}
    gps = sorted(
        Professional.objects.filter(la_code=la_code, role="gp"),
        key=lambda p: (position.get(p.professional_id, len(position)), p.professional_id),
    )
    return [
        (
            p.professional_id,
            f"{p.label} – {names.get(p.organisation, p.organisation)}"
            + (
                f" (rank {position[p.professional_id] + 1})"
                if p.professional_id in position
                else ""
            ),
        )
        for p in gps
    ]


def gp_choices(la_code: str, practice_code: str | None = None, first: list[str] | None = None):
    gps = Professional.objects.filter(la_code=la_code, role="gp")
    if practice_code:
        gps = gps.filter(organisation=practice_code)
    first = set(first or [])
    ordered = sorted(
        gps, key=lambda p: (p.organisation not in first, p.organisation, p.professional_id)
    )
    return [
        (
            p.professional_id,
            f"{p.label} – {p.organisation}" + (" (targeted)" if p.organisation in first else ""),
        )
        for p in ordered
    ]


def social_care_choices(la_code: str) -> list[tuple[str, str]]:
    roles = [r for r, agency in ROLE_AGENCY.items() if agency == "social_care"]
    staff = Professional.objects.filter(la_code=la_code, role__in=roles).order_by("professional_id")
    return [
        (p.professional_id, f"{p.label} – {label(p.role, 'role')}, {p.organisation}") for p in staff
    ]


#: Dates as day, month and year boxes (``widgets``), as NHS services ask for them.
DateInput = DayMonthYearInput


class SignPostForm(forms.Form):
    gp_professional_id = forms.ChoiceField(
        label="GP",
        error_messages={
            "required": "Select the GP who sign-posted",
            "invalid_choice": "Select a GP from the list",
        },
    )
    signposted_on = forms.DateField(
        widget=DateInput(),
        label="Date",
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    person_reference = forms.CharField(
        required=False,
        max_length=64,
        label="Person reference (optional)",
        help_text="Your local reference for the person, if you want to follow up. careties keeps only a "
        "pseudonymous token made from it, never the reference itself. Do not enter a name.",
    )

    def __init__(self, *args, la_code: str, practice_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gp_professional_id"].choices = [
            ("", "Select a GP"),
            *gp_choices(la_code, practice_code),
        ]

    def clean_signposted_on(self):
        return not_future(self.cleaned_data.get("signposted_on"), "The date")


class ServiceForm(forms.Form):
    name = forms.CharField(
        max_length=255, label="Service name", error_messages={"required": "Enter the service name"}
    )
    service_type = forms.ChoiceField(
        label="Type of service",
        choices=[(t, label(t, "service_type")) for t in DIRECTORY_TYPES],
        error_messages={"required": "Select the type of service"},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Description",
        error_messages={"required": "Enter a description"},
    )
    eligibility = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Who is eligible"
    )
    cost = forms.CharField(required=False, max_length=255, label="Cost")
    contact = forms.CharField(required=False, max_length=255, label="How to contact or refer")
    area = forms.CharField(
        max_length=255, label="Area served", error_messages={"required": "Enter the area served"}
    )
    quality_rating = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Quality rating",
        choices=[("", "Not rated"), *[(str(i), f"{i} of 5") for i in range(1, 6)]],
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[(s, s.capitalize()) for s in ORUK_STATUSES],
        initial="active",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )

    def __init__(self, *args, extra_types: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        known = {v for v, _ in self.fields["service_type"].choices}
        extra = [(t, label(t, "service_type")) for t in sorted(set(extra_types or []) - known)]
        self.fields["service_type"].choices = [*self.fields["service_type"].choices, *extra]

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Open Referral UK file (JSON)",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        help_text="A list of services, one service, or a page from an Open Referral UK API (GET /services).",
        error_messages={"required": "Choose an Open Referral UK JSON file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB")

        try:
            self.document = load_json(upload.read().decode("utf-8-sig"))
        except LimitError as error:
            raise forms.ValidationError(f"The file cannot be imported: {error}") from None
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it as UTF-8 JSON"
            ) from None
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from None
        return upload


class DirectorySearchForm(forms.Form):
    need = forms.CharField(
        required=False,
        max_length=100,
        label="What does the person need?",
        help_text="For example: falls, loneliness, telecare, carer",
    )
    area = forms.CharField(
        required=False, max_length=100, label="Area", help_text="Town, area or council code"
    )
    service_type = forms.ChoiceField(required=False, label="Type of service")

    def __init__(self, *args, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [
            ("", "Any type"),
            *[(t, label(t, "service_type")) for t in types],
        ]


def service_types_in_use(la_code: str) -> list[str]:
    return sorted(
        set(Service.objects.filter(la_code=la_code).values_list("service_type", flat=True))
    )

"""Forms for the programme: server-side validation with messages a council officer understands."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django import forms
from django.utils import timezone

from careties.data.codes import LA_CODE_PATTERN, PRACTICE_CODE_PATTERN, ROLE_AGENCY
from careties.planning.directory import ORUK_STATUSES
from careties.web.store.models import Practice, Professional, Service

from .models import ActionItem, Activity, PledgeSignature

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


def _not_future(value: dt.date | None, what: str) -> dt.date | None:
    if value and value > _today():
        raise forms.ValidationError(f"{what} must be today or in the past")
    return value


def practice_choices(la_code: str) -> list[tuple[str, str]]:
    return [
        (p.practice_code, f"{p.name} ({p.practice_code})")
        for p in Practice.objects.filter(la_code=la_code).order_by("name")
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
            f"{p.professional_id} – {p.organisation}"
            + (" (targeted)" if p.organisation in first else ""),
        )
        for p in ordered
    ]


def social_care_choices(la_code: str) -> list[tuple[str, str]]:
    roles = [r for r, agency in ROLE_AGENCY.items() if agency == "social_care"]
    staff = Professional.objects.filter(la_code=la_code, role__in=roles).order_by("professional_id")
    return [
        (p.professional_id, f"{p.professional_id} – {p.role.replace('_', ' ')}, {p.organisation}")
        for p in staff
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgrammeForm(forms.Form):
    start_date = forms.DateField(
        widget=DateInput(),
        label="Programme start date",
        help_text="The evaluation compares quarters before this date with quarters after it.",
        error_messages={
            "required": "Enter the programme start date",
            "invalid": "Enter a real date",
        },
    )
    targeted_practices = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Targeted practices",
        help_text="The practices the programme works with; the others are the comparison group.",
        error_messages={"required": "Select at least one targeted practice"},
    )

    def __init__(self, *args, la_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targeted_practices"].choices = practice_choices(la_code)


class PledgeSignatureForm(forms.ModelForm):
    class Meta:
        model = PledgeSignature
        fields = [
            "organisation_type",
            "organisation_code",
            "organisation_name",
            "signatory_role",
            "signed_on",
        ]
        widgets = {"signed_on": DateInput(), "organisation_type": forms.RadioSelect}
        labels = {
            "organisation_type": "Type of organisation",
            "organisation_code": "Organisation code",
            "organisation_name": "Organisation name",
            "signatory_role": "Role of the person who signed",
            "signed_on": "Date signed",
        }
        help_texts = {
            "organisation_code": "ONS code for a council (for example E06000001), ODS code for a practice (A81001) or NHS body.",
            "signatory_role": "For example Director of Adult Social Services, or GP partner. Not their name.",
        }
        error_messages = {
            "organisation_type": {"required": "Select the type of organisation"},
            "organisation_code": {"required": "Enter the organisation code"},
            "organisation_name": {"required": "Enter the organisation name"},
            "signatory_role": {"required": "Enter the role of the person who signed"},
            "signed_on": {
                "required": "Enter the date the pledge was signed",
                "invalid": "Enter a real date",
            },
        }

    def __init__(self, *args, la_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.la_code = la_code

    def clean_organisation_code(self):
        return self.cleaned_data["organisation_code"].strip().upper()

    def clean_signed_on(self):
        return _not_future(self.cleaned_data.get("signed_on"), "The date signed")

    def clean(self):
        data = super().clean()
        kind, code = data.get("organisation_type"), data.get("organisation_code")
        if kind == "council" and code and not LA_CODE_PATTERN.match(code):
            self.add_error(
                "organisation_code",
                "A council code is E06, E07, E08, E09 or E10 and 6 digits, like E06000001",
            )
        if kind == "practice" and code and not PRACTICE_CODE_PATTERN.match(code):
            self.add_error(
                "organisation_code", "A practice code is one letter and five digits, like A81001"
            )
        if code:
            taken = PledgeSignature.objects.filter(la_code=self.la_code, organisation_code=code)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "organisation_code", f"{code} has already signed the pledge in this council"
                )
        return data


class ActionItemForm(forms.ModelForm):
    target_practices = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label="Target practices"
    )
    target_gps = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Target GPs",
        help_text="Pseudonymous GP identifiers, as in the professionals file.",
    )

    class Meta:
        model = ActionItem
        fields = [
            "approach",
            "title",
            "description",
            "owner",
            "target_practices",
            "target_gps",
            "due_date",
            "status",
        ]
        widgets = {
            "due_date": DateInput(),
            "approach": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "approach": "Approach",
            "title": "What will be done",
            "owner": "Owner (role or team)",
            "due_date": "Due date",
            "status": "Status",
            "description": "Details",
        }
        error_messages = {
            "approach": {"required": "Select the approach this item is under"},
            "title": {"required": "Enter what will be done"},
            "owner": {"required": "Enter who owns this item"},
            "due_date": {"required": "Enter the due date", "invalid": "Enter a real date"},
            "status": {"required": "Select the status"},
        }

    def __init__(self, *args, la_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_practices"].choices = practice_choices(la_code)
        self.fields["target_gps"].choices = gp_choices(la_code)

    def clean(self):
        data = super().clean()
        if not data.get("target_practices") and not data.get("target_gps"):
            self.add_error("target_practices", "Select at least one target practice or GP")
        return data


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "activity_date",
            "gp_professional_id",
            "staff_professional_id",
            "minutes",
            "notes",
        ]
        widgets = {"activity_date": DateInput(), "kind": forms.RadioSelect}
        labels = {
            "kind": "Type of activity",
            "activity_date": "Date",
            "gp_professional_id": "GP",
            "staff_professional_id": "Social care staff member",
            "minutes": "Length in minutes",
            "notes": "Notes",
        }
        help_texts = {
            "notes": "Optional. Do not write anything that identifies a patient or service user.",
            "gp_professional_id": "GPs in targeted practices are listed first.",
        }
        error_messages = {
            "kind": {"required": "Select the type of activity"},
            "activity_date": {
                "required": "Enter the date of the activity",
                "invalid": "Enter a real date",
            },
            "gp_professional_id": {"required": "Select the GP"},
            "staff_professional_id": {"required": "Select the social care staff member"},
            "minutes": {
                "required": "Enter how long it took, in minutes",
                "invalid": "Enter a whole number of minutes",
            },
        }

    def __init__(self, *args, la_code: str, targeted: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gp_professional_id"] = forms.ChoiceField(
            label="GP",
            choices=[("", "Select a GP"), *gp_choices(la_code, first=targeted)],
            help_text=self.Meta.help_texts["gp_professional_id"],
            error_messages={
                "required": "Select the GP",
                "invalid_choice": "Select a GP from the list",
            },
        )
        self.fields["staff_professional_id"] = forms.ChoiceField(
            label="Social care staff member",
            choices=[("", "Select a staff member"), *social_care_choices(la_code)],
            error_messages={
                "required": "Select the social care staff member",
                "invalid_choice": "Select a staff member from the list",
            },
        )

    def clean_activity_date(self):
        return _not_future(self.cleaned_data.get("activity_date"), "The date of the activity")

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes is not None and not 1 <= minutes <= 600:
            raise forms.ValidationError("Length must be between 1 and 600 minutes")
        return minutes


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
        return _not_future(self.cleaned_data.get("signposted_on"), "The date")


class ServiceForm(forms.Form):
    name = forms.CharField(
        max_length=255, label="Service name", error_messages={"required": "Enter the service name"}
    )
    service_type = forms.ChoiceField(
        label="Type of service",
        choices=[(t, t.replace("_", " ").capitalize()) for t in DIRECTORY_TYPES],
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
        extra = [
            (t, t.replace("_", " ").capitalize()) for t in sorted(set(extra_types or []) - known)
        ]
        self.fields["service_type"].choices = [*self.fields["service_type"].choices, *extra]

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Open Referral UK file (JSON)",
        help_text="A list of services, one service, or a page from an Open Referral UK API (GET /services).",
        error_messages={"required": "Choose an Open Referral UK JSON file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB")
        try:
            self.document = json.loads(upload.read().decode("utf-8-sig"))
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
            *[(t, t.replace("_", " ").capitalize()) for t in types],
        ]


def service_types_in_use(la_code: str) -> list[str]:
    return sorted(
        set(Service.objects.filter(la_code=la_code).values_list("service_type", flat=True))
    )

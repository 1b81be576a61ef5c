"""The programme's forms: its settings, the pledge, action plan items and activities.

Validation messages follow the NHS service manual ("Enter the due date",
"Select the approach"); dates are day, month and year boxes.
"""

from __future__ import annotations

from django import forms

from careties.data.codes import LA_CODE_PATTERN, PRACTICE_CODE_PATTERN

from .forms import (
    DateInput,
    gp_choices,
    not_future,
    practice_choices,
    ranked_gp_choices,
    social_care_choices,
)
from .models import ActionItem, Activity, PledgeSignature


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
        return not_future(self.cleaned_data.get("signed_on"), "The date signed")

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
        help_text="The targeted GPs first, by rank: by name where the council's professionals "
        "file gives one, with their pseudonymous id.",
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

    def __init__(
        self,
        *args,
        la_code: str,
        ranked_gps: list[str] | None = None,
        targeted: list[str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["target_practices"].choices = practice_choices(la_code, first=targeted)
        self.fields["target_gps"].choices = ranked_gp_choices(la_code, ranked_gps or [])

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
        return not_future(self.cleaned_data.get("activity_date"), "The date of the activity")

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes is not None and not 1 <= minutes <= 600:
            raise forms.ValidationError("Length must be between 1 and 600 minutes")
        return minutes

"""Forms a council lead uses to run survey collection.

Messages follow the NHS and GOV.UK error style ("Enter ...", "Select ...") and
every check is made here, on the server; the browser's own validation is
switched off in the templates so that every error appears in the summary.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from careties.relations.surveys import load_instrument
from careties.web.survey_guard import foreign_organisations

from .models import INSTRUMENT_CHOICES, ColumnMapping, Wave

PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")
TEAM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
WAVE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,31}$")
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_LINKS = 500


def _date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, for example 2025-03-27",
        },
    )


def _council_field() -> forms.ChoiceField:
    """The council; each form sets its choices to the councils the user may run surveys for."""
    return forms.ChoiceField(label="Council", error_messages={"required": "Select the council"})


def _instrument_field(label: str, required_message: str) -> forms.ChoiceField:
    """Which of careties' surveys, as radio buttons."""
    return forms.ChoiceField(
        label=label,
        choices=INSTRUMENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class WaveForm(forms.Form):
    """Create or edit a wave; the council and survey are fixed once the wave exists.

    A plain form rather than a ModelForm so that the model's check constraint
    (closing after opening) is reported once, against the closing date, in
    words a council lead understands.
    """

    la_code = _council_field()
    instrument = _instrument_field("Who the survey asks", "Select who the survey asks")
    name = forms.CharField(
        label="Wave name",
        help_text='A short name for this round, for example "2025-W2".',
        max_length=32,
        error_messages={
            "required": "Enter a name for the wave",
            "max_length": "Wave name must be 32 characters or fewer",
        },
    )
    opens_on = _date_field("Opening date")
    closes_on = _date_field("Closing date", help_text="The last day answers are taken.")

    def __init__(
        self,
        *args,
        councils: list[tuple[str, str]],
        instance: Wave | None = None,
        has_responses: bool = False,
        **kwargs,
    ):
        self.instance = instance or Wave()
        if instance is not None and instance.pk:
            kwargs.setdefault(
                "initial",
                {
                    f: getattr(instance, f)
                    for f in ("la_code", "instrument", "name", "opens_on", "closes_on")
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["la_code"].choices = councils
        if len(councils) == 1 and not self.instance.pk:
            self.initial.setdefault("la_code", councils[0][0])
        if self.instance.pk:
            self.fields["la_code"].disabled = True
            self.fields["la_code"].choices = [(self.instance.la_code, self.instance.la_code)]
            self.fields["instrument"].disabled = True
            if has_responses:
                self.fields["name"].disabled = True
                self.fields[
                    "name"
                ].help_text = "The name cannot change once answers have been stored under it."

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not WAVE_NAME.match(name):
            raise forms.ValidationError(
                "Wave name must start with a letter or digit and use only letters, "
                "digits, spaces, dots, dashes and underscores"
            )
        return name

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes <= opens:
            self.add_error("closes_on", "Closing date must be after the opening date")
        la_code, instrument, name = (cleaned.get(k) for k in ("la_code", "instrument", "name"))
        if la_code and instrument and name:
            clash = Wave.objects.filter(la_code=la_code, instrument=instrument, name=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name", "This council already has a wave of this survey with that name"
                )
        return cleaned

    def wave(self) -> Wave:
        """The wave with the form's values applied (not saved)."""
        for field in ("la_code", "instrument", "name", "opens_on", "closes_on"):
            setattr(self.instance, field, self.cleaned_data[field])
        return self.instance


class LinkForm(forms.Form):
    """Make one or more anonymous links: per organisation, single-use or shared."""

    organisations = forms.CharField(
        label="Practice or team codes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One code a line, for example A81001. One set of links is made for each code.",
    )
    single_use = forms.TypedChoiceField(
        label="Who uses each link",
        choices=[
            ("false", "Shared: everyone at the practice or team uses the same link"),
            ("true", "Single use: each link takes one set of answers"),
        ],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who uses each link"},
    )
    copies = forms.IntegerField(
        label="How many links for each code",
        min_value=1,
        max_value=MAX_LINKS,
        initial=1,
        help_text="For single-use links, one for each person you will send it to.",
        error_messages={
            "required": "Enter how many links to make for each code",
            "invalid": "Enter how many links as a whole number, like 10",
            "min_value": "Make at least 1 link",
            "max_value": f"Make {MAX_LINKS} links or fewer at a time",
        },
    )
    expires_on = _date_field(
        "Expiry date",
        required=False,
        help_text="Optional. The link stops working at the end of this day.",
    )

    def __init__(self, *args, wave: Wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        if wave.instrument == "older_person":
            del self.fields["organisations"]
        elif wave.instrument == "gp":
            self.fields["organisations"].label = "Practice codes (ODS)"
        else:
            self.fields["organisations"].label = "Team codes"
            self.fields[
                "organisations"
            ].help_text = "One code a line, as your council names its social care teams."

    def clean_organisations(self) -> list[str | None]:
        raw = self.cleaned_data.get("organisations") or ""
        codes = [line.strip().upper() for line in raw.splitlines() if line.strip()]
        pattern, example = (
            (PRACTICE_CODE, "one letter and five digits, like A81001")
            if self.wave.instrument == "gp"
            else (TEAM_CODE, "letters, digits, dashes or underscores, like TEAM-NORTH")
        )
        bad = [c for c in codes if not pattern.match(c)]
        if bad:
            raise forms.ValidationError(f"{', '.join(bad[:5])}: each code must be {example}")
        if not codes:
            raise forms.ValidationError(
                "Enter at least one practice code"
                if self.wave.instrument == "gp"
                else "Enter at least one team code"
            )
        foreign = foreign_organisations(self.wave.la_code, codes)
        if foreign:
            raise forms.ValidationError(
                f"{', '.join(foreign[:5])}: not in {self.wave.la_code}; a wave's links are for "
                "its own council's practices and teams"
            )
        return list(dict.fromkeys(codes))

    def clean_expires_on(self) -> dt.date | None:
        day = self.cleaned_data.get("expires_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError("Expiry date must be today or in the future")
        return day

    def clean(self):
        cleaned = super().clean()
        organisations = cleaned.get("organisations", [None])
        copies = cleaned.get("copies") or 1
        if organisations is not None and len(organisations) * copies > MAX_LINKS:
            raise forms.ValidationError(f"Make {MAX_LINKS} links or fewer at a time")
        if "organisations" not in self.fields:
            cleaned["organisations"] = [None]
        return cleaned

    def expires_at(self) -> dt.datetime | None:
        """End of the expiry day in the council's time zone."""
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(end)


class MappingUploadForm(forms.Form):
    """Start a column mapping from a sample export of another survey tool."""

    name = forms.CharField(
        label="Mapping name",
        max_length=100,
        help_text='Say which tool and form it is for, for example "SmartSurvey GP form 2024".',
        error_messages={"required": "Enter a name for the mapping"},
    )
    la_code = _council_field()
    instrument = _instrument_field(
        "Which of our surveys the export answers", "Select which survey the export answers"
    )
    sample = forms.FileField(
        label="Sample CSV export",
        help_text="A CSV file with a header row. A few rows are enough.",
        error_messages={
            "required": "Select a sample CSV file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, councils: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la_code"].choices = councils
        if len(councils) == 1:
            self.initial.setdefault("la_code", councils[0][0])

    def clean_sample(self):
        sample = self.cleaned_data["sample"]
        if sample.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The sample must be smaller than 20 MB")
        return sample

    def clean(self):
        cleaned = super().clean()
        name, la_code = cleaned.get("name"), cleaned.get("la_code")
        if name and la_code and ColumnMapping.objects.filter(la_code=la_code, name=name).exists():
            self.add_error("name", "This council already has a mapping with that name")
        return cleaned


NOT_MAPPED = ""


def column_choices(instrument_id: str) -> list[tuple[str, str]]:
    """What a source column can answer: nothing, the organisation code, or one question."""
    instrument = load_instrument(instrument_id)
    return [
        (NOT_MAPPED, "Not used"),
        (ColumnMapping.ORGANISATION_COLUMN, "Practice or team code"),
        *[(q.id, f"{q.id}: {q.text}") for q in instrument.questions],
    ]


class MappingColumnsForm(forms.Form):
    """For each column of the sample, which question it answers."""

    def __init__(self, *args, mapping: ColumnMapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        choices = column_choices(mapping.instrument)
        for index, column in enumerate(mapping.sample_columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial=mapping.columns.get(column, NOT_MAPPED),
            )

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for index, column in enumerate(self.mapping.sample_columns):
            target = cleaned.get(f"column_{index}")
            if not target:
                continue
            if target in seen:
                self.add_error(
                    f"column_{index}",
                    f"{column} and {seen[target]} both answer {target}: choose one of them",
                )
            seen[target] = column
        if not any(t != ColumnMapping.ORGANISATION_COLUMN for t in seen):
            raise forms.ValidationError("Choose the question that at least one column answers")
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"column_{index}"]
            for index, column in enumerate(self.mapping.sample_columns)
            if self.cleaned_data.get(f"column_{index}")
        }


class ImportForm(forms.Form):
    """Import a CSV export into a wave through a saved mapping."""

    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(),
        label="Column mapping",
        empty_label=None,
        error_messages={
            "required": "Select a column mapping",
            "invalid_choice": "Select a column mapping",
        },
    )
    file = forms.FileField(
        label="CSV export",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )
    organisation = forms.CharField(
        label="Practice or team code for every row",
        required=False,
        max_length=32,
        help_text="Only needed when the file has no column for it. Leave blank for older people.",
    )

    def __init__(self, *args, wave: Wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.fields["mapping"].queryset = ColumnMapping.objects.filter(
            la_code=wave.la_code, instrument=wave.instrument
        )
        if wave.instrument == "older_person":
            del self.fields["organisation"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload

    def clean_organisation(self) -> str | None:
        code = (self.cleaned_data.get("organisation") or "").strip().upper()
        if not code:
            return None
        pattern = PRACTICE_CODE if self.wave.instrument == "gp" else TEAM_CODE
        if not pattern.match(code):
            raise forms.ValidationError(
                "Enter a practice code like A81001 or a team code like TEAM-NORTH"
            )
        if foreign_organisations(self.wave.la_code, [code]):
            raise forms.ValidationError(f"{code} is not a practice or team of {self.wave.la_code}")
        return code

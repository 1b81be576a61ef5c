"""The invite form: a username, a role and the scope the role needs."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator

from careties.data.codes import LA_CODE_PATTERN, PRACTICE_CODE_PATTERN, TEAM_CODE_PATTERN

from .models import Role
from .services import is_admin, lead_council, roles_for

USERNAME = RegexValidator(r"^[A-Za-z0-9.@+_-]{2,150}$", "Use 2 to 150 letters, digits or . @ + - _")


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150, validators=[USERNAME])
    email = forms.EmailField(required=False, help_text="Optional: for your own records.")
    role = forms.ChoiceField(choices=[])
    la_codes = forms.CharField(
        label="Councils",
        required=False,
        max_length=2000,
        help_text="ONS codes separated by spaces (administrators only; a lead adds to their own).",
    )
    practice_code = forms.CharField(
        required=False, max_length=6, help_text="For practice users: their practice's ODS code."
    )
    team_code = forms.CharField(
        required=False, max_length=32, help_text="For social workers: their team's code."
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = [("", "Select a role")] + [
            (r.value, r.label) for r in roles_for(actor)
        ]
        if not is_admin(actor):
            del self.fields["la_codes"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username

    def clean(self):
        data = super().clean()
        if is_admin(self.actor):
            codes = (data.get("la_codes") or "").upper().split()
            bad = [c for c in codes if not LA_CODE_PATTERN.match(c)]
            if bad:
                self.add_error("la_codes", f"Not council codes: {', '.join(bad[:5])}")
        else:
            codes = [lead_council(self.actor)]
        data["councils"] = codes
        role = data.get("role")
        practice = (data.get("practice_code") or "").upper()
        team = (data.get("team_code") or "").upper()
        if role == Role.PRACTICE and not PRACTICE_CODE_PATTERN.match(practice):
            self.add_error("practice_code", "A practice user needs their practice's ODS code.")
        if role == Role.SOCIAL_WORKER and team and not TEAM_CODE_PATTERN.match(team):
            self.add_error("team_code", "Not a team code.")
        if role and role != Role.SYSTEM_ADMIN and not codes:
            self.add_error("la_codes", "Give the council (or councils) this user works in.")
        data["practice_code"], data["team_code"] = practice, team
        return data

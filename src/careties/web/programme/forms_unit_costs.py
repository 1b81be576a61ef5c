"""The savings unit costs form: for each input, its value, its source, a web address and a date.

Values are typed as people write them ("£1,050", "35%"); each is checked
against the range in ``careties.planning.unit_costs`` so a mistyped figure
("10500" for a weekly cost) is refused with a message that says the range.
"""

from __future__ import annotations

from django import forms

from careties.planning.savings import SavingsInputError
from careties.planning.unit_costs import UNIT_COSTS, check_unit_cost

from .forms import DateInput, not_future
from .unit_costs import CouncilCost, Entry


class AmountField(forms.FloatField):
    """A number as people type it: pound signs, thousands commas and a per cent sign allowed."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").replace("%", "").strip()
        return super().to_python(value)


class UnitCostsForm(forms.Form):
    """Four fields per input of the savings scenario, in ``UNIT_COSTS`` order."""

    def __init__(self, *args, current: list[CouncilCost], **kwargs) -> None:
        initial = {}
        for item in current:
            name = item.cost.name
            initial[name] = item.cost.shown(item.value)
            initial[f"{name}_source"] = item.source
            initial[f"{name}_url"] = item.url
            initial[f"{name}_as_of"] = item.as_of
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for cost in UNIT_COSTS:
            name, label = cost.name, cost.label
            default = (
                "Leave empty for as long as the stay."
                if cost.default is None
                else f"careties' default: {cost.format(cost.default)}."
            )
            self.fields[name] = AmountField(
                label=f"{label} ({cost.unit})",
                required=cost.default is not None,
                help_text=f"{cost.hint} {default}".strip(),
                error_messages={
                    "required": f"Enter the {cost.phrase}",
                    "invalid": f"{label} must be a number",
                },
            )
            self.fields[f"{name}_source"] = forms.CharField(
                label=f"{label}: where the figure comes from",
                max_length=500,
                help_text="The publication or the council's own return, with its year.",
                error_messages={
                    "required": f"Enter where the {cost.phrase} comes from",
                    "max_length": "The source must be 500 characters or fewer",
                },
            )
            self.fields[f"{name}_url"] = forms.URLField(
                label=f"{label}: web address of the source (optional)",
                required=False,
                max_length=500,
                assume_scheme="https",
                error_messages={"invalid": "Enter a web address, like https://www.gov.uk/..."},
            )
            self.fields[f"{name}_as_of"] = forms.DateField(
                widget=DateInput(),
                label=f"{label}: date of the figure",
                help_text="When the figure was published or last checked.",
                error_messages={
                    "required": f"Enter the date of the {cost.phrase}",
                    "invalid": "Enter a real date",
                },
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        for cost in UNIT_COSTS:
            date_field = f"{cost.name}_as_of"
            try:
                not_future(cleaned.get(date_field), "The date of the figure")
            except forms.ValidationError as error:
                self.add_error(date_field, error)
            if cost.name not in cleaned:  # already refused (not a number, missing)
                continue
            try:
                check_unit_cost(cost.name, cost.kept(cleaned[cost.name]))
            except SavingsInputError as error:
                self.add_error(cost.name, str(error))
        return cleaned

    def entries(self) -> dict[str, Entry]:
        """What was typed, as the scenario takes it (call after ``is_valid``)."""
        data = self.cleaned_data
        return {
            cost.name: Entry(
                value=cost.kept(data[cost.name]),
                source=data[f"{cost.name}_source"].strip(),
                url=data[f"{cost.name}_url"],
                as_of=data[f"{cost.name}_as_of"],
            )
            for cost in UNIT_COSTS
        }

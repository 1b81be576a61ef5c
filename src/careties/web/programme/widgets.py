"""Dates as NHS services ask for them: day, month and year in three boxes.

The GOV.UK and NHS.UK design systems advise against the browser's date picker
for dates people know (it is hard to use with a keyboard and on a phone); the
date input component asks for the three parts. The widget also accepts one
ISO value (``2026-03-31``) under the field's own name, as scripts and the
tests post it.
"""

from __future__ import annotations

import datetime as dt

from django import forms

PARTS = ("day", "month", "year")


class DayMonthYearInput(forms.MultiWidget):
    """Three text boxes named ``<name>-day``, ``<name>-month`` and ``<name>-year``."""

    input_type = "day_month_year"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value) -> list:
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name: str) -> str | None:
        parts = [str(data.get(f"{name}-{p}", "")).strip() for p in PARTS]
        if not any(parts):
            return data.get(name) or None
        day, month, year = parts
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except (TypeError, ValueError):
            # Not a real date: a value the DateField refuses with its "invalid" message.
            return f"{year}-{month}-{day}" if all(parts) else "incomplete"

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and not any(f"{name}-{p}" in data for p in PARTS)


def date_parts(value) -> dict[str, str]:
    """What to show in the three boxes: the submitted text, else the date's parts."""
    if isinstance(value, dt.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, str) and value:
        try:
            return date_parts(dt.date.fromisoformat(value))
        except ValueError:
            pieces = value.split("-")
            if len(pieces) == 3:
                return {"year": pieces[0], "month": pieces[1], "day": pieces[2]}
    return {"day": "", "month": "", "year": ""}

"""Column mappings for CSV exports from other survey tools: upload a sample, map columns, map answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from careties.relations.surveys import load_instrument

from .. import importing
from ..forms import MappingColumnsForm, MappingUploadForm
from ..models import ColumnMapping
from .common import council_choices, form_page, managed, manages_row, manages_surveys, page

#: Declared on the steps of one mapping: the council of the mapping in the URL.
manages_mapping = manages_row(ColumnMapping)


@manages_surveys
def mapping_list(request: HttpRequest) -> HttpResponse:
    mappings = managed(ColumnMapping.objects.all(), request.user)
    return page(request, "surveys/mappings/list.jinja", {"mappings": mappings})


@manages_surveys
def mapping_create(request: HttpRequest) -> HttpResponse:
    # The form offers only the councils the user manages, so a valid form's council is one.
    form = MappingUploadForm(
        request.POST or None, request.FILES or None, councils=council_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            mapping = importing.create_mapping(
                name=form.cleaned_data["name"],
                la_code=form.cleaned_data["la_code"],
                instrument=form.cleaned_data["instrument"],
                sample=form.cleaned_data["sample"].read(),
                user=request.user,
            )
        except importing.CsvUnreadable as unreadable:
            form.add_error("sample", str(unreadable))
        else:
            return redirect("surveys:mapping-columns", mapping.pk)
    return form_page(request, "surveys/mappings/create.jinja", form)


@manages_mapping
def mapping_columns(request: HttpRequest, mapping: ColumnMapping) -> HttpResponse:
    """Step 2: for each column of the sample, the question it answers."""
    form = MappingColumnsForm(request.POST or None, mapping=mapping)
    if request.method == "POST" and form.is_valid():
        importing.update_columns(mapping=mapping, columns=form.columns(), user=request.user)
        if importing.coded_questions(mapping):
            return redirect("surveys:mapping-answers", mapping.pk)
        messages.success(request, f"Mapping {mapping.name} saved.")
        return redirect("surveys:mappings")
    samples = {
        f"column_{i}": ", ".join(mapping.sample_values.get(c, [])[:4])
        for i, c in enumerate(mapping.sample_columns)
    }
    return form_page(
        request, "surveys/mappings/columns.jinja", form, mapping=mapping, samples=samples
    )


@manages_mapping
def mapping_answers(request: HttpRequest, mapping: ColumnMapping) -> HttpResponse:
    """Step 3: for each answer wording in a mapped column, the coded answer it means."""
    instrument = load_instrument(mapping.instrument)
    coded = importing.coded_questions(mapping)
    groups = []
    errors: list[dict] = []
    posted: dict[str, dict[str, str]] = {}
    for c_index, (column, question_id) in enumerate(coded.items()):
        question = instrument.question(question_id)
        allowed = {v for v, _ in question.options}
        rows = []
        posted[column] = {}
        for v_index, (value, current) in enumerate(mapping.values.get(column, {}).items()):
            field = f"value_{c_index}_{v_index}"
            chosen = request.POST.get(field, current) if request.method == "POST" else current
            if request.method == "POST" and chosen not in allowed | {importing.NO_ANSWER}:
                errors.append(
                    {"text": f"Select what {value!r} in {column} means", "href": f"#{field}"}
                )
            posted[column][value] = chosen or ""
            rows.append(
                {
                    "field": field,
                    "value": value,
                    "error": request.method == "POST"
                    and chosen not in allowed | {importing.NO_ANSWER},
                    "items": [
                        {"value": "", "text": "Choose an answer", "selected": not chosen},
                        *[
                            {"value": v, "text": label, "selected": v == chosen}
                            for v, label in question.options
                        ],
                        {
                            "value": importing.NO_ANSWER,
                            "text": "Not an answer (store as blank)",
                            "selected": chosen == importing.NO_ANSWER,
                        },
                    ],
                }
            )
        groups.append({"column": column, "question": question, "rows": rows})
    if request.method == "POST" and not errors:
        importing.update_values(mapping=mapping, values=posted, user=request.user)
        messages.success(
            request, f"Mapping {mapping.name} saved. You can now import files with it."
        )
        return redirect("surveys:mappings")
    return page(
        request,
        "surveys/mappings/answers.jinja",
        {"mapping": mapping, "groups": groups, "error_list": errors},
        status=400 if errors else 200,
    )

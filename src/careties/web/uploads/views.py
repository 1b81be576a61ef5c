"""Upload, check, confirm, load: every kind of file careties imports, in the browser.

Every view declares ``careties.upload_data`` with ``access.requires``, for the
council of the form (``?la=``) or of the upload in the URL (404 for no such
upload); the error file download is audited like every export.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from careties.data.frames import KINDS
from careties.web import access
from careties.web.store.models import ImportBatch, LocalAuthority
from careties.web.store.services import record_audit

from . import permissions, progress, tasks
from .handlers import max_upload_bytes
from .models import Upload

#: What each kind of file is, in words (docs/data.md has the columns of each).
KIND_LABELS = {
    "local_authorities": "Councils (codes, names, regions)",
    "practices": "GP practices (careties layout or NHS Digital epraccur.csv)",
    "registered_patients": "Patients registered at each practice (NHS Digital)",
    "population": "Population aged 65 and over (ONS)",
    "professionals": "Professionals: GPs, social workers and teams",
    "events": "Care events (Adult Social Care Client Level Data)",
    "contacts": "Contacts between professionals",
    "survey_responses": "Survey answers collected in another tool",
    "services": "Local services (the directory)",
    "emergency_admissions": "Emergency admissions (Better Care Fund)",
    "discharges": "Hospital discharges (Better Care Fund)",
    "practice_deprivation": "Practice deprivation scores",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is in the file",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is in the file"},
    )
    file = forms.FileField(
        label="The file (CSV or XLSX)",
        error_messages={"required": "Select a file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, kind_label(k)) for k in KINDS]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if Path(file.name).suffix.lower() not in {".csv", ".xlsx", ".txt"}:
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        return file


def _council(request, *args, **kwargs) -> str:
    """The council the upload is for: ``?la=`` (or the form's ``la``) in the user's scope."""
    wanted = request.POST.get("la") or request.GET.get("la")
    codes = permissions.councils_for(request.user)
    if wanted and permissions.can_upload(request.user, wanted):
        return wanted
    if codes:
        return codes[0]
    first = LocalAuthority.objects.order_by("name").values_list("la_code", flat=True).first()
    if first and permissions.can_upload(request.user, first):
        return first
    raise Http404("Your account is not linked to a council.")


def _upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(file) -> tuple[Path, int]:
    """Keep the file under its own name (the importer replaces by file name, as the CLI does)."""
    target = _upload_dir() / Path(file.name).name
    if hasattr(file, "temporary_file_path"):
        # Already on disk (uploads.handlers): move it rather than copy 200 MB.
        import shutil

        shutil.move(file.temporary_file_path(), target)
        file.close()  # the temporary file is gone; Django's close allows for that
        return target, target.stat().st_size
    with target.open("wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    return target, target.stat().st_size


def _loaded(la_code: str) -> list[dict]:
    """The latest import of each kind, for the list of what is loaded."""
    seen: dict[str, ImportBatch] = {}
    for batch in ImportBatch.objects.order_by("-created_at")[:500]:
        seen.setdefault(batch.kind, batch)
    return [{"kind": kind_label(k), "batch": seen.get(k)} for k in KINDS]


_upload_of = access.council_of_row(Upload)


@login_required
@access.requires(permissions.UPLOAD, _council)
def index(request):
    la_code = _council(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if getattr(request, "careties_upload_too_large", False):
        form.add_error(
            "file",
            f"The file is larger than {max_upload_bytes() // 2**20:,} MB: split it by council "
            "or by year, or load it with careties import",
        )
    if request.method == "POST" and form.is_valid():
        path, size = _store(form.cleaned_data["file"])
        upload = Upload.objects.create(
            la_code=la_code,
            kind=form.cleaned_data["kind"],
            filename=path.name,
            path=str(path),
            size=size,
            user=request.user,
            stage="Waiting for the worker",
        )
        record_audit(
            action="import",
            what=f"upload of {upload.kind} {upload.filename}",
            user=request.user,
            la_code=la_code,
            detail=f"{size} bytes",
        )
        tasks.validate_upload.enqueue(upload.pk)
        return redirect("uploads:detail", upload.pk)
    return render(
        request,
        "uploads/index.jinja",
        {
            "form": form,
            "la_code": la_code,
            "uploads": Upload.objects.filter(la_code=la_code)[:20],
            "loaded": _loaded(la_code),
            "kind_label": kind_label,
            "kind_items": [
                {"value": v, "text": t, "checked": form.data.get("kind") == v}
                for v, t in form.fields["kind"].choices
            ],
            "error_list": [
                {"text": str(e), "href": "#kind" if name == "kind" else "#id_file"}
                for name, errors in form.errors.items()
                for e in errors
            ],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@access.requires(permissions.UPLOAD, _upload_of)
def detail(request, pk: int):
    upload = get_object_or_404(Upload, pk=pk)
    template = "uploads/_progress.jinja" if request.htmx else "uploads/detail.jinja"
    rows = progress.current(upload.path) if upload.working else None
    return render(
        request,
        template,
        {"upload": upload, "kind_label": kind_label, "la_code": upload.la_code, "rows": rows},
    )


@login_required
@require_POST
@access.requires(permissions.UPLOAD, _upload_of)
def confirm(request, pk: int):
    upload = get_object_or_404(Upload, pk=pk)
    if upload.status != Upload.Status.READY:
        return redirect("uploads:detail", upload.pk)
    upload.status = Upload.Status.IMPORTING
    upload.progress = 5
    upload.stage = "Waiting for the worker"
    upload.save()
    tasks.import_upload.enqueue(upload.pk)
    return redirect("uploads:detail", upload.pk)


@login_required
@access.requires(permissions.UPLOAD, _upload_of)
def errors_csv(request, pk: int):
    upload = get_object_or_404(Upload, pk=pk)
    path = tasks.errors_path(upload)
    if not path.is_file():
        raise Http404("This upload has no error file.")
    record_audit(
        action="export",
        what=f"error file of upload {upload.filename}",
        user=request.user,
        la_code=upload.la_code,
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{Path(upload.filename).stem}-errors.csv",
        content_type="text/csv",
    )

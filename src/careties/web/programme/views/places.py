"""Search by place: a council loads its postcode file; the directory finds services near a postcode."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect

from careties.planning.oruk_api import service_at_location_items
from careties.planning.places import PostcodeFileError, is_postcode
from careties.web.store.models import Service

from .. import places
from ..models import ServiceLocation
from ..permissions import MANAGE
from .common import council_url, council_view, file_problems, form_page

MAX_POSTCODE_BYTES = 200 * 1024 * 1024
METRES_PER_MILE = 1609.344


class PostcodeFileForm(forms.Form):
    file = forms.FileField(
        label="Postcode file (ONS Postcode Directory layout, CSV)",
        help_text="Your area's extract is enough. Columns read: pcds (or pcd), lat, long, "
        "doterm, oslaua; the others are ignored.",
        error_messages={"required": "Choose a postcode CSV file to load"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_POSTCODE_BYTES:
            raise forms.ValidationError("The file is larger than 200 MB; load your area's extract")
        return upload


class PlaceSearchForm(forms.Form):
    """Postcode and distance for the directory page (both optional, together)."""

    postcode = forms.CharField(required=False, max_length=10, label="Near postcode")
    within_miles = forms.DecimalField(
        required=False,
        min_value=0.1,
        max_value=100,
        decimal_places=1,
        label="Within (miles)",
        help_text="Leave empty to list the nearest first",
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if value and not is_postcode(value):
            raise forms.ValidationError("Enter a full UK postcode, like TS24 8AY")
        return value

    def clean(self):
        data = super().clean()
        if data.get("within_miles") and not data.get("postcode"):
            self.add_error("postcode", "Enter the postcode to measure the distance from")
        return data


def near(
    documents: list[dict], postcode: str, within_miles: float | None
) -> tuple[list[dict] | None, str]:
    """Service-at-location items near ``postcode`` (nearest first), or None and why not."""
    origin = places.postcode_centroid(postcode, documents)
    if origin is None:
        return None, (
            f"{postcode.upper()} is not in the council's postcode file nor at any service "
            "location, so distances cannot be measured from it."
        )
    proximity = within_miles * METRES_PER_MILE if within_miles else None
    items = service_at_location_items(documents, origin, proximity)
    for item in items:
        if "distance" in item:
            item["miles"] = round(item["distance"] / METRES_PER_MILE, 1)
    return items, ""


@council_view(MANAGE)
def load_postcodes(request, la_code: str):
    form = PostcodeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = places.load_postcodes(
                content=upload.read(), filename=upload.name, la_code=la_code, user=request.user
            )
        except PostcodeFileError as error:
            file_problems(form, error.problems)
        except UnicodeDecodeError:
            form.add_error("file", f"{upload.name} is not UTF-8 text; save it as UTF-8 CSV")
        else:
            return redirect(council_url("programme:directory", la_code, postcodes=count))
    return form_page(
        request,
        form,
        title="Load a postcode file",
        intro="A file in the ONS Postcode Directory's published layout places postcodes for "
        "the directory's search by distance. All of it is loaded, or nothing.",
        submit="Load",
        back="programme:directory",
        enctype="multipart/form-data",
        la_code=la_code,
    )


class ServiceLocationForm(forms.Form):
    name = forms.CharField(
        max_length=255,
        label="Name of the place",
        help_text="For example: Civic Centre, or Owton Manor Community Centre",
        error_messages={"required": "Enter the name of the place"},
    )
    postcode = forms.CharField(
        max_length=10,
        label="Postcode",
        error_messages={"required": "Enter the postcode of the place"},
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not is_postcode(value):
            raise forms.ValidationError("Enter a full UK postcode, like TS24 8AY")
        return value


@council_view(MANAGE)
def place_service(request, la_code: str, service_id: str):
    """Give a service made in careties a location, from the council's postcode file."""
    if not Service.objects.filter(service_id=service_id, la_code=la_code).exists():
        raise Http404("No such service in this council's directory.")
    current = ServiceLocation.objects.filter(service_id=service_id).first()
    initial = {"name": current.name, "postcode": current.postcode} if current else {}
    form = ServiceLocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        placed = places.set_location(
            service_id=service_id,
            la_code=la_code,
            name=form.cleaned_data["name"],
            postcode=form.cleaned_data["postcode"],
            user=request.user,
        )
        if placed is None:
            form.add_error(
                "postcode",
                "This postcode is not in the council's postcode file; load the file (Service "
                "directory, Load a postcode file) or check the postcode",
            )
        else:
            return redirect(council_url("programme:service", la_code, service_id))
    return form_page(
        request,
        form,
        title="Where is this service?",
        intro="Search by place finds a service near a postcode. Imported Open Referral UK "
        "services bring their own locations; give the others theirs here.",
        submit="Save",
        back="programme:directory",
        la_code=la_code,
    )

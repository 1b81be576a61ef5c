"""Dashboard URLs: pages per council, the regional view, and per-section data endpoints.

Each section has an htmx partial, a JSON endpoint and CSV/XLSX exports; all of
them go through the same access check and disclosure as the page.
"""

from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import views, worklist


class CouncilCode(StringConverter):
    """ONS local authority code: E + 8 digits."""

    regex = "E[0-9]{8}"


class PracticeCode(StringConverter):
    """ODS GP practice code: one letter and five digits."""

    regex = "[A-Z][0-9]{5}"


register_converter(CouncilCode, "council")
register_converter(PracticeCode, "practice")

COUNCIL = "council/<council:la_code>/"
SECTION = "sections/<slug:key>"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("methods/", views.methods, name="methods"),
    path(COUNCIL, views.council, name="council"),
    path(COUNCIL + "practices/", views.practices, name="practices"),
    path(COUNCIL + "practices/<practice:practice_code>/", views.practice, name="practice"),
    path(COUNCIL + "relationships/", views.area, {"page": "relationships"}, name="relationships"),
    path(COUNCIL + "surveys/", views.area, {"page": "surveys"}, name="surveys"),
    path(COUNCIL + "targeting/", worklist.targeting, name="targeting"),
    path(
        COUNCIL + "targeting/target-top-quartile/",
        worklist.target_top_quartile,
        name="target_top_quartile",
    ),
    path(COUNCIL + "report/bcf.<str:fmt>", views.bcf_report, name="bcf_report"),
    path(COUNCIL + SECTION + "/", views.section_partial, name="section_partial"),
    path(COUNCIL + SECTION + ".json", views.section_json, name="section_json"),
    path(COUNCIL + SECTION + ".<str:fmt>", views.section_export, name="section_export"),
    path("regional/", views.regional, name="regional"),
    path("regional/" + SECTION + "/", views.section_partial, name="regional_section_partial"),
    path("regional/" + SECTION + ".json", views.section_json, name="regional_section_json"),
    path(
        "regional/" + SECTION + ".<str:fmt>", views.section_export, name="regional_section_export"
    ),
]

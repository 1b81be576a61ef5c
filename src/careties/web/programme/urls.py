"""Programme pages, under /programme/ (the ORUK API paths are in careties.web.urls)."""

from django.urls import path

from .views import (
    activities,
    briefing,
    directory,
    evaluation,
    overview,
    places,
    plans,
    pledge,
    unit_costs,
)

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("settings/", overview.settings, name="settings"),
    path("savings-costs/", unit_costs.unit_costs, name="unit_costs"),
    path("savings-costs/edit/", unit_costs.edit_unit_costs, name="unit_costs_edit"),
    path("pledge/", pledge.pledge, name="pledge"),
    path("pledge/sign/", pledge.sign, name="pledge_sign"),
    path("pledge/<int:pk>/edit/", pledge.edit, name="pledge_edit"),
    path("adoption/", pledge.adoption, name="adoption"),
    path("plans/", plans.progress, name="plans"),
    path("plans/new/", plans.new, name="plan_new"),
    path("plans/<int:pk>/edit/", plans.edit, name="plan_edit"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/new/", activities.new, name="activity_new"),
    path("activities/<int:pk>/edit/", activities.edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.delete, name="activity_delete"),
    path("directory/", directory.search, name="directory"),
    path("directory/new/", directory.service_new, name="service_new"),
    path("directory/import/", directory.import_directory, name="directory_import"),
    path("directory/export.json", directory.export_directory, name="directory_export"),
    path("directory/signposts/", directory.signposts, name="signposts"),
    path("directory/postcodes/", places.load_postcodes, name="postcodes_load"),
    path("directory/<str:service_id>/", directory.detail, name="service"),
    path("directory/<str:service_id>/edit/", directory.service_edit, name="service_edit"),
    path("directory/<str:service_id>/location/", places.place_service, name="service_location"),
    path("evaluation/", evaluation.evaluation, name="evaluation"),
    path("practices/", briefing.practice_list, name="practice_briefings"),
    path("practices/<str:practice_code>/", briefing.practice_detail, name="practice_briefing"),
]

"""Open Referral UK API paths, included by careties.web.urls at /api/oruk/.

Every path of the UK profile's OpenAPI, plus ``openapi.json`` (the stored copy
of the profile's OpenAPI, which the root's ``openapi_url`` points at). Any
other path under the API answers a JSON 404, not the site's HTML page.
"""

from django.urls import path, re_path

from .views import api

urlpatterns = [
    path("", api.root, name="oruk_root"),
    path("openapi.json", api.openapi, name="oruk_openapi"),
    path("services", api.service_list, name="oruk_services"),
    path("services/<str:service_id>", api.service_detail, name="oruk_service"),
    path("taxonomies", api.taxonomy_list, name="oruk_taxonomies"),
    path("taxonomies/<str:taxonomy_id>", api.taxonomy_detail, name="oruk_taxonomy"),
    path("taxonomy_terms", api.taxonomy_term_list, name="oruk_taxonomy_terms"),
    path("taxonomy_terms/<str:term_id>", api.taxonomy_term_detail, name="oruk_taxonomy_term"),
    path("service_at_locations", api.service_at_location_list, name="oruk_service_at_locations"),
    path(
        "service_at_locations/<str:sal_id>",
        api.service_at_location_detail,
        name="oruk_service_at_location",
    ),
    re_path(r"^.*$", api.not_found),
]

"""Survey collection URLs: the anonymous survey under /s/, council pages under /surveys/."""

from django.urls import path

from .views import admin, council, mappings, respond

app_name = "surveys"

urlpatterns = [
    # Anonymous respondents: the token is the only key.
    path("s/<str:token>/", respond.start, name="start"),
    path("s/<str:token>/section/<int:number>/", respond.section, name="section"),
    path("s/<str:token>/saved/", respond.saved, name="saved"),
    path("s/<str:token>/resume/", respond.resume, name="resume-lookup"),
    path("s/<str:token>/resume/<str:code>/", respond.resume, name="resume"),
    path("s/<str:token>/thank-you/", respond.thanks, name="thanks"),
    # Council roles.
    path("surveys/", council.wave_list, name="waves"),
    path("surveys/waves/new/", council.wave_create, name="wave-create"),
    path("surveys/waves/<int:pk>/", council.wave_detail, name="wave"),
    path("surveys/waves/<int:pk>/edit/", council.wave_edit, name="wave-edit"),
    path("surveys/waves/<int:pk>/links/new/", council.link_create, name="link-create"),
    path("surveys/waves/<int:pk>/links.csv", council.links_csv, name="links-csv"),
    path("surveys/waves/<int:pk>/results/", council.wave_results, name="results"),
    path("surveys/waves/<int:pk>/import/", council.wave_import, name="import"),
    path("surveys/waves/<int:pk>/invite/", admin.invite, name="invite"),
    path("surveys/waves/<int:pk>/letters.pdf", admin.letters, name="letters"),
    path("surveys/waves/<int:pk>/rates/", admin.rates, name="rates"),
    path("surveys/waves/<int:pk>/reminders/", admin.reminders, name="reminders"),
    path("surveys/waves/<int:pk>/close/", admin.close, name="close"),
    path("surveys/waves/<int:pk>/reopen/", admin.reopen, name="reopen"),
    path("surveys/mappings/", mappings.mapping_list, name="mappings"),
    path("surveys/mappings/new/", mappings.mapping_create, name="mapping-create"),
    path("surveys/mappings/<int:pk>/columns/", mappings.mapping_columns, name="mapping-columns"),
    path("surveys/mappings/<int:pk>/answers/", mappings.mapping_answers, name="mapping-answers"),
]

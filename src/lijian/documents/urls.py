from django.urls import path

from . import official_views, views

app_name = "documents"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/import/", views.ledger_upload, name="ledger_upload"),
    path("ledger/import/<int:pk>/", views.job, name="job"),
    path("ledger/import/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("ledger/import/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
    path("ledger/import/<int:pk>/errors-link/", views.job_errors_link, name="job_errors_link"),
    path("ledger/export/", views.ledger_download, name="ledger_download"),
    path("official/", official_views.official_list, name="official_list"),
    path("official/new/", official_views.official_new, name="official_new"),
    path("official/<int:pk>/", official_views.official_detail, name="official"),
    path("official/<int:pk>/wording/", official_views.official_wording, name="official_wording"),
    path("official/<int:pk>/regenerate/", official_views.official_regenerate, name="official_regenerate"),
    path("official/<int:pk>/issue/", official_views.official_issue, name="official_issue"),
    path("official/versions/<int:pk>/", official_views.official_version, name="official_version"),
    path("official/versions/<int:pk>/<str:fmt>/", official_views.official_download, name="official_download"),
]

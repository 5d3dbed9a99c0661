from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/import/", views.ledger_upload, name="ledger_upload"),
    path("ledger/import/<int:pk>/", views.job, name="job"),
    path("ledger/export/", views.ledger_download, name="ledger_download"),
]

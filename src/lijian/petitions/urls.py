from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.petitions, name="list"),
    path("new/", views.petition_create, name="create"),
    path("<int:pk>/", views.petition_detail, name="petition"),
    path("<int:pk>/reveal/", views.petition_reveal, name="reveal"),
    path("<int:pk>/do/<str:action>/", views.petition_action, name="action"),
]

public_urlpatterns = [
    path("report/<str:token>/", views.public_report, name="public_report"),
    path("status/", views.public_status, name="public_status"),
]

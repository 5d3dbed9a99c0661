from django.urls import path

from . import record_views, views

app_name = "governance"
urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/instruct/", views.meeting_instruct, name="meeting_instruct"),
    path("instructions/", views.instructions, name="instructions"),
    path("instructions/<int:pk>/<str:action>/", views.instruction_action, name="instruction_action"),
    path("regulations/", record_views.regulations, name="regulations"),
    path("regulations/new/", record_views.regulation_create, name="regulation_create"),
    path("regulations/<int:pk>/", record_views.regulation_detail, name="regulation"),
    path("regulations/<int:pk>/edit/", record_views.regulation_edit, name="regulation_edit"),
    path("regulations/<int:pk>/<str:action>/", record_views.regulation_action, name="regulation_action"),
    path("exposures/", record_views.exposures, name="exposures"),
    path("exposures/new/", record_views.exposure_create, name="exposure_create"),
    path("exposures/<int:pk>/", record_views.exposure_detail, name="exposure"),
    path("exposures/<int:pk>/edit/", record_views.exposure_edit, name="exposure_edit"),
]

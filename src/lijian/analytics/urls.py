from django.urls import path

from . import cockpit_views, common_views, views

app_name = "analytics"
urlpatterns = [
    path("bodies/<int:pk>/", views.body_figures_page, name="body"),
    path("bodies/<int:pk>/figures/<str:key>/", views.figure_records, name="records"),
    path("common-problems/", common_views.common_problems, name="common"),
    path("common-problems/groups/<str:key>/", common_views.common_group, name="common_group"),
    path("common-problems/groups/<str:key>/propose/", common_views.common_propose, name="common_propose"),
    path(
        "common-problems/rounds/<int:pk>/targets/",
        common_views.common_round_targets,
        name="common_round_targets",
    ),
    path("common-problems/proposals/<int:pk>/", common_views.common_proposal, name="common_proposal"),
    path("cockpit/", cockpit_views.cockpit, name="cockpit"),
    path(
        "bodies/<int:pk>/cockpit/<str:chart>/<str:mark>/",
        cockpit_views.cockpit_records,
        name="cockpit_records",
    ),
]

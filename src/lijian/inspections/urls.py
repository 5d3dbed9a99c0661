from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("my-group/", views.my_group, name="my_group"),
    path("bodies/<int:pk>/new-round/", views.round_create, name="round_create"),
    path("bodies/<int:pk>/term-plan/", views.term_plan, name="term_plan"),
    path("bodies/<int:pk>/term-plan/round/", views.term_plan_create_round, name="term_plan_round"),
    path("bodies/<int:pk>/risk/", views.risk_set, name="risk_set"),
    path("bodies/<int:pk>/rules/", views.rules_edit, name="rules"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/reopen-staffing/", views.round_reopen_staffing, name="round_reopen_staffing"),
    path("rounds/<int:pk>/targets/", views.round_add_targets, name="round_add_targets"),
    path(
        "rounds/<int:pk>/targets/<int:inspection>/remove/",
        views.round_remove_target,
        name="round_remove_target",
    ),
    path("rounds/<int:pk>/plan/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/", views.plan_status, name="plan"),
    path("plans/<int:pk>/member/", views.plan_member, name="plan_member"),
    path("plans/<int:pk>/confirm/", views.plan_confirm, name="plan_confirm"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/stage/<str:action>/", views.inspection_stage, name="inspection_stage"),
    path("inspections/<int:pk>/activities/", views.activity_record, name="activity_record"),
]

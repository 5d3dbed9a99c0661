from django.urls import path

from . import reference_views, views

app_name = "findings"
urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/<str:action>/", views.problem_review, name="problem_review"),
    path("inspections/<int:pk>/new-problem/", views.problem_create, name="problem_create"),
    path("inspections/<int:pk>/new-clue/", views.clue_create, name="clue_create"),
    path("clues/", views.clues, name="clues"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("clues/<int:pk>/sheet/", views.clue_sheet, name="clue_sheet"),
    path("clues/<int:pk>/do/<str:action>/", views.clue_action, name="clue_action"),
    path("<str:kind>/<int:pk>/attach/", views.attach, name="attach"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("taxonomy/", reference_views.taxonomy, name="taxonomy"),
    path("taxonomy/<int:pk>/<str:action>/", reference_views.taxonomy_edit, name="taxonomy_edit"),
    path("departments/", reference_views.departments, name="departments"),
    path("departments/<int:pk>/staff/", reference_views.department_staff, name="department_staff"),
]

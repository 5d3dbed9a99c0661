from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/do/<str:action>/", views.review_action, name="review_action"),
    path("reviews/<int:pk>/files/", views.review_attach, name="review_attach"),
    path("files/<int:pk>/", views.review_file, name="review_file"),
    path("self-inspections/", views.self_inspections, name="self_inspections"),
    path("self-inspections/new/", views.self_inspection_new, name="self_inspection_new"),
    path("self-inspections/<int:pk>/", views.self_inspection_detail, name="self_inspection"),
    path(
        "self-inspections/<int:pk>/do/<str:action>/",
        views.self_inspection_action,
        name="self_inspection_action",
    ),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/do/<str:action>/", views.assessment_action, name="assessment_action"),
    path("candidates/<int:pk>/<str:action>/", views.candidate_action, name="candidate_action"),
]

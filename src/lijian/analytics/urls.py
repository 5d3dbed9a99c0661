from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("bodies/<int:pk>/", views.body_figures_page, name="body"),
    path("bodies/<int:pk>/figures/<str:key>/", views.figure_records, name="records"),
]

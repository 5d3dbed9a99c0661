"""Instruction pages, mounted under ``/findings/`` by ``lijian.urls`` (their addresses predate the move)."""

from django.urls import path

from . import views

# The application namespace is the findings area's, so the menu marks findings on these pages as it
# did before; ``lijian.urls`` mounts them under the instance namespace ``instructions``.
app_name = "findings"
urlpatterns = [
    path("<str:kind>/<int:pk>/instruct/", views.instruction_give, name="give"),
    path("instructions/", views.instructions, name="list"),
    path("instructions/<int:pk>/<str:action>/", views.instruction_action, name="action"),
]

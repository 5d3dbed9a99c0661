from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("pick/", views.pick, name="pick"),
    path("<int:pk>/", views.cadre, name="cadre"),
    path("<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("<int:pk>/conflicts/", views.conflict_declare, name="conflict_declare"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    path("<int:pk>/absences/", views.absence_declare, name="absence_declare"),
    path("absences/<int:pk>/withdraw/", views.absence_withdraw, name="absence_withdraw"),
]

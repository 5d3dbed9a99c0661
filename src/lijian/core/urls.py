from django.urls import path

from . import audit_views, notice_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/read/", notice_views.notice_read, name="notices_read"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice"),
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("reference/", views.reference_tables, name="reference"),
    path("reference/<str:key>/", views.reference_table, name="reference_table"),
    path("reference/<str:key>/<int:pk>/", views.reference_table, name="reference_entry"),
]

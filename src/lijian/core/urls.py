from django.urls import path

from . import audit_views, message_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("notices/", message_views.message_list, name="messages"),
    path("notices/read/", message_views.message_read, name="messages_read"),
    path("notices/<int:pk>/", message_views.message_detail, name="message"),
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("reference/", views.reference_tables, name="reference"),
    path("reference/<str:key>/", views.reference_table, name="reference_table"),
    path("reference/<str:key>/<int:pk>/", views.reference_table, name="reference_entry"),
]

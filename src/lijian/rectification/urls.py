from django.urls import path

from . import liaison_views, office_views, views

app_name = "rectification"
urlpatterns = [
    path("", views.index, name="index"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/feedback/", views.feedback_give, name="feedback_give"),
    path("inspections/<int:pk>/feedback.docx", views.feedback_document, name="feedback_document"),
    path("inspections/<int:pk>/report/<str:kind>/", views.report_submit, name="report_submit"),
    path("inspections/<int:pk>/supervise/", office_views.supervise, name="supervise"),
    path("inspections/<int:pk>/evaluate/", office_views.evaluate, name="evaluate"),
    path("inspections/<int:pk>/disclose/", office_views.disclose, name="disclose"),
    path("inspections/<int:pk>/liaison/", liaison_views.liaison_new, name="liaison_new"),
    path("reports/<int:pk>.docx", views.report_document, name="report_document"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/tasks/new/", views.task_add, name="task_add"),
    path("problems/<int:pk>/move/<str:action>/", views.problem_move, name="problem_move"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task_action"),
    path("files/<int:pk>/", views.evidence_download, name="evidence"),
    path("self-criticisms/", office_views.self_criticisms, name="self_criticisms"),
    path("self-criticisms/<int:pk>/", office_views.self_criticism_detail, name="self_criticism"),
    path("interviews/", office_views.interviews, name="interviews"),
    path("interviews/new/", office_views.interview_new, name="interview_new"),
    path("accountability/", office_views.accountability, name="accountability"),
    path("accountability/new/", office_views.accountability_new, name="accountability_new"),
    path("evaluations/", office_views.evaluations, name="evaluations"),
    path("disclosures/", office_views.disclosures, name="disclosures"),
    path("disclosures/<int:pk>/withdraw/", office_views.disclosure_take_down, name="disclosure_withdraw"),
]

public_urlpatterns = [
    path("rectification/<path:code>/", office_views.public_disclosures, name="public_rectification"),
]

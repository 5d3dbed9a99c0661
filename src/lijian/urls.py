from django.urls import include, path

from lijian.core.api import api, routers_mount
from lijian.petitions.urls import public_urlpatterns
from lijian.rectification.urls import public_urlpatterns as public_rectification

urlpatterns = [
    path("", include("lijian.core.urls")),
    path("accounts/", include("lijian.accounts.urls")),
    path("orgs/", include("lijian.orgs.urls")),
    path("documents/", include("lijian.documents.urls")),
    path("inspections/", include("lijian.inspections.urls")),
    path("findings/", include("lijian.findings.urls")),
    path("findings/", include("lijian.rectification.instructions.urls", namespace="instructions")),
    path("petitions/", include("lijian.petitions.urls")),
    path("rectification/", include("lijian.rectification.urls")),
    path("public/", include(public_urlpatterns + public_rectification)),
    path("people/", include("lijian.people.urls")),
    path("analytics/", include("lijian.analytics.urls")),
    path("governance/", include("lijian.governance.urls")),
    path("guidance/", include("lijian.guidance.urls")),
    path("api/", routers_mount(api).urls),  # the routers the apps registered in ready()
]

handler400 = "lijian.core.errors.bad_request"
handler403 = "lijian.core.errors.permission_denied"
handler404 = "lijian.core.errors.page_not_found"

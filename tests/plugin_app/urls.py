"""The site's URLs with the plugin's page, and an API built from the routers registered now (the
site's own API took its routers at start-up: ninja takes none afterwards)."""

from django.urls import include, path

from lijian import urls as site
from lijian.core.api import api_new, routers_mount

api = routers_mount(api_new())
urlpatterns = [p for p in site.urlpatterns if str(p.pattern) != "api/"] + [
    path("api/", api.urls),
    path("plugin/", include("tests.plugin_app.content")),
]
handler400, handler403, handler404 = site.handler400, site.handler403, site.handler404

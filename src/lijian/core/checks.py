from django.conf import settings
from django.core import checks

from . import routes


@checks.register(checks.Tags.security)
def every_route_declares_a_permission(app_configs, **kwargs):
    """Deny by default: a route without a declared permission stops the server from starting."""
    return [
        checks.Error(
            f"{route} declares no permission",
            hint="decorate it with lijian.core.permissions.requires / api_requires",
            id="lijian.E001",
        )
        for route in routes.undeclared_routes()
    ]


@checks.register(checks.Tags.security, deploy=True)
def a_reverse_proxy_names_its_clients(app_configs, **kwargs):
    """Behind a reverse proxy (``LIJIAN_PROXY=1``) without ``LIJIAN_TRUSTED_PROXIES`` every citizen
    arrives from the proxy's address and shares one allowance on the public pages."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(settings, "TRUSTED_PROXIES", None):
        return [
            checks.Warning(
                "LIJIAN_PROXY is set but LIJIAN_TRUSTED_PROXIES is empty: every client counts as the proxy's "
                "address, so one person can use up the public pages' limits for everyone",
                hint="set LIJIAN_TRUSTED_PROXIES to the proxy's address or network (docs/security.md)",
                id="lijian.W001",
            )
        ]
    return []

from django.core import checks


@checks.register(checks.Tags.security)
def every_route_declares_a_permission(app_configs, **kwargs):
    """Deny by default: a route without a declared permission stops the server from starting."""
    from .routes import undeclared_routes

    return [
        checks.Error(
            f"{route} declares no permission",
            hint="decorate it with lijian.core.permissions.requires / api_requires",
            id="lijian.E001",
        )
        for route in undeclared_routes()
    ]

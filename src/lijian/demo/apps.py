from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Tianjin demonstration world (``lijian demo``): no models, no pages; installed for its command."""

    name = "lijian.demo"
    label = "demo"

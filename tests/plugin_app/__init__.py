"""An app added the way every app is: it registers a router, a daily step, a menu entry and a panel on
an organisation's page from its ``AppConfig.ready()``, and no file in ``lijian/core`` names it
(``test_plugin_app.py`` installs it with ``override_settings(INSTALLED_APPS=…)``)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (``manage.py load_demo``), built through every app's services.

    Installed after the domain apps, so that it may import all of them; no domain app imports it.
    """

    name = "demo"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评价")

    def ready(self):
        from assessments import demo
        from responsibilities.demo import DEMO_BUILDERS

        DEMO_BUILDERS.append(demo.build)

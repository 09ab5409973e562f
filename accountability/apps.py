from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from accountability import demo
        from accountability.views import eligibility_panel
        from responsibilities.demo import DEMO_BUILDERS
        from responsibilities.panels import register_person_panel

        register_person_panel(eligibility_panel)
        DEMO_BUILDERS.append(demo.build)

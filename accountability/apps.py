from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from accountability import permissions  # noqa: F401  (registers its rules and menu flag)
        from accountability.views import eligibility_panel
        from core.panels import register_person_panel

        register_person_panel(eligibility_panel)
        from accountability.models import Case
        from core.history import register_history

        register_history("case", Case, Case.objects.for_user)

        from accountability import worklist
        from core.worklist import register_done, register_todo

        register_todo(worklist.todo, order=30)
        register_done(worklist.done)

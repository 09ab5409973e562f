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
        from accountability.dashboard import dashboard_sections
        from core.panels import register_dashboard_sections

        register_dashboard_sections(dashboard_sections)
        from responsibilities.escalations import register_intervention_source

        register_intervention_source(intervention_after_deadline)
        from accountability.models import Case, Decision, Situation
        from core.history import register_history, register_link_history

        register_history("case", Case, Case.objects.handled_by)
        register_link_history(Case, Case.situations.field)
        register_link_history(Case, Decision.measures.field, to_record="decision__case")
        # The negative list is public, as its page is.
        register_history("situation", Situation, Situation.objects.for_user)
        register_link_history(Situation, Situation.failed_items.field)

        from accountability import worklist
        from core.worklist import register_done, register_todo

        register_todo(worklist.todo, order=30)
        register_done(worklist.done)

        from core.navigation import register_menu_entry

        register_menu_entry(
            "workbench", _("预警提醒"), "accountability:early_warning", flag="nav_early_warning", order=20
        )
        register_menu_entry(
            "accountability", _("问责案件"), "accountability:case_list", flag="nav_handles_cases", order=10
        )
        register_menu_entry(
            "accountability", _("资格筛查"), "accountability:screening", flag="nav_handles_cases", order=20
        )
        register_menu_entry("accountability", _("负面清单"), "accountability:negative_list", order=30)
        register_menu_entry("accountability", _("问责规则"), "accountability:rule_set_list", order=40)

        from accountability.selectors import cases_matching, register_pickers

        register_pickers()

        from core.search import register_search

        register_search("cases", _("问责案件"), cases_matching, order=50)

        from django.db.models.signals import post_save

        from responsibilities.models import Organisation

        post_save.connect(adopt_default_rules, sender=Organisation, dispatch_uid="accountability_default_rules")


def adopt_default_rules(sender, instance, created, raw=False, **kwargs):
    """A new top-level organisation adopts the product's default rule set (the article's): the
    organisation app knows nothing of accountability, so accountability listens."""
    if created and not raw and instance.depth == 1:
        from accountability.services import adopt_default_for_root

        adopt_default_for_root(instance)


def intervention_after_deadline():
    """For the 蓝黄红 rule: an intervention about the task (``OuterRef("pk")``) recorded after its deadline."""
    from django.db.models import Exists, OuterRef

    from accountability.models import Intervention

    return Exists(Intervention.objects.filter(task=OuterRef("pk"), date__gt=OuterRef("deadline")))

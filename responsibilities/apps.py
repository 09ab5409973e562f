from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = _("责任清单")

    def ready(self):
        from core.history import register_history
        from responsibilities import (
            duty_notifications,  # noqa: F401  (registers the 履责纪实 event)
            order_notifications,  # noqa: F401  (registers the 督办 events)
            problem_notifications,  # noqa: F401  (registers the 问题清单 events)
            weekly,  # noqa: F401  (registers the weekly digest's event)
        )
        from responsibilities.models import (
            DutyRecord,
            IssuedTask,
            Organisation,
            Person,
            Problem,
            ResponsibilityList,
            Task,
            TeamMembership,
            TemplateItem,
        )
        from responsibilities.services.lists import personal_lists_for_new_member
        from responsibilities.signals import membership_added

        for key, model in (
            ("organisation", Organisation),
            ("person", Person),
            ("membership", TeamMembership),
            ("list", ResponsibilityList),
            ("task", Task),
            ("issued", IssuedTask),
            ("problem", Problem),
            ("duty", DutyRecord),
            # The template's words are public to every user, as the template pages are.
            ("template_item", TemplateItem),
        ):
            register_history(key, model, model.objects.for_user)
        from core.history import register_link_history

        register_link_history(Problem, Problem.items.field)
        register_link_history(DutyRecord, DutyRecord.items.field)

        # A member added to a team gets the personal lists of the years under way (lists half).
        membership_added.connect(
            lambda sender, membership, **kwargs: personal_lists_for_new_member(membership),
            dispatch_uid="personal_lists_for_new_member",
            weak=False,
        )

        from core.worklist import register_done, register_todo, register_workbench_panel
        from responsibilities import worklist

        register_todo(worklist.lists_todo, order=10)
        register_todo(worklist.tasks_todo, order=20)
        register_todo(worklist.notes_todo, order=25)
        register_todo(worklist.orders_todo, order=15)
        register_todo(worklist.problems_todo, order=17)
        register_todo(worklist.signing_todo, order=12)
        register_todo(worklist.without_secretary_todo, order=80)
        register_workbench_panel(worklist.profile_panel)
        register_done(worklist.lists_done)
        register_done(worklist.orders_done)
        register_done(worklist.problems_done)

        from core.panels import register_dashboard_sections
        from responsibilities import permissions  # noqa: F401  (registers the 驾驶舱 menu flag)
        from responsibilities.selectors.dashboard import completion_sections

        register_dashboard_sections(completion_sections)

        from core.navigation import register_menu_entry

        register_menu_entry("workbench", _("驾驶舱"), "responsibilities:dashboard_home", flag="nav_dashboard", order=30)

        register_menu_entry(
            "lists", _("我的责任清单"), "responsibilities:my_checklist", flag="nav_has_checklist", order=10
        )
        register_menu_entry("lists", _("履责纪实"), "responsibilities:duty_list", order=15)
        register_menu_entry("lists", _("督办"), "responsibilities:order_list", order=20)
        register_menu_entry("lists", _("下发的任务"), "responsibilities:issued_task_list", order=22)
        register_menu_entry("lists", _("问题清单"), "responsibilities:problem_list", order=25)
        register_menu_entry("lists", _("清单模板"), "responsibilities:template_list", order=30)
        register_menu_entry("reference", _("组织架构"), "responsibilities:organisation_tree", order=10)
        register_menu_entry("reference", _("干部名册"), "responsibilities:person_list", order=20)

        from responsibilities.selectors import pickers

        pickers.register()

        from core.search import register_search
        from responsibilities.selectors import search

        register_search("organisations", _("党组织"), search.organisations_matching, order=10)
        register_search("people", _("干部"), search.people_matching, order=20)
        register_search("tasks", _("具体任务"), search.tasks_matching, order=30)
        register_search("problems", _("问题"), search.problems_matching, order=35)
        register_search("duty_records", _("履责纪实"), search.duty_records_matching, order=38)

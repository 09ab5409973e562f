from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评价")

    def ready(self):
        from assessments import report_notifications  # noqa: F401  (registers the report's events)
        from assessments.annual_report import register_builtin_sections
        from assessments.models import (
            AnnualReport,
            EvaluationRound,
            Hearing,
            HearingReport,
            Indicator,
            Inspection,
            Result,
            Scheme,
        )
        from core.history import register_history, register_link_history

        for key, model in (
            ("scheme", Scheme),
            ("indicator", Indicator),
            ("inspection", Inspection),
            ("round", EvaluationRound),
            ("result", Result),
            ("hearing", Hearing),
            ("hearing_report", HearingReport),
            ("annual_report", AnnualReport),
        ):
            register_history(key, model, model.objects.for_user)
        register_link_history(Scheme, Scheme.targets.field)
        register_link_history(Indicator, Indicator.list_items.field)

        from assessments import worklist
        from core.worklist import register_done, register_todo

        register_todo(worklist.todo, order=40)
        register_todo(worklist.hearing_todo, order=45)
        register_todo(worklist.reports_todo, order=12)
        register_done(worklist.done)
        register_done(worklist.hearing_done)
        register_done(worklist.reports_done)

        from assessments.dashboard import dashboard_sections
        from core.panels import register_dashboard_sections

        register_dashboard_sections(dashboard_sections)

        from core.navigation import register_menu_entry

        register_menu_entry("assessments", _("考核方案"), "assessments:scheme_list", order=10)
        register_menu_entry("assessments", _("述责述廉"), "assessments:hearing_list", order=20)
        register_menu_entry("assessments", _("年度主体责任报告"), "assessments:report_list", order=40)

        from assessments.views import hearing_panel
        from core.panels import register_person_panel

        register_person_panel(hearing_panel)

        # The annual report's sections drafted from the year's data (another app may register more).
        register_builtin_sections()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评价")

    def ready(self):
        from assessments.models import EvaluationRound, Indicator, Inspection, Result, Scheme
        from responsibilities import scope
        from responsibilities.history import register_history

        def schemes(user):
            return Scheme.objects.for_user(user)

        register_history("scheme", Scheme, schemes)
        register_history("indicator", Indicator, lambda user: Indicator.objects.filter(scheme__in=schemes(user)))

        def inspections(user):
            # The assessing level sees every inspection; an assessed organisation only its own.
            paths = scope.scope_paths(user, scope.VIEW)
            return Inspection.objects.filter(
                scope.within(paths, field="scheme__assessor__path") | scope.within(paths, field="organisation__path")
            )

        register_history("inspection", Inspection, inspections)

        def assessed(model):
            # Like the round and result pages: the assessing level sees all, an assessed organisation its own.
            def visible_to(user):
                paths = scope.scope_paths(user, scope.VIEW)
                return model.objects.filter(
                    scope.within(paths, field="scheme__assessor__path")
                    | scope.within(paths, field="organisation__path")
                )

            return visible_to

        register_history("round", EvaluationRound, assessed(EvaluationRound))
        register_history("result", Result, assessed(Result))

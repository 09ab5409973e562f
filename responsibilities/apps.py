from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = _("责任清单")

    def ready(self):
        from django.utils import timezone

        from core.history import register_history
        from responsibilities.models import (
            IssuedTask,
            Organisation,
            Person,
            ResponsibilityList,
            Task,
            TeamMembership,
            TemplateItem,
        )
        from responsibilities.selectors.lists import issued_tasks_visible_to, lists_visible_to

        def lists(user):
            return lists_visible_to(user, timezone.localdate())

        register_history("organisation", Organisation, lambda user: Organisation.objects.for_user(user))
        register_history("person", Person, lambda user: Person.objects.for_user(user))
        register_history("membership", TeamMembership, lambda user: TeamMembership.objects.for_user(user))
        register_history("list", ResponsibilityList, lists)
        register_history("task", Task, lambda user: Task.objects.filter(item__responsibility_list__in=lists(user)))
        register_history("issued", IssuedTask, issued_tasks_visible_to)
        # The template's words are public to every user, as the template pages are.
        register_history("template_item", TemplateItem, lambda user: TemplateItem.objects.all())

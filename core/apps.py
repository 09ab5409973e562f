from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every domain app stands on; it imports none of them."""

    name = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.views import remember_preferences

        user_logged_in.connect(remember_preferences, dispatch_uid="core.remember_preferences")

        from core.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="core.stamp_login")

        from core import worklist

        worklist.register_todo(worklist.jobs_todo, order=90)
        worklist.register_done(worklist.jobs_done)

        from core.navigation import register_menu_entry

        register_menu_entry("workbench", _("我的工作台"), "home", order=10)
        register_menu_entry("workbench", _("我的任务"), "core:job_list", order=90)
        register_menu_entry("system", _("后台管理"), "admin:index", flag="nav_admin", order=10)

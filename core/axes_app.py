"""django-axes under a Chinese name in the admin (issue 16: the admin fully Chinese, the login-throttling
pages included). Its labels are translated in locale/zh_Hans (django-axes ships no Chinese catalogue)."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("登录记录与锁定")

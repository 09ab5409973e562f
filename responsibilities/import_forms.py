"""The form of the task import page: an .xlsx file, and a reason once the list is confirmed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from responsibilities.list_forms import ReasonMixin


class TaskImportForm(StyledFormMixin, ReasonMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("请使用本页提供的导入模板填写；一次最多 1000 行。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )
    field_order = ["file", "reason"]

    def __init__(self, *args, responsibility_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_reason(responsibility_list)

"""Forms of 督办: issuing, answering with files, 办结 or return, and the list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, MultipleFileField, StyledFormMixin, VersionField
from responsibilities.models import OrderSubject, SupervisionOrder


class OrderForm(StyledFormMixin, forms.ModelForm):
    recipients = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("承办单位"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个下级组织。"), "invalid_choice": _("只能向本组织的下级组织督办。")},
    )
    person = forms.ModelChoiceField(
        queryset=None, label=_("指定责任人（可选）"), required=False, help_text=_("只选一个承办单位时可指定。")
    )
    tasks = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("相关任务（可选）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("下级组织逾期未完成的任务，最多列出 200 项。"),
        error_messages={"invalid_choice": _("相关任务须是承办单位（含下级）责任清单中的任务。")},
    )

    class Meta:
        model = SupervisionOrder
        fields = ["title", "subject", "text", "reply_by"]
        widgets = {"reply_by": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, issuer, candidates, people, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = OrderSubject.choices
        self.fields["recipients"].queryset = candidates
        # Indented by depth below the issuer (its children flush left).
        self.fields["recipients"].label_from_instance = lambda org: f"{'　' * (org.depth - issuer.depth - 1)}{org.name}"
        self.fields["person"].queryset = people
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda task: (
            f"{task.item.responsibility_list.organisation.name} · {task.title}（{task.deadline:%Y-%m-%d}）"
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.home_organisation.name}）"

    def _post_clean(self):
        pass  # the service validates the order as a whole


class AnswerForm(StyledFormMixin, forms.Form):
    version = VersionField()
    answer = forms.CharField(label=_("反馈内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("佐证材料（可多选）"), required=False)


class CloseForm(StyledFormMixin, forms.Form):
    version = VersionField()
    action = forms.ChoiceField(choices=[("accept", _("办结")), ("return", _("退回"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("退回原因"), max_length=2000, required=False)

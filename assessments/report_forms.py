"""Forms of the annual 主体责任 report: drafting, editing and the status moves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import ReportStatus
from core.forms import StyledFormMixin, VersionField


class ReportDraftForm(StyledFormMixin, forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class ReportEditForm(StyledFormMixin, forms.Form):
    version = VersionField()
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("每段一行；一级标题以“一、”开头，二级标题以“（一）”开头；“【请填写】”处须补充后才能提交。"),
    )
    issuer_name = forms.CharField(label=_("落款单位"), max_length=100)


class ReportMoveForm(StyledFormMixin, forms.Form):
    version = VersionField()
    target = forms.ChoiceField(choices=ReportStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("退回原因"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportYearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    org = forms.IntegerField(required=False)

"""Forms of 问题清单 and 整改: recording a problem, a measure, a progress report with files, 提请复核,
复核 (销号 or return), and the list's filters. The services validate; these forms read the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import pickers
from core.forms import DateInput, MultipleFileField, StyledFormMixin, VersionField
from responsibilities.models import ProblemSource


def person_label(person) -> str:
    return f"{person.name}（{person.post}）" if person.post else person.name


class ProblemForm(StyledFormMixin, forms.Form):
    found_by = forms.ModelChoiceField(queryset=None, label=_("发现单位"), empty_label=None)
    source = forms.ChoiceField(label=_("问题来源"), choices=ProblemSource.choices)
    source_detail = forms.CharField(
        label=_("来源说明"), max_length=300, required=False, help_text=_("例如：2026 年专项巡察反馈第 3 条。")
    )
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    person = forms.ModelChoiceField(queryset=None, label=_("责任人（可选）"), required=False)
    items = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("涉及的责任事项（可选）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("涉及的责任事项须是整改单位责任清单中的事项。")},
    )
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())
    long_term = forms.BooleanField(
        label=_("长期整改"), required=False, help_text=_("整改时限超过一年的问题，以阶段性目标推进。")
    )

    def __init__(self, *args, finders, people, items, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_by"].queryset = finders
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = person_label
        if within is not None:  # ``people`` are then the picker's "people" within that organisation
            pickers.widget("people", within=within, field=self.fields["person"])
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: (
            f"{item.responsibility_list.person.name if item.responsibility_list.person else _('党委(党组)')} · "
            f"{item.number}. {item.title}"
        )


class MeasureForm(StyledFormMixin, forms.Form):
    version = VersionField()
    text = forms.CharField(label=_("整改措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_person = forms.ModelChoiceField(queryset=None, label=_("责任人"))
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput())
    quantity = forms.DecimalField(label=_("数量"), required=False, max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    standard = forms.CharField(label=_("标准"), max_length=2000, required=False)
    milestone = forms.BooleanField(label=_("阶段性目标"), required=False)

    def __init__(self, *args, people, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = person_label
        if within is not None:
            pickers.widget("people", within=within, field=self.fields["responsible_person"])


class MeasureReportForm(StyledFormMixin, forms.Form):
    version = VersionField()
    note = forms.CharField(label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("整改佐证材料（可多选）"), required=False)
    complete = forms.BooleanField(label=_("该措施已完成"), required=False)


class SubmitForm(StyledFormMixin, forms.Form):
    version = VersionField()
    report = forms.CharField(label=_("整改情况说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StyledFormMixin, forms.Form):
    version = VersionField()
    action = forms.ChoiceField(choices=[("close", _("销号")), ("return", _("退回"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("退回原因"), max_length=2000, required=False)

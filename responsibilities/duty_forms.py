"""Forms of 履责纪实: a record (with its items and attachments) and the list's filters. The services
validate; these forms read the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, MultipleFileField, MultipleFileInput, StyledFormMixin, VersionField
from core.uploads import ACCEPT, accepted_help
from responsibilities.models import DutyKind

ITEMS_NOT_OWN = _("只能选择履责人本人责任清单中的事项，不能记在他人的清单上。")


def item_label(item) -> str:
    responsibility_list = item.responsibility_list
    return (
        f"{responsibility_list.year} 年 · {responsibility_list.organisation.display_name}"
        f" · {responsibility_list.get_kind_display()} · {item.number}. {item.title}"
    )


class DutyRecordForm(StyledFormMixin, forms.Form):
    version = VersionField(required=False)
    date = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ModelChoiceField(
        queryset=DutyKind.objects.filter(is_active=True), label=_("纪实类别"), empty_label=None
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("参加人员"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：班子成员、分管部门负责人，共 12 人。"),
    )
    content = forms.CharField(label=_("主要内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    items = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("对应的本人责任清单事项"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请选择本次履责对应的本人责任清单事项。"),
            "invalid_choice": ITEMS_NOT_OWN,
            "invalid_pk_value": ITEMS_NOT_OWN,
        },
    )
    files = MultipleFileField(
        label=_("佐证材料（照片、签到表、讲稿等，可多选）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = item_label
        self.fields["files"].help_text = accepted_help()


class DutyFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    kind = forms.ModelChoiceField(
        queryset=DutyKind.objects.all(), label=_("类别"), required=False, empty_label=_("全部")
    )
    q = forms.CharField(label=_("姓名或内容"), required=False, max_length=50)
    mine = forms.BooleanField(label=_("只看本人"), required=False)

"""Forms for responsibility lists, tasks, progress, evidence, cascade and templates."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pickers, uploads
from core.forms import DateInput, MultipleFileField, StyledFormMixin, VersionField
from responsibilities import rules
from responsibilities.models import (
    IssuedTask,
    ListStatus,
    ListTemplateVersion,
    Person,
    Task,
    TaskStatus,
    TemplateItem,
)
from responsibilities.services.lists import TASK_FIELDS

MIN_YEAR, MAX_YEAR = 2000, 2100


def add_task_problems(form, cleaned: dict, year: int) -> None:
    """Show ``rules.task_problems`` at their fields (a field that already has an error keeps it)."""
    problems = rules.task_problems(
        quantity=cleaned.get("quantity"),
        unit=cleaned.get("unit", ""),
        standard=cleaned.get("standard", ""),
        deadline=cleaned.get("deadline"),
        year=year,
    )
    for field, message in problems.items():
        if field not in form.errors:
            form.add_error(field, message)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("年度"))
        super().__init__(min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


class YearForm(forms.Form):
    year = YearField(required=False, widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return default


class ReasonMixin(forms.Form):
    """A reason, required once the list is confirmed (修改须说明理由)."""

    reason = forms.CharField(
        label=_("修改原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("清单已确认：每项修改都要写明原因，原因保存在修改记录中。"),
    )

    def setup_reason(self, responsibility_list):
        if responsibility_list.status != ListStatus.CONFIRMED:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.post}"


class TaskForm(StyledFormMixin, ReasonMixin, forms.ModelForm):
    responsible_person = PersonChoice(queryset=Person.objects.none(), label=_("责任人"), required=False)
    version = VersionField(required=False)

    class Meta:
        model = Task
        fields = list(TASK_FIELDS)  # what the service lets a task change
        widgets = {
            "deadline": DateInput(),
            "completed_on": DateInput(),
            "standard": forms.Textarea(attrs={"rows": 2}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, responsibility_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.responsibility_list = responsibility_list
        self.fields["responsible_person"].queryset = (
            Person.objects.active()
            .filter(home_organisation__path__startswith=responsibility_list.organisation.path)
            .order_by("-post_level", "name")
        )
        # The same people as the picker's "people" within the list's organisation (candidates_for_team).
        pickers.widget("people", within=responsibility_list.organisation_id, field=self.fields["responsible_person"])
        if responsibility_list.person_id and not self.instance.pk:
            self.fields["responsible_person"].initial = responsibility_list.person_id
        self.fields["status"].choices = TaskStatus.choices
        self.fields["completed_on"].help_text = _("状态为已完成时填写；不填则记为今天。")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        self.setup_reason(responsibility_list)

    def clean(self):
        cleaned = super().clean()
        add_task_problems(self, cleaned, self.responsibility_list.year)
        return cleaned

    def _post_clean(self):
        # The service decides completed_on from the status; skip the model's cross-field checks here.
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)

    def task_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ArchiveTaskForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("归档原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


PERCENT_MESSAGE = _("请填写 0 到 100 之间的整数作为完成百分比。")


class ProgressForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("日期"), widget=DateInput())
    percent = forms.IntegerField(
        label=_("完成百分比"),
        min_value=0,
        max_value=100,
        error_messages={key: PERCENT_MESSAGE for key in ("required", "invalid", "min_value", "max_value", "step_size")},
    )
    text = forms.CharField(
        label=_("进展情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写本次进展情况。")},
    )
    files = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        evidence_field(self.fields["files"], multiple=True)


class EvidenceForm(StyledFormMixin, forms.Form):
    # No browser "required" on the picker: on a phone the photo may come from the camera picker beside
    # it instead (the same field name); a missing file is refused at the field by the server.
    use_required_attribute = False

    file = forms.FileField(label=_("文件"), error_messages={"required": _("请选择要上传的文件，或直接拍照。")})
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evidence_field(self.fields["file"])


def evidence_field(field, multiple=False):
    """An evidence file field's picker filter and the words saying what it accepts (core.uploads);
    the template adds a camera button on phones (``capture``)."""
    field.widget.attrs["accept"] = uploads.ACCEPT
    field.help_text = (_("可多选。") if multiple else "") + uploads.accepted_help()


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=ListStatus.choices)
    version = VersionField()
    reason = forms.CharField(max_length=500, required=False)


class SupervisionNoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("督促内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写督促内容。")},
    )


class RolloverForm(StyledFormMixin, forms.Form):
    year = YearField()


class IssueTaskForm(StyledFormMixin, forms.ModelForm):
    item_number = forms.TypedChoiceField(label=_("对应责任事项"), coerce=int)
    recipients = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("下发给"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个下级组织。")},
    )

    class Meta:
        model = IssuedTask
        fields = ["item_number", "title", "quantity", "unit", "deadline", "standard", "requirement"]
        widgets = {
            "deadline": DateInput(),
            "standard": forms.Textarea(attrs={"rows": 2}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, year, items, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["item_number"].choices = [(item.number, f"{item.number}. {item.title}") for item in items]
        self.fields["recipients"].queryset = candidates
        self.fields["recipients"].label_from_instance = lambda org: f"{'　' * (org.depth - 1)}{org.name}"
        self.fields["quantity"].validators.append(MinValueValidator(0))

    def clean(self):
        cleaned = super().clean()
        add_task_problems(self, cleaned, self.year)
        return cleaned

    def _post_clean(self):
        pass  # the service validates the complete rows


class TemplateVersionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ListTemplateVersion
        fields = ["name", "source", "effective_from_year"]


class TemplateItemForm(StyledFormMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = TemplateItem
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

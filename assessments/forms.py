"""Forms of assessments."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import rules
from assessments.models import (
    DEFAULT_QUESTIONS,
    EvaluationSubject,
    Indicator,
    InspectionKind,
    Rating,
    Scheme,
    SchemeKind,
)
from assessments.services import INDICATOR_FIELDS
from core.forms import DateInput, MultipleFileField, StyledFormMixin, VersionField
from responsibilities.forms import OrganisationChoiceField
from responsibilities.models import Department, ListKind, Organisation, Person, TemplateItem


class OrganisationCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class SchemeForm(StyledFormMixin, forms.ModelForm):
    targets = OrganisationCheckboxes(
        queryset=Organisation.objects.none(),
        label=_("被考核组织"),
        error_messages={"required": _("请选择被考核组织。")},
    )
    version = VersionField(required=False)

    class Meta:
        model = Scheme
        fields = [
            "name",
            "year",
            "kind",
            "party_building_weight",
            "weight_routine",
            "weight_annual",
            "weight_mass",
            "team_top_quota",
            "leader_top_quota",
            "secretary_org_weight",
            "hearing_weight",
        ]

    def __init__(self, *args, assessor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing_weight"].required = False
        candidates = Organisation.objects.subtree(assessor, include_self=False).active()
        self.fields["targets"].queryset = candidates
        self.fields["kind"].choices = SchemeKind.choices
        if self.instance.pk:
            self.fields["targets"].initial = list(self.instance.targets.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        else:
            self.fields["targets"].initial = list(
                candidates.filter(depth=assessor.depth + 1).values_list("pk", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f) for f in ("weight_routine", "weight_annual", "weight_mass")]
        if all(w is not None for w in weights) and sum(weights, Decimal(0)) != 100:
            self.add_error(
                "weight_routine",
                _("平时检查、年终考核、群众评价三项权重之和必须为 100（现为 %(sum)s）。")
                % {"sum": sum(weights, Decimal(0))},
            )
        if cleaned.get("hearing_weight") is None and "hearing_weight" not in self.errors:
            cleaned["hearing_weight"] = Decimal(0)
        return cleaned

    def _post_clean(self):
        # The weights' sum and the other rules are checked by the service on the complete scheme.
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(
                exclude=self._get_validation_exclusions() | {"assessor", "created_by"}, validate_constraints=False
            )
        except forms.ValidationError as error:
            self._update_errors(error)


class TemplateItemChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} {obj.number}. {obj.title}"


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    list_items = TemplateItemChoices(queryset=TemplateItem.objects.none(), label=_("考核的责任事项"), required=False)
    version = VersionField(required=False)

    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)  # what the service lets an indicator change
        widgets = {
            "deadline": DateInput(),
            "standard": forms.Textarea(attrs={"rows": 2}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_items"].queryset = template.items.filter(kind=ListKind.COMMITTEE).order_by("number")
        if self.instance.pk:
            self.fields["list_items"].initial = list(self.instance.list_items.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def _post_clean(self):
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
            self.instance.full_clean(
                exclude=self._get_validation_exclusions() | {"scheme", "department"}, validate_constraints=False
            )
        except forms.ValidationError as error:
            self._update_errors(error)


class InspectionStartForm(StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("被考核组织"))
    department = forms.ChoiceField(label=_("考核部门"), choices=Department.choices)
    kind = forms.ChoiceField(label=_("方式"), choices=InspectionKind.choices)
    day = forms.DateField(label=_("检查日期"), widget=DateInput())
    summary = forms.CharField(
        label=_("检查情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = targets
        self.fields["department"].choices = [
            (value, label) for value, label in Department.choices if value in departments
        ]
        self.fields["day"].initial = timezone.localdate()


class ScoreForm(forms.Form):
    """One indicator's score: up to five deductions with reasons, and a bonus."""

    ROWS = 5
    version = VersionField()
    bonus = forms.DecimalField(label=_("加分"), required=False, min_value=0, max_digits=6, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        for index in range(self.ROWS):
            self.fields[f"points_{index}"] = forms.DecimalField(
                required=False,
                min_value=Decimal("0.01"),
                max_digits=6,
                decimal_places=2,
                label=_("扣分"),
                error_messages={"min_value": _("扣分必须大于 0。")},
            )
            self.fields[f"reason_{index}"] = forms.CharField(required=False, max_length=300, label=_("扣分理由"))

    def clean(self):
        """Every problem of every row at its field in one answer (the service's rule, asked here too)."""
        cleaned = super().clean()
        deductions, rows = [], []
        for index in range(self.ROWS):
            name = f"points_{index}"
            points, reason = cleaned.get(name), (cleaned.get(f"reason_{index}") or "").strip()
            if name in self.errors:  # not a number, or not above 0: that message alone
                continue
            if points is None and not reason:
                continue
            if points is None:
                self.add_error(name, _("请填写扣分。"))
                continue
            if not reason:
                self.add_error(f"reason_{index}", _("每项扣分都要写明理由。"))
            deductions.append((points, reason))
            rows.append(index)
        bonus = cleaned.get("bonus")
        problems = rules.score_problems(
            [points for points, _reason in deductions],
            Decimal(0) if bonus is None else bonus,
            self.indicator.deduction_per_shortfall,
            self.indicator.bonus_cap,
        )
        for key, message in problems.items():
            self.add_error("bonus" if key == "bonus" else f"points_{rows[key]}", message)
        cleaned["deductions"] = deductions
        return cleaned


class PeriodMixin:
    """A form's ``opens_on`` (today unless changed) and ``closes_on``, which may not come before it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("opens_on") and cleaned.get("closes_on") and cleaned["closes_on"] < cleaned["opens_on"]:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        return cleaned


class TargetPeriodMixin(PeriodMixin):
    """A period for one ``organisation`` among the scheme's targets."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = targets


class RoundForm(TargetPeriodMixin, StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("被测评组织"))
    subject = forms.ChoiceField(
        label=_("测评对象"),
        choices=[(v, label) for v, label in EvaluationSubject.choices if v != EvaluationSubject.HEARING],
    )
    questions = forms.CharField(
        label=_("测评项目（每行一项）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        initial="\n".join(DEFAULT_QUESTIONS),
    )
    issued = forms.IntegerField(label=_("发放票数"), min_value=1, max_value=5000)
    quorum_percent = forms.DecimalField(
        label=_("有效参与率（%）"),
        min_value=0,
        max_value=100,
        initial=80,
        help_text=_("实际投票数低于发放票数的这一比例时，本次测评不计入结果。"),
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())


class BallotCodeForm(forms.Form):
    code = forms.CharField(
        label=_("票码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
    )


class BallotForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=16)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, text in enumerate(questions):
            self.fields[f"q{index}"] = forms.ChoiceField(
                label=text,
                choices=Rating.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("请对这一项作出评价。")},
            )

    def answers(self) -> dict[int, str]:
        return {index: self.cleaned_data[f"q{index}"] for index in range(len(self.questions))}


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.post}（{obj.home_organisation.display_name}）"


class AwardForm(StyledFormMixin, forms.Form):
    person = PersonChoice(queryset=Person.objects.none(), label=_("推荐对象"))
    title = forms.CharField(label=_("先进称号"), max_length=100, initial=_("优秀党务工作者"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class BandsForm(forms.Form):
    """The lowest score of each grade, with the values the form was opened with (``shown``), so that
    a save over someone else's newer lines is refused rather than silently replacing them."""

    def __init__(self, *args, bands, **kwargs):
        super().__init__(*args, **kwargs)
        self.bands = bands
        for band in bands:
            self.fields[f"shown_{band.grade}"] = forms.DecimalField(
                initial=band.min_score, max_digits=5, decimal_places=2, widget=forms.HiddenInput
            )
            self.fields[band.grade] = forms.DecimalField(
                label=band.label,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=band.min_score,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}),
            )

    def minima(self) -> dict:
        return {band.grade: self.cleaned_data[band.grade] for band in self.bands}

    def shown(self) -> dict:
        return {band.grade: self.cleaned_data[f"shown_{band.grade}"] for band in self.bands}


# ---- 述责述廉 ------------------------------------------------------------------------------------------


class HearingForm(TargetPeriodMixin, StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("述责述廉组织"))
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())
    committee_weight = forms.DecimalField(
        label=_("班子成员评议权重（%）"),
        min_value=0,
        max_value=100,
        initial=50,
        help_text=_("评议结果中班子成员评议所占比重，其余为群众评议。"),
    )


class ReportForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("述责述廉报告"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("对照本人责任清单，报告履行全面从严治党责任和廉洁自律情况、存在问题和改进措施。"),
    )
    files = MultipleFileField(label=_("佐证材料（可多选）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.uploads import ACCEPT, accepted_help

        self.fields["files"].widget.attrs["accept"] = ACCEPT
        self.fields["files"].help_text = accepted_help()


class EvaluationForm(StyledFormMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("评议等次"), choices=[("", _("（不选，改填得分）")), *Rating.choices], required=False
    )
    score = forms.DecimalField(
        label=_("或评议得分（0–100）"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    comment = forms.CharField(label=_("评议意见"), max_length=500, required=False)


class HearingRoundForm(PeriodMixin, StyledFormMixin, forms.Form):
    questions = forms.CharField(
        label=_("评议项目（每行一项）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    issued = forms.IntegerField(label=_("发放票数"), min_value=1, max_value=5000)
    quorum_percent = forms.DecimalField(label=_("有效参与率（%）"), min_value=0, max_value=100, initial=80)
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from assessments.models import DEFAULT_HEARING_QUESTIONS

        self.fields["questions"].initial = "\n".join(DEFAULT_HEARING_QUESTIONS)

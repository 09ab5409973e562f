"""Forms of accountability. Choices are always limited to what the user may handle."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import (
    CaseStatus,
    Exemption,
    ExemptionGround,
    InterventionKind,
    Measure,
    MeasureCategory,
    Responsibility,
    RestrictionKind,
    Severity,
    Situation,
    Subject,
)
from core import pickers
from core.forms import DateInput, StyledFormMixin, VersionField
from responsibilities.forms import OrganisationChoiceField
from responsibilities.models import Organisation, Person


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.post}（{obj.home_organisation.display_name}）"


class SituationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class CaseForm(StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("所在组织"))
    subject = forms.ChoiceField(label=_("责任主体"), choices=Subject.choices)
    person = PersonChoice(
        queryset=Person.objects.none(),
        label=_("被问责人"),
        required=False,
        help_text=_("问责个人时选择；问责党委（党组）或整个职能部门时留空。"),
    )
    responsibility = forms.ChoiceField(label=_("责任类型"), choices=Responsibility.choices)
    facts_date = forms.DateField(label=_("事实发生日期"), widget=DateInput())
    filed_on = forms.DateField(label=_("立案日期"), widget=DateInput())
    situations = SituationChoices(
        queryset=Situation.objects.filter(is_active=True),
        label=_("追责情形（负面清单）"),
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(label=_("主要事实"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("情节"), choices=Severity.choices)
    circumstances = forms.CharField(
        label=_("从轻、减轻或免责情节"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = people
        # Searchable pickers over the same querysets (accountability.selectors.case_*_choices).
        pickers.widget("case-organisations", field=self.fields["organisation"])
        pickers.widget("case-people", field=self.fields["person"])

    def clean(self):
        cleaned = super().clean()
        subject, person = cleaned.get("subject"), cleaned.get("person")
        if subject == Subject.COMMITTEE and person is not None:
            self.add_error("person", _("问责党委（党组）时不填被问责人。"))
        if subject in (Subject.SECRETARY, Subject.LEADER_IN_CHARGE, Subject.MEMBER) and person is None:
            self.add_error("person", _("问责书记、分管领导或班子其他成员时必须选择被问责人。"))
        return cleaned


class CaseTransitionForm(forms.Form):
    target = forms.ChoiceField(choices=CaseStatus.choices)
    version = VersionField()
    note = forms.CharField(max_length=2000, required=False)


class MeasureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DecidingOrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DecisionForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    deciding_body = forms.CharField(label=_("决定机关"), max_length=100)
    deciding_organisation = DecidingOrganisationChoice(
        queryset=Organisation.objects.none(),
        label=_("决定机关所在组织"),
        required=False,
        empty_label=_("（同案件所在组织）"),
        help_text=_("按该组织（未选择时按案件所在组织）及其上级采用的规则判定。"),
    )
    document_number = forms.CharField(label=_("决定文号"), max_length=60, required=False)
    measures = MeasureChoices(
        queryset=Measure.objects.none(), label=_("问责方式和处分"), widget=forms.CheckboxSelectMultiple
    )
    judicial_transfer = forms.BooleanField(label=_("涉嫌犯罪，移送司法机关"), required=False)
    reasoning = forms.CharField(
        label=_("决定理由"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    def __init__(self, *args, adoption, refusal, case, deciding_organisations, previewing=False, **kwargs):
        """``adoption``: the rule set's adoption that judges the date asked for, whose measures are
        offered (None, with ``refusal`` saying why, when none does). A preview (``previewing``) needs
        only the date, the deciding organisation and the measures it shows; it may show none, to
        refresh the measures offered after the date or the organisation changed."""
        super().__init__(*args, **kwargs)
        self.adoption, self.refusal, self.previewing = adoption, refusal, previewing
        if previewing:
            self.fields["deciding_body"].required = False
            self.fields["measures"].required = False
        self.fields["deciding_organisation"].queryset = deciding_organisations.order_by("path")
        rule_set = adoption.rule_set if adoption else None
        measures = Measure.objects.filter(rule_set=rule_set, is_active=True).order_by("category", "severity")
        measures = (
            measures.filter(for_individuals=True) if case.is_about_person else measures.filter(for_organisations=True)
        )
        self.fields["measures"].queryset = measures
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["version"].initial = case.version
        self.groups = [
            (label, [m for m in measures if m.category == category]) for category, label in MeasureCategory.choices
        ]

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("决定日期不能晚于今天。"))
        return day

    def clean(self):
        data = super().clean()
        if self.adoption is None and self.refusal and "decided_on" not in self.errors:
            self.add_error("decided_on", self.refusal)
        return data


class ExemptionForm(StyledFormMixin, forms.Form):
    exemption = forms.ChoiceField(label=_("审理结果"), choices=Exemption.choices, widget=forms.RadioSelect)
    ground = forms.ChoiceField(label=_("依据的情形"), choices=[("", "——")] + ExemptionGround.choices)
    note = forms.CharField(
        label=_("理由和查明的事实"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明不予或免予问责的理由和查明的事实。")},
    )
    # The confirmation (issue 16): closing a case this way is final, so it is asked for, at the field.
    confirmed = forms.BooleanField(
        label=_("我已核实上述依据和理由，确认以此结果结案。结案后不能再作出问责决定。"),
        error_messages={"required": _("请勾选确认后再结案。")},
    )
    version = VersionField()


class RuleSetForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    source = forms.CharField(label=_("依据"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateField(label=_("施行日期"), widget=DateInput(), help_text=_("最早可以从这一天起采用。"))
    version = VersionField()


class MeasureForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=50)
    category = forms.ChoiceField(label=_("类别"), choices=MeasureCategory.choices)
    severity = forms.IntegerField(label=_("轻重顺序"), min_value=1, max_value=99, help_text=_("数字越大越重。"))
    for_individuals = forms.BooleanField(label=_("适用于个人"), required=False)
    for_organisations = forms.BooleanField(label=_("适用于组织"), required=False)
    source = forms.CharField(
        label=_("依据"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("文章的章节，或法规的名称和条款。"),
    )
    withdrawn = forms.BooleanField(label=_("撤销此问责方式（记录保留，不再适用）"), required=False)
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("for_individuals") and not cleaned.get("for_organisations"):
            self.add_error("for_individuals", _("至少适用于个人或组织之一。"))
        return cleaned


class ConsequenceForm(StyledFormMixin, forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("影响"), choices=[("", "——")] + RestrictionKind.choices, required=False)
    months = forms.IntegerField(
        label=_("期限（月）"),
        required=False,
        min_value=1,
        max_value=600,
        error_messages={"min_value": _("期限至少 1 个月；“当年”请留空。")},
        help_text=_("留空表示“当年”。"),
    )
    source = forms.CharField(label=_("依据"), required=False, max_length=2000)
    withdrawn = forms.BooleanField(label=_("撤销"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pk") is not None and not cleaned.get("kind"):
            self.add_error("kind", _("请选择影响；不再需要的请勾选“撤销”。"))
        return cleaned


ConsequenceFormSet = forms.formset_factory(ConsequenceForm, extra=2, max_num=20, absolute_max=20)

MEASURE_FIELDS = ("name", "category", "severity", "for_individuals", "for_organisations", "source", "withdrawn")
CONSEQUENCE_FIELDS = ("pk", "kind", "months", "source", "withdrawn")


def measure_initial(measure, version: int) -> tuple[dict, list[dict]]:
    """The measure form's and the consequence rows' initial values for a measure (None: a new one)."""
    if measure is None:
        return {"category": "accountability", "for_individuals": True, "version": version}, []
    initial = {name: getattr(measure, name) for name in MEASURE_FIELDS if name != "withdrawn"}
    initial |= {"withdrawn": not measure.is_active, "version": version}
    rows = [
        {"pk": c.pk, "kind": c.kind, "months": c.months, "source": c.source, "withdrawn": not c.is_active}
        for c in measure.consequences.order_by("pk")
    ]
    return initial, rows


def consequence_rows(formset) -> list[dict]:
    """The filled rows of a valid consequence formset (a blank extra row is no row)."""
    return [
        {name: row[name] for name in CONSEQUENCE_FIELDS}
        for row in formset.cleaned_data
        if row and (row.get("kind") or row.get("pk") is not None)
    ]


class AdoptionForm(StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("采用组织（含下级）"))
    effective_from = forms.DateField(label=_("起用日期"), widget=DateInput())
    effective_until = forms.DateField(
        label=_("截止日期"), required=False, widget=DateInput(), help_text=_("最后适用的一天；留空表示长期有效。")
    )
    decided_by_body = forms.CharField(label=_("决定机关"), max_length=100)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    document = forms.CharField(label=_("文件名称和文号"), max_length=200, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].offer_upper_levels(selected=self.data.get("organisation"))
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("决定日期不能晚于今天。"))
        return day


class InterventionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=InterventionKind.choices)
    day = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(
        label=_("跟进情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    task = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


class FollowUpForm(StyledFormMixin, forms.Form):
    follow_up = forms.CharField(label=_("跟进情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ScreeningForm(StyledFormMixin, forms.Form):
    root = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("范围（含下级）"))
    day = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = organisations
        self.fields["root"].offer_upper_levels(selected=self.data.get("root"))
        self.fields["day"].initial = timezone.localdate()


class DayForm(forms.Form):
    day = forms.DateField(required=False, widget=DateInput(attrs={"class": "form-control form-control-sm"}))

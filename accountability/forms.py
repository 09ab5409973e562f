"""Forms of accountability. Choices are always limited to what the user may handle."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import (
    CaseStatus,
    InterventionKind,
    Measure,
    MeasureCategory,
    Responsibility,
    Severity,
    Situation,
    Subject,
)
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


class DecisionForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    deciding_body = forms.CharField(label=_("决定机关"), max_length=100)
    document_number = forms.CharField(label=_("决定文号"), max_length=60, required=False)
    measures = MeasureChoices(
        queryset=Measure.objects.none(), label=_("问责方式和处分"), widget=forms.CheckboxSelectMultiple
    )
    judicial_transfer = forms.BooleanField(label=_("涉嫌犯罪，移送司法机关"), required=False)
    reasoning = forms.CharField(
        label=_("决定理由"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    def __init__(self, *args, rule_set, case, **kwargs):
        super().__init__(*args, **kwargs)
        measures = Measure.objects.filter(rule_set=rule_set).order_by("category", "severity")
        measures = (
            measures.filter(for_individuals=True) if case.is_about_person else measures.filter(for_organisations=True)
        )
        self.fields["measures"].queryset = measures
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["version"].initial = case.version
        self.groups = [
            (label, [m for m in measures if m.category == category]) for category, label in MeasureCategory.choices
        ]


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

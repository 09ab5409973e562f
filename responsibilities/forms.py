"""Forms for organisations, people and teams. Choices are always limited to the user's scope."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pickers, scope
from core.forms import (
    DateInput,
    FastSelect,
    StyledFormMixin,
    VersionField,
    as_id,
)
from responsibilities.models import Organisation, OrganisationKind, Person, PostLevel, TeamMembership, TeamRole


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations shown in tree order, indented by depth.

    ``offer_upper_levels`` keeps every organisation of the queryset acceptable but lists only the
    top levels: a province holds thousands of organisations, and a five-thousand-option list helps
    nobody choosing "a city or a county".
    """

    widget = FastSelect
    offered = None

    def _set_queryset(self, queryset):
        # Only what the label and the tree order need: building thousands of full rows is what costs.
        if queryset is not None:
            queryset = queryset.only("pk", "name", "code", "depth", "path")
        self.offered = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def _get_choices(self):
        choices = super()._get_choices()
        if self.offered is not None:
            choices.queryset = self.offered
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def offer_upper_levels(self, levels: int = 2, selected=None) -> None:
        """List the top of the queryset and ``levels`` below it, and the ``selected`` value."""
        top = self.queryset.order_by("depth").values_list("depth", flat=True).first()
        if top is None:
            return
        offered = Q(depth__lte=top + levels)
        if as_id(selected) is not None:
            offered |= Q(pk=as_id(selected))
        self.offered = self.queryset.filter(offered)
        self.widget.choices = self.choices

    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.code}）"


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    parent = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("上级组织"), required=True)
    version = VersionField(required=False)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["parent"].queryset = Organisation.objects.for_user(user, scope.CHANGE).active()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            # Its own subtree is never a valid new parent.
            candidates = self.fields["parent"].queryset.exclude(path__startswith=self.instance.path)
            current = (
                Organisation.objects.filter(path=self.instance.parent_path).first() if self.instance.depth > 1 else None
            )
            if current is None or not candidates.filter(pk=current.pk).exists():
                # A root, or the top of the user's own area: it can be edited but only moved from above.
                del self.fields["parent"]
            else:
                self.fields["parent"].queryset = candidates
                self.fields["parent"].initial = current
        elif user.is_superuser:
            self.fields["parent"].required = False
            self.fields["parent"].help_text = _("留空则创建顶级组织。")


class PersonForm(StyledFormMixin, forms.ModelForm):
    home_organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("所在单位"))
    version = VersionField(required=False)

    class Meta:
        model = Person
        fields = ["name", "post", "post_level", "home_organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_level"].choices = [("", "---------"), *PostLevel.choices]
        self.fields["home_organisation"].queryset = Organisation.objects.for_user(user, scope.CHANGE).active()
        pickers.widget("organisations-change", field=self.fields["home_organisation"])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.post}（{obj.home_organisation.display_name}）"


class MembershipForm(StyledFormMixin, forms.ModelForm):
    person = PersonChoiceField(queryset=Person.objects.none(), label=_("干部"))

    class Meta:
        model = TeamMembership
        fields = ["person", "role", "areas", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, organisation, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["person"].queryset = candidates
        pickers.widget("people", within=organisation.pk, field=self.fields["person"])
        self.fields["role"].choices = TeamRole.choices
        self.fields["start_date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("任职结束日期不能早于开始日期。"))
        return cleaned


class MembershipEndForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(label=_("任职结束日期"), widget=DateInput(), help_text=_("任职的最后一天。"))
    reason = forms.CharField(label=_("结束原因"), max_length=200, required=False)
    version = VersionField()

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["end_date"].initial = timezone.localdate()
        self.fields["version"].initial = membership.version

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.membership.start_date:
            raise ValidationError(
                _("任职结束日期不能早于开始日期（%(start)s）。"), params={"start": self.membership.start_date}
            )
        return end_date

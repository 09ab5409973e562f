"""The organisation picker: labels in tree order, the one-pass widget, and the levels a filter offers."""

import pytest
from django import forms

from responsibilities.forms import OrganisationChoiceField
from responsibilities.models import Organisation
from tests.responsibilities.factories import make_organisation

pytestmark = pytest.mark.django_db


class PickerForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), required=False)


def picker(tree, data=None):
    form = PickerForm(data)
    form.fields["organisation"].queryset = Organisation.objects.filter(path__startswith=tree["parent"].path)
    return form


def test_labels_are_indented_by_depth_with_the_code(tree):
    html = str(picker(tree)["organisation"])

    assert f'<option value="{tree["parent"].pk}">测试省委（P）</option>' in html
    assert f'<option value="{tree["child"].pk}">　　测试县委（P-C-K）</option>' in html


def test_the_chosen_organisation_is_marked_selected_and_text_is_escaped(tree, superuser):
    tree["own"].name = "<b>市委</b>"
    tree["own"].save()
    form = picker(tree, {"organisation": str(tree["own"].pk)})

    html = str(form["organisation"])

    assert f'<option value="{tree["own"].pk}" selected>　&lt;b&gt;市委&lt;/b&gt;（P-C）</option>' in html
    assert html.count(" selected") == 1
    assert '<option value="">---------</option>' in html


def test_a_choice_outside_the_queryset_is_refused(tree):
    form = PickerForm({"organisation": str(tree["parent"].pk)})
    form.fields["organisation"].queryset = Organisation.objects.filter(pk=tree["own"].pk)

    assert not form.is_valid()
    assert "organisation" in form.errors


def offered(form) -> set[int]:
    return {value.value for value, _label in form.fields["organisation"].widget.choices if value != ""}


def test_the_list_offers_the_upper_levels_and_still_accepts_any_organisation_of_the_queryset(tree):
    county = tree["child"]
    organ = make_organisation(parent=county, name="县直机关", code="P-C-K-1")
    form = picker(tree)
    form.fields["organisation"].offer_upper_levels(levels=1)
    assert offered(form) == {tree["parent"].pk, tree["own"].pk, tree["sibling"].pk}

    chosen = picker(tree, {"organisation": str(organ.pk)})
    chosen.fields["organisation"].offer_upper_levels(levels=1, selected=str(organ.pk))
    assert offered(chosen) == {tree["parent"].pk, tree["own"].pk, tree["sibling"].pk, organ.pk}
    assert chosen.is_valid() and chosen.cleaned_data["organisation"] == organ
    assert f'<option value="{organ.pk}" selected>' in str(chosen["organisation"])


def test_a_strange_selected_value_offers_nothing_more(tree):
    for selected in ("", "abc", "9" * 40, "-1", None):
        form = picker(tree, {"organisation": selected or ""})
        form.fields["organisation"].offer_upper_levels(levels=0, selected=selected)
        assert offered(form) == {tree["parent"].pk}
        assert not form.is_valid() if selected else form.is_valid()


def test_an_empty_queryset_offers_nothing(tree):
    form = PickerForm()
    form.fields["organisation"].offer_upper_levels()
    assert offered(form) == set()

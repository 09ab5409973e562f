"""The organisation picker: labels in tree order, the one-pass widget, and the levels a filter offers."""

import pytest
from django import forms

from responsibilities.forms import OrganisationChoiceField, upper_levels
from responsibilities.models import Organisation

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


def test_upper_levels_keeps_the_top_and_the_levels_below_it(tree):
    below_province = Organisation.objects.filter(path__startswith=tree["parent"].path)
    below_city = Organisation.objects.filter(path__startswith=tree["own"].path)

    assert set(upper_levels(below_province, levels=1)) == {tree["parent"], tree["own"], tree["sibling"]}
    assert set(upper_levels(below_province, levels=2)) == set(below_province)
    assert set(upper_levels(below_city, levels=0)) == {tree["own"]}
    assert list(upper_levels(Organisation.objects.none())) == []

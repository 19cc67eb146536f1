"""A select of model choices is written out from one plain read of the rows, with the
same options, labels and selection as Django's own choices."""

import pytest
from django import forms
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from contracts.register.models.contracts import ServiceArea
from governance.templatetags.govuk import _choices, govuk_widget


@pytest.fixture
def areas(db):
    return [ServiceArea.objects.create(name=name) for name in ("Victims", "Estates", "IT")]


def mine(areas):
    return ServiceArea.objects.filter(pk__in=[area.pk for area in areas])


def test_model_choices_match_djangos_own(areas):
    field = forms.ModelChoiceField(queryset=mine(areas), empty_label="Any")
    ours = [(str(value), label) for value, label in _choices(field.widget)]
    django = [(str(value), label) for value, label in field.widget.choices]
    assert ours == django
    assert [label for _value, label in ours] == ["Any", "Estates", "IT", "Victims"]


def test_a_filters_null_choice_comes_after_the_empty_one(areas):
    field = FilterModelChoiceField(queryset=mine(areas), empty_label="Any", null_label="None")
    labels = [label for _value, label in _choices(field.widget)]
    assert labels == ["Any", "None", "Estates", "IT", "Victims"]


def test_the_rendered_select_marks_the_chosen_area(areas):
    class AreaForm(forms.Form):
        area = forms.ModelChoiceField(queryset=mine(areas), empty_label="Any")

    html = govuk_widget(AreaForm({"area": areas[2].pk})["area"])
    assert f'<option value="{areas[2].pk}" selected>IT</option>' in html
    assert html.count("<option") == 4 and html.count(" selected") == 1


def test_the_rows_are_read_in_one_query(areas, django_assert_num_queries):
    field = forms.ModelChoiceField(queryset=mine(areas))
    with django_assert_num_queries(1):
        assert len(list(_choices(field.widget))) == 4

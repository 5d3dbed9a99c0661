"""Every form renders its widgets with Bootstrap's class for their kind: checkboxes (single or a list of
choices) as form-check inputs one sees ticked, never as grey form-control bars."""

import re

import pytest
from django import forms
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.templatetags.lijian import bs

from ..world import build_rounds


def _inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


class _Form(forms.Form):
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple)
    one = forms.BooleanField(required=False)
    pick = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    text = forms.CharField()


def test_bs_gives_checkboxes_and_radios_form_check_classes():
    form = _Form(data={"many": ["b"], "one": "on", "text": "x"})
    form.is_valid()
    many = str(bs(form["many"]))
    assert len(_inputs(many, "many")) == 2 and "form-control" not in many
    assert all('class="form-check-input"' in i for i in _inputs(many, "many"))
    assert 'class="form-check"' in many and 'class="form-check-label"' in many
    assert re.search(r'<input[^>]*value="b"[^>]*checked', many)
    one = str(bs(form["one"]))
    assert 'class="form-check-input"' in one and "form-control" not in one
    pick = str(bs(form["pick"]))  # required and missing: the options show as invalid
    assert all("form-check-input is-invalid" in i for i in _inputs(pick, "pick"))
    assert 'class="form-control"' in str(bs(form["text"]))


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def test_round_pages_show_the_group_checkboxes_as_checkboxes(client, world, rounds):
    client.force_login(world.users[Role.OFFICE_STAFF])
    for url in (
        reverse("inspections:round_edit", args=[rounds.round1.pk]),
        reverse("inspections:round_create", args=[world.body1.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        boxes = _inputs(page.content.decode(), "groups")
        assert boxes, url
        for box in boxes:
            assert 'type="checkbox"' in box and "form-check-input" in box and "form-control" not in box

"""Pickers (``lijian.core.widgets.PickerInput``): the search endpoints answer by name and by code with
only what the user may see, refuse bad input with 400 and never 500; the forms that carry a picker
still take a typed code, so the services and their validation are unchanged."""

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.accounts.forms import RoleGrantForm
from lijian.core.widgets import OPTIONS_MAX, PickerInput
from lijian.findings.filters import ProblemFilter
from lijian.inspections.forms import CoreStaffForm, MemberForm, RiskForm, TargetsForm
from lijian.people.forms import CadreForm, ConflictForm
from lijian.petitions.forms import PetitionForm
from lijian.rectification.forms import AccountabilityForm, InterviewForm

from ..world import make_cadre, make_patrol_setup


def _values(response) -> list[str]:
    """The codes offered by an options fragment, in order."""
    import re

    return re.findall(r'data-value="([^"]*)"', response.content.decode())


def _pick(client, name, q, **params):
    return client.get(reverse(name), {"q": q, **params}, HTTP_HX_REQUEST="true")


# --- organisations ------------------------------------------------------------------------------------


def test_the_organisation_picker_matches_by_name_and_by_code_within_the_users_scope(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])  # scoped to 和平区 (D1)
    by_name = _pick(client, "orgs:pick", "劝业场")
    assert by_name.status_code == 200
    assert _values(by_name) == [world.t1.code]
    assert "和平区劝业场街道党工委" in by_name.content.decode()
    assert _values(_pick(client, "orgs:pick", "120101001")) == [world.t1.code, world.v1.code]
    # 河西区 is out of scope: neither its name nor its code finds it.
    assert _values(_pick(client, "orgs:pick", "大营门")) == []
    assert _values(_pick(client, "orgs:pick", world.t2.code)) == []
    assert "没有找到" in _pick(client, "orgs:pick", "大营门").content.decode()


def test_an_exact_code_comes_first_and_the_parent_tells_namesakes_apart(client, world):
    client.force_login(world.admin)
    answer = _pick(client, "orgs:pick", "120101")
    assert _values(answer)[0] == "120101"
    assert "中共天津市委员会" in answer.content.decode()  # the parent of 和平区委 is named
    assert world.t2.code in _values(_pick(client, "orgs:pick", "大营门"))  # a global grant sees 河西区


def test_many_matches_are_cut_with_a_hint(client, world):
    from lijian.orgs import services as org_services

    for k in range(OPTIONS_MAX + 2):
        org_services.organization_create(
            actor=world.admin, parent=world.t1, code=f"HP{k:03d}", name=f"测试支部{k}", kind="branch"
        )
    client.force_login(world.users[Role.OFFICE_STAFF])
    answer = _pick(client, "orgs:pick", "测试支部")
    assert len(_values(answer)) == OPTIONS_MAX
    assert "匹配的项较多" in answer.content.decode()


BAD = ["", "   ", "'", '"', "%", "_", "'; DROP TABLE orgs_organization; --", "a\x00b", "测" * 101, "9" * 20]


@pytest.mark.parametrize("name", ["orgs:pick", "orgs:pick_body", "people:pick"])
@pytest.mark.parametrize("q", BAD)
def test_bad_input_is_answered_without_a_500(client, world, name, q):
    client.force_login(world.admin)
    response = _pick(client, name, q)
    if "\x00" in q or len(q) > 100:
        assert response.status_code == 400
        assert "无效字符" in response.content.decode() or "过长" in response.content.decode()  # says why
    else:
        assert response.status_code == 200
        assert _values(response) == []


@pytest.mark.parametrize("value", ["abc", "1'", "99999999999999999999", "999999", "-1", "1.5", "١"])
def test_a_bad_scope_parameter_is_answered_400(client, world, value):
    client.force_login(world.admin)
    response = _pick(client, "people:pick", "干部", body=value)
    assert response.status_code == 400
    assert "机构参数无效" in response.content.decode()
    response = _pick(client, "orgs:pick", "和平", within=value)
    assert response.status_code == 400
    assert "组织参数无效" in response.content.decode()


def test_the_organisation_picker_narrows_to_a_subtree_within_scope(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert _values(_pick(client, "orgs:pick", "党", within=world.t1.pk)) == [world.t1.code, world.v1.code]
    assert world.d1.code not in _values(_pick(client, "orgs:pick", "和平", within=world.t1.pk))
    # A subtree outside the user's scope is refused, not searched.
    assert _pick(client, "orgs:pick", "党", within=world.t2.pk).status_code == 400


def test_the_pickers_need_their_permissions(client, world):
    client.force_login(world.users[Role.DEPARTMENT])  # no organisation or pool view
    for name in ("orgs:pick", "orgs:pick_body", "people:pick"):
        assert _pick(client, name, "和平").status_code == 403
    client.logout()
    assert _pick(client, "orgs:pick", "和平").status_code == 302  # to the login page


# --- bodies and cadres --------------------------------------------------------------------------------


def test_the_body_picker_matches_by_name_and_code_within_scope(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert _values(_pick(client, "orgs:pick_body", "和平区")) == [world.body1.code]
    assert _values(_pick(client, "orgs:pick_body", "XCB")) == [world.body1.code]
    assert _values(_pick(client, "orgs:pick_body", "河西")) == []
    client.force_login(world.admin)
    assert _values(_pick(client, "orgs:pick_body", "XCB-120103")) == [world.body2.code]


def test_the_cadre_picker_matches_by_name_number_and_unit_within_scope(client, world):
    inside = make_cadre(world, "P100", world.t1)
    outside = make_cadre(world, "P200", world.t2)
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert _values(_pick(client, "people:pick", inside.name)) == ["P100"]
    assert _values(_pick(client, "people:pick", "P1")) == ["P100"]
    assert _values(_pick(client, "people:pick", "劝业场")) == ["P100"]  # by unit
    assert _values(_pick(client, "people:pick", outside.name)) == []
    assert _values(_pick(client, "people:pick", "P2")) == []
    client.force_login(world.admin)
    assert _values(_pick(client, "people:pick", "P")) == ["P100", "P200"]


def test_the_cadre_picker_narrows_to_a_bodys_pool(client, world):
    g1, g2, pool = make_patrol_setup(world, cadres=3)
    retired = make_cadre(world, "C99", world.t1)
    retired.in_pool = False
    retired.save()
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert _values(_pick(client, "people:pick", "C", body=world.body1.pk)) == ["C00", "C01", "C02"]
    assert "C99" in _values(_pick(client, "people:pick", "C"))
    # Another district's body is refused, not searched.
    assert _pick(client, "people:pick", "C", body=world.body2.pk).status_code == 400


# --- the widget and the forms -------------------------------------------------------------------------


def test_the_widget_is_a_plain_text_input_that_htmx_enhances():
    html = PickerInput("orgs:pick", multiple=True, params={"body": 7}).render(
        "codes", "A B", {"id": "id_codes"}
    )
    assert 'type="text"' in html and 'name="codes"' in html and 'value="A B"' in html
    assert 'hx-get="/orgs/pick/?body=7"' in html
    assert 'hx-target="#id_codes-options"' in html and 'aria-controls="id_codes-options"' in html
    assert "data-picker-multiple" in html and 'role="combobox"' in html
    assert "<script" not in html and "style=" not in html  # CSP: no inline script or style


def test_each_form_with_a_code_field_offers_a_picker_and_still_takes_a_typed_code(world):
    cadre = make_cadre(world, "P100", world.t1)
    code = world.t1.code
    cases = [
        (TargetsForm, {"codes": f"{code} {world.v1.code}"}, "codes", "orgs:pick"),
        (MemberForm, {"group": 1, "add_code": cadre.cadre_id}, "add_code", "people:pick"),
        (CoreStaffForm, {"codes": cadre.cadre_id}, "codes", "people:pick"),
        (RiskForm, {"organization": code, "score": 50}, "organization", "orgs:pick"),
        (
            InterviewForm,
            {
                "organization": code,
                "interviewer": "甲",
                "interviewee": "乙",
                "reason": "约谈",
                "held_on": "2024-05-01",
            },
            "organization",
            "orgs:pick",
        ),
        (
            AccountabilityForm,
            {
                "organization": code,
                "subject_name": "乙",
                "subject_post": "书记",
                "action": "admonishment",
                "reason": "问责",
                "decided_by": "区纪委",
                "decided_on": "2024-05-01",
            },
            "organization",
            "orgs:pick",
        ),
        (
            RoleGrantForm,
            {"role": Role.LIAISON, "organization_code": code, "body_code": world.body1.code},
            "organization_code",
            "orgs:pick",
        ),
        (
            RoleGrantForm,
            {"role": Role.LIAISON, "organization_code": code, "body_code": world.body1.code},
            "body_code",
            "orgs:pick_body",
        ),
        (ConflictForm, {"organization": code, "kind": "relative"}, "organization", "orgs:pick"),
        (
            CadreForm,
            {
                "cadre_id": "P101",
                "name": "某",
                "gender": "M",
                "birth_year": 1980,
                "home_org": code,
                "rank": "section",
            },
            "home_org",
            "orgs:pick",
        ),
    ]
    for form_class, data, field, url_name in cases:
        form = form_class(data)
        widget = form.fields[field].widget
        assert isinstance(widget, PickerInput) and widget.url_name == url_name, form_class
        assert form.is_valid(), (form_class, form.errors)
        assert form_class(data).as_p().count("data-picker-input") >= 1  # rendered as a picker
    grant = RoleGrantForm({"role": Role.LIAISON, "organization_code": code, "body_code": world.body1.code})
    assert grant.is_valid()
    assert grant.cleaned_data["organization_code"] == world.t1
    assert grant.cleaned_data["body_code"] == world.body1
    risk = RiskForm({"organization": code, "score": 50})
    assert risk.is_valid() and risk.cleaned_data["organization"] == world.t1
    # An unknown code is refused as before, whether typed or left as a half-typed name.
    for bad in ("不存在", "NOPE"):
        form = RiskForm({"organization": bad, "score": 50})
        assert not form.is_valid() and "没有代码为" in form.errors["organization"][0]


def test_the_filter_and_petition_forms_offer_the_organisation_picker(world):
    from lijian.orgs.models import InspectionBody

    bodies = InspectionBody.objects.all()
    petition = PetitionForm(bodies=bodies)
    assert petition.fields["org_code"].widget.url_name == "orgs:pick"
    problems = ProblemFilter({"org": world.t1.code}, bodies=bodies).form
    assert problems.fields["org"].widget.url_name == "orgs:pick"
    assert problems.is_valid() and problems.cleaned_data["org"] == world.t1.code


def test_the_standing_staff_picker_searches_the_groups_body_pool(client, world):
    g1, g2, pool = make_patrol_setup(world, cadres=3)
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:group", kwargs={"pk": g1.pk})).content.decode()
    assert f"/people/pick/?body={world.body1.pk}" in page
    response = client.post(reverse("inspections:group", kwargs={"pk": g1.pk}), {"codes": "C00 C01"})
    assert response.status_code == 302
    assert sorted(g1.core_staff.values_list("cadre_id", flat=True)) == ["C00", "C01"]


def test_the_pages_with_a_code_field_render_its_picker(client, world):
    from ..world import build_findings, build_rectification, build_rounds

    rounds = build_rounds(world)
    build_rectification(world, rounds, build_findings(world, rounds))  # the office has fed back
    pages = {
        "accounts:user_detail": ({"pk": world.users[Role.LIAISON].pk}, world.admin, 2),
        "rectification:interview_new": ({}, world.users[Role.OFFICE_STAFF], 1),
        "rectification:accountability_new": ({}, world.users[Role.OFFICE_STAFF], 1),
        "inspections:term_plan": ({"pk": world.body1.pk}, world.users[Role.OFFICE_STAFF], 1),
        "inspections:round": ({"pk": rounds.spare1.round_id}, world.admin, 1),
        "people:cadre_create": ({}, world.users[Role.OFFICE_STAFF], 1),
        "people:cadre": ({"pk": rounds.cadre1.pk}, world.users[Role.OFFICE_STAFF], 1),
        "petitions:create": ({}, world.users[Role.OFFICE_STAFF], 1),
        "findings:problems": ({}, world.users[Role.OFFICE_STAFF], 1),
    }
    for name, (kwargs, user, count) in pages.items():
        client.force_login(user)
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert response.content.decode().count("data-picker-input") >= count, name


def test_the_plan_page_offers_a_cadre_picker_per_group_over_the_bodys_pool(client, world):
    from ..world import build_rounds

    rounds = build_rounds(world)
    round_, run = rounds.round1, rounds.run1
    round_.staffed_at = None
    round_.save()
    group = round_.groups.first()
    run.status = "done"
    run.proposal = {
        "groups": [
            {
                "group": group.pk,
                "targets": [rounds.inspection1.organization_id],
                "members": [rounds.cadre1.pk],
                "leader": rounds.cadre1.pk,
                "deputies": [],
                "reasons": {},
            }
        ],
        "gap": 0,
    }
    run.save()
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(round_.get_absolute_url()).content.decode()
    assert f'id="id_add_code-{group.pk}"' in page
    assert f'hx-get="/people/pick/?body={world.body1.pk}"' in page


def test_round_targets_and_risk_scores_suggest_the_bodys_jurisdiction(world):
    assert TargetsForm(body=world.body1).fields["codes"].widget.params == {"within": world.d1.pk}
    assert RiskForm(body=world.body1).fields["organization"].widget.params == {"within": world.d1.pk}


def test_a_forms_picker_parameters_stay_with_that_form(world):
    narrowed = CoreStaffForm(body=world.body1)
    assert narrowed.fields["codes"].widget.params == {"body": world.body1.pk}
    assert CoreStaffForm().fields["codes"].widget.params == {}
    assert CoreStaffForm.base_fields["codes"].widget.params == {}

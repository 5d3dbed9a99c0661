"""A user who may not take an action learns nothing of its form: every route, posted by every role the
access sweep refuses there (403), answers 403 whatever the body — empty or malformed — never the
form again (200) or a redirect with "请填写…" (302). The page version of the API's permission-first
rule (tests/core/test_api_permission_first.py).

The table is the access sweep's (``URL_SPECS`` and its expected answers in tests/access.py):
a role refused in scope is refused for the route's permission (the ``requires`` decorator) or for its
relation to the record (``permit`` in the view, before the form is bound)."""

from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.routes import iter_url_routes

from ..access import URL_SPECS, expected_url_answer
from ..world import PASSWORD

# Every field name the product's action forms read, each holding a value no form accepts: a date
# that is none, a file that is text, a choice that does not exist, an id that is no number.
MALFORMED = {
    name: "\x00<不是有效的值>"
    for name in (
        "answer",
        "answered_on",
        "reason",
        "on",
        "comment",
        "text",
        "file",
        "evidence",
        "description",
        "other",
        "department",
        "inspection",
        "result",
        "feedback",
        "follow_up_given",
        "follow_up_asked",
        "deadline",
        "measure",
        "codes",
        "score",
        "organization",
        "group",
        "kind",
        "start",
        "end",
        "date",
    )
}


def _refusals():
    """(route, url builder spec, role) for every in-scope answer of 403 in the sweep's table."""
    for route in iter_url_routes():
        if route.is_api_operation:
            continue
        spec = URL_SPECS[route.name]
        for role in Role.values:
            if expected_url_answer(route, spec, role, inside=True) == 403:
                yield route, spec, role


def test_every_role_refused_an_action_is_refused_before_its_form_is_read(client, world):
    from ..world import build_findings, build_petitions, build_rectification, build_rounds

    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    failures, tried = [], 0
    for route, spec, role in _refusals():
        user = world.users[role]
        url = reverse(route.name, kwargs=spec.obj(world, user, True) if spec.obj else {})
        for label, body in (("empty", {}), ("malformed", MALFORMED)):
            client.force_login(user)  # a POST to the logout route ends the session
            response = client.post(url, body)
            tried += 1
            if response.status_code != 403:
                failures.append(f"{role} POST {url} ({label} body): {response.status_code}, expected 403")
    assert tried > 300, tried  # every role's refusals, not a handful
    assert not failures, "\n".join(failures)


def test_the_relation_refusals_are_walked():
    """The refusals that need the record (the petition's handling group, the clue's department, the
    instruction's leader) are in the walk, not only those of a missing permission."""
    walked = {(route.name, role) for route, _spec, role in _refusals()}
    assert ("petitions:action", Role.LEADER) in walked
    assert ("petitions:action", Role.AUDITOR) in walked
    assert ("findings:clue_action", Role.GROUP_LEADER) in walked
    assert ("findings:attach", Role.AUDITOR) in walked
    assert ("rectification:problem_move", Role.GROUP_MEMBER) in walked
    assert ("instructions:action", Role.OFFICE_STAFF) in walked


def test_an_administrator_resetting_an_office_holders_password_is_refused_before_the_password_is_read(
    client, world
):
    """Only the office resets the credentials of an account that reveals identities: the account
    page refuses an administrator with 403 whatever was typed, not with the password rules."""
    office = world.users[Role.OFFICE_STAFF]
    url = reverse("accounts:user_detail", kwargs={"pk": office.pk})
    client.force_login(world.admin)
    for body in ({"form": "password"}, {"form": "password", "password": "x", "password2": "y"}):
        response = client.post(url, body)
        assert response.status_code == 403
        assert "只能由本人或其所在巡视巡察办的人员重置" in response.content.decode()
    office.refresh_from_db()
    assert office.check_password(PASSWORD)


# The other actions of the routes that take one in their path (the sweep's table tries one each):
# route -> action -> the roles holding the route's permission, with the record in scope, that the
# action needs a relation they lack (the office, the group's leaders, the receiving department, the
# liaison, the leader who gave the instruction).
_GROUP = (Role.GROUP_LEADER, Role.GROUP_MEMBER)
_READERS = (Role.LEADER, Role.AUDITOR)
OTHER_ACTIONS = {
    "petitions:action": {
        action: (*_GROUP, *_READERS)
        for action in ("route_group", "route_department", "close", "send_back", "link")
    },
    "findings:clue_action": {
        "transfer": (*_GROUP, Role.DEPARTMENT, *_READERS),
        "accept": (Role.OFFICE_STAFF, *_GROUP, *_READERS),
        "feed_back": (Role.OFFICE_STAFF, *_GROUP, *_READERS),
        "withdraw": (Role.GROUP_MEMBER, Role.DEPARTMENT, *_READERS),
    },
    "findings:problem_review": {"unapprove": (Role.GROUP_MEMBER,)},
    "instructions:action": {
        "reopen": (Role.OFFICE_STAFF, *_GROUP, Role.DEPARTMENT, Role.AUDITOR),
        "answer": (Role.AUDITOR,),
    },
    "rectification:problem_move": {
        "report_done": (Role.OFFICE_STAFF, *_GROUP, *_READERS),
        **{
            action: (Role.GROUP_MEMBER, Role.LIAISON, *_READERS)
            for action in ("stage_met", "send_back", "reopen")
        },
    },
    "rectification:task_action": {"return": (Role.GROUP_MEMBER, Role.LIAISON, *_READERS)},
}


def test_each_action_of_a_record_refuses_before_its_form(client, world):
    from ..world import build_findings, build_petitions, build_rectification, build_rounds

    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    failures = []
    for name, actions in OTHER_ACTIONS.items():
        for action, roles in actions.items():
            for role in roles:
                user = world.users[role]
                kwargs = {**URL_SPECS[name].obj(world, user, True), "action": action}
                url = reverse(name, kwargs=kwargs)
                for label, body in (("empty", {}), ("malformed", MALFORMED)):
                    client.force_login(user)
                    status = client.post(url, body).status_code
                    if status != 403:
                        failures.append(f"{role} POST {url} ({label} body): {status}, expected 403")
    assert not failures, "\n".join(failures)

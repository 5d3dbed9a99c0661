"""The talent pool (人才库): each service write allowed and refused (and a refusal writes nothing), the
selectors restricted to the user, the pool and cadre pages per role, conflicts of interest, and bad
input answered with a clear message and nothing changed.

The world's cadre1 works in a district department of 和平区 (D1, the roles' scope) and is booked in
和平区's round of 2024-03-01 – 2024-05-01 with a declared conflict (a relative) at the SOE; cadre2 is
河西区's (D2, out of scope)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from lijian.accounts.choices import ROLE_PERMISSIONS, Role
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm
from lijian.people import selectors, services
from lijian.people.models import Absence, Cadre, Conflict, Skill

from ..world import build_rounds

D = datetime.date
TODAY = D(2024, 6, 1)  # the conflicts are weighed as of this day
READERS = {role for role in Role.values if Perm.POOL_VIEW in ROLE_PERMISSIONS[role]}
MANAGERS = {role for role in Role.values if Perm.POOL_MANAGE in ROLE_PERMISSIONS[role]}


@pytest.fixture
def rounds(world):
    return build_rounds(world)


@pytest.fixture
def office(world):
    return world.users[Role.OFFICE_STAFF]


def _event(action, obj) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_id=str(obj.pk))


def _new_cadre(actor, home, cadre_id="P001"):
    return services.cadre_create(
        actor=actor,
        cadre_id=f" {cadre_id} ",
        name=" 王五 ",
        gender="M",
        birth_year=1985,
        home_org=home,
        rank="section",
        skills=Skill.objects.filter(code="audit"),
    )


# --- services -------------------------------------------------------------------------------------


def test_the_office_adds_a_cadre_in_its_scope_and_the_event_records_it(world, office):
    cadre = _new_cadre(office, world.t1)
    assert (cadre.cadre_id, cadre.name, cadre.in_pool) == ("P001", "王五", True)
    assert list(cadre.skills.values_list("code", flat=True)) == ["audit"]
    event = _event("cadre.create", cadre)
    assert event.actor == office and event.scope_path == world.t1.path and event.before is None
    assert event.after["cadre_id"] == "P001" and event.after["skills"] == ["audit"]


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.ADMINISTRATOR}))
def test_adding_a_cadre_is_refused_outside_the_scope_or_without_the_permission(world, role):
    user = world.users[role]
    homes = [world.t2] + ([] if role in MANAGERS else [world.t1])
    for home in homes:
        with pytest.raises(PermissionDenied):
            _new_cadre(user, home)
    assert not Cadre.objects.filter(cadre_id="P001").exists()
    assert not AuditEvent.objects.filter(action="cadre.create").exclude(actor=world.admin).exists()


def test_a_change_to_a_cadre_is_audited_before_and_after_and_kept_in_scope(world, rounds, office):
    cadre = rounds.cadre1
    services.cadre_update(actor=office, cadre=cadre, rank="section")
    event = _event("cadre.update", cadre)
    assert (event.before["rank"], event.after["rank"]) == ("division", "section")
    home = cadre.home_org
    with pytest.raises(PermissionDenied):  # moved to 河西区, outside the office's scope
        services.cadre_update(actor=office, cadre=cadre, home_org=world.t2)
    with pytest.raises(PermissionDenied):  # 河西区's cadre
        services.cadre_update(actor=office, cadre=rounds.cadre2, rank="section")
    with pytest.raises(PermissionDenied):  # the leader reads the pool, never writes it
        services.cadre_update(actor=world.users[Role.LEADER], cadre=cadre, rank="division")
    with pytest.raises(ValidationError):
        services.cadre_update(actor=office, cadre=cadre, gender="X")
    stored = Cadre.objects.get(pk=cadre.pk)
    assert (stored.home_org, stored.rank, stored.gender) == (home, "section", "M")
    assert AuditEvent.objects.filter(action="cadre.update").count() == 1
    assert Cadre.objects.get(pk=rounds.cadre2.pk).rank == "division"


def test_a_conflict_is_declared_once_and_withdrawn_only_with_a_reason(world, rounds, office):
    cadre = rounds.cadre1
    conflict = services.conflict_declare(
        actor=office, cadre=cadre, organization=world.v1, kind="relative", detail=" 配偶在该社区任职 "
    )
    assert (
        conflict.detail == "配偶在该社区任职"
        and _event("conflict.declare", conflict).after["kind"] == "relative"
    )
    with pytest.raises(ValidationError, match="这条回避事项已经登记过。"):
        services.conflict_declare(actor=office, cadre=cadre, organization=world.v1, kind="relative")
    with pytest.raises(PermissionDenied):  # 河西区's office: another district's cadre
        services.conflict_declare(actor=world.outsider, cadre=cadre, organization=world.v2, kind="other")
    assert Conflict.objects.filter(cadre=cadre, organization=world.v1).count() == 1

    with pytest.raises(ValidationError, match="请说明撤销的理由。"):
        services.conflict_withdraw(actor=office, conflict=conflict, reason="  ")
    with pytest.raises(PermissionDenied):
        services.conflict_withdraw(actor=world.outsider, conflict=conflict, reason="已调离")
    assert Conflict.objects.get(pk=conflict.pk).active
    services.conflict_withdraw(actor=office, conflict=conflict, reason=" 配偶已调离 ")
    assert not Conflict.objects.get(pk=conflict.pk).active
    event = _event("conflict.withdraw", conflict)
    assert event.before == {"active": True} and event.after == {"active": False, "reason": "配偶已调离"}
    # Withdrawn, the same conflict may be declared again.
    services.conflict_declare(actor=office, cadre=cadre, organization=world.v1, kind="relative")
    assert Conflict.objects.filter(cadre=cadre, organization=world.v1, active=True).count() == 1


def test_conflicts_keep_a_cadre_away_from_the_line_of_their_unit_and_of_what_they_declared(
    world, rounds, office
):
    cadre = rounds.cadre1  # a department of 和平区, with a relative at the SOE (the world's conflict)
    old = services.conflict_declare(
        actor=office, cadre=cadre, organization=world.t2, kind="former_post", end=D(2019, 12, 31)
    )
    targets = [world.d1, world.soe, world.t2, world.v2, world.t1]

    def reasons(on=TODAY, years=3, cross=False):
        found = selectors.conflicts_between([cadre], targets, cross=cross, on=on, former_post_years=years)
        return {org: found.get((cadre.id, org.id)) for org in targets}

    found = reasons()
    assert found[world.d1] == f"本人所在单位{cadre.home_org.name}"  # above the cadre's own unit
    assert found[world.soe] == "亲属关系"
    assert found[world.t2] is None and found[world.v2] is None  # the former post ended over 3 years ago
    assert found[world.t1] is None  # beside the cadre's unit, not on its line
    within = reasons(on=D(2021, 6, 1))
    assert within[world.t2] == within[world.v2] == "曾在该单位任职"  # the post's subtree is on its line
    assert reasons(cross=True)[world.t1] == "交叉巡察：本人来自被巡察对象所在的区"
    services.conflict_withdraw(actor=office, conflict=rounds.conflict1, reason="已离婚")
    services.conflict_withdraw(actor=office, conflict=old, reason="登记有误")
    assert reasons(on=D(2021, 6, 1))[world.soe] is None and reasons(on=D(2021, 6, 1))[world.t2] is None


def test_an_absence_is_refused_while_the_cadre_is_booked_and_withdrawn_once(world, rounds, office):
    cadre = rounds.cadre1
    with pytest.raises(ValidationError) as refused:  # the round of 2024-03-01 – 2024-05-01
        services.absence_declare(
            actor=office, cadre=cadre, kind="training", start=D(2024, 4, 1), end=D(2024, 4, 10)
        )
    assert cadre.name in refused.value.messages[0] and "不能同时登记" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="终止日期不能早于起始日期。"):
        services.absence_declare(
            actor=office, cadre=cadre, kind="training", start=D(2025, 2, 10), end=D(2025, 2, 1)
        )
    with pytest.raises(PermissionDenied):
        services.absence_declare(
            actor=world.outsider, cadre=cadre, kind="training", start=D(2025, 2, 1), end=D(2025, 2, 10)
        )
    assert not Absence.objects.exists()

    absence = services.absence_declare(
        actor=office, cadre=cadre, kind="training", start=D(2025, 2, 1), end=D(2025, 2, 10), detail=" 党校 "
    )
    assert absence.detail == "党校" and _event("absence.declare", absence).after["start"] == "2025-02-01"
    with pytest.raises(ValidationError, match="请说明撤销的理由。"):
        services.absence_withdraw(actor=office, absence=absence, reason="")
    services.absence_withdraw(actor=office, absence=absence, reason="培训取消")
    with pytest.raises(ValidationError, match="这条记录已经撤销。"):
        services.absence_withdraw(actor=office, absence=absence, reason="再次撤销")
    assert AuditEvent.objects.filter(action="absence.withdraw").count() == 1


# --- selectors ------------------------------------------------------------------------------------


def test_the_pool_a_user_reads_is_their_scopes(world, rounds, office):
    def visible(user):
        return set(
            selectors.cadres_visible(user)
            .filter(cadre_id__in=("R1", "R2"))
            .values_list("cadre_id", flat=True)
        )

    assert visible(world.admin) == {"R1", "R2"}
    assert visible(world.outsider) == {"R2"}
    for role in Role.values:
        assert visible(world.users[role]) == ({"R1"} if role in READERS else set()), role

    assert selectors.cadre_get(office, rounds.cadre1.pk) == rounds.cadre1
    for pk in (rounds.cadre2.pk, 999999, "R1"):
        with pytest.raises(Http404):
            selectors.cadre_get(office, pk)
    with pytest.raises(Http404):  # the leader may read, not manage
        selectors.cadre_get(world.users[Role.LEADER], rounds.cadre1.pk, perm=Perm.POOL_MANAGE)

    found = selectors.cadre_search(office, "R1")
    assert found[0] == rounds.cadre1 and {c.cadre_id for c in found} == {
        "R1",
        "R1-group_leader",
        "R1-group_member",
    }
    assert selectors.cadre_search(office, "R2") == [] and selectors.cadre_search(office, "  ") == []
    assert [c.cadre_id for c in selectors.cadre_search(office, "干部R1 区直单位1")][0] == "R1"


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_the_pool_and_cadre_pages_show_each_role_its_scope(client, world, rounds, role):
    client.force_login(world.users[role])
    pool = client.get(reverse("people:pool"))
    inside = client.get(reverse("people:cadre", args=[rounds.cadre1.pk]))
    outside = client.get(reverse("people:cadre", args=[rounds.cadre2.pk]))
    if role not in READERS:
        assert (pool.status_code, inside.status_code, outside.status_code) == (403, 403, 403)
        return
    assert (pool.status_code, inside.status_code, outside.status_code) == (200, 200, 404)
    listed = pool.content.decode()
    assert "干部R1" in listed and "干部R2" not in listed
    page = inside.content.decode()
    manages = role in MANAGERS
    assert ("新增人员" in listed) == manages
    assert (reverse("people:conflict_declare", args=[rounds.cadre1.pk]) in page) == manages
    assert (reverse("people:cadre_edit", args=[rounds.cadre1.pk]) in page) == manages
    assert "亲属关系" in page  # the declared conflict, to every reader


def test_bad_input_on_the_pages_is_answered_clearly_and_changes_nothing(client, world, rounds, office):
    client.force_login(office)
    cadre = rounds.cadre1
    conflicts, absences = Conflict.objects.count(), Absence.objects.count()

    answer = client.post(
        reverse("people:conflict_declare", args=[cadre.pk]), {"organization": "NOPE", "kind": "relative"}
    )
    assert answer.status_code == 200 and "没有代码为“NOPE”的组织。" in answer.content.decode()
    answer = client.post(
        reverse("people:absence_declare", args=[cadre.pk]),
        {"kind": "training", "start": "2025-13-45", "end": "2025-02-10"},
    )
    assert answer.status_code == 200 and "输入一个有效的日期。" in answer.content.decode()
    answer = client.post(
        reverse("people:absence_declare", args=[cadre.pk]),
        {"kind": "training", "start": "2025-02-10", "end": "2025-02-01"},
    )
    assert answer.status_code == 200 and "终止日期不能早于起始日期。" in answer.content.decode()
    answer = client.post(
        reverse("people:absence_declare", args=[cadre.pk]),
        {"kind": "training", "start": "2024-04-01", "end": "2024-04-10"},
    )
    assert answer.status_code == 200 and "不能同时登记" in answer.content.decode()
    answer = client.post(
        reverse("people:conflict_withdraw", args=[rounds.conflict1.pk]), {"reason": ""}, follow=True
    )
    assert "请说明撤销的理由。" in answer.content.decode()
    assert Conflict.objects.get(pk=rounds.conflict1.pk).active
    answer = client.post(
        reverse("people:cadre_edit", args=[cadre.pk]),
        {
            "cadre_id": "R1",
            "name": "改名",
            "gender": "M",
            "birth_year": "一九八〇",
            "home_org": cadre.home_org.code,
            "rank": "division",
        },
    )
    assert answer.status_code == 200 and "输入整数。" in answer.content.decode()
    assert Cadre.objects.get(pk=cadre.pk).name == "干部R1"
    assert (Conflict.objects.count(), Absence.objects.count()) == (conflicts, absences)
    assert not AuditEvent.objects.filter(
        action__in=("conflict.declare", "absence.declare", "cadre.update")
    ).exists()
    assert client.get("/people/999999/").status_code == 404
    assert client.get("/people/R1/").status_code == 404

"""The materialised-path tree: every read is a range on ``path`` and agrees with the parent links."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.core.permissions import subtree_range
from lijian.documents.ledger.importer import ledger_import
from lijian.orgs import selectors, services
from lijian.orgs.ledger import path_step, step_number
from lijian.orgs.models import Organization

from ..bundles import write_bundle
from ..world import make_user


@given(st.integers(min_value=0, max_value=36**4 - 1))
def test_path_steps_round_trip_and_sort_like_numbers(n):
    step = path_step(n)
    assert len(step) == 4 and step_number(step) == n
    if n:
        assert path_step(n - 1) < step


@given(
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=16),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=16),
)
def test_subtree_range_is_exactly_the_prefix_test(root, other):
    low, high = subtree_range(root)
    assert (low <= other < high) == other.startswith(root)


# Random forests: parents[i] is the index of node i's parent among nodes 0..i-1, or None for a root.
forests = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(*[st.one_of(st.none(), st.integers(0, i - 1)) if i else st.none() for i in range(n)])
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parents=forests, shuffle_seed=st.randoms(use_true_random=False))
@pytest.mark.django_db
def test_an_imported_forest_answers_counts_children_and_ancestors_like_its_parent_links(
    parents, shuffle_seed, tmp_path_factory
):
    with transaction.atomic():  # each example starts from an empty tree
        _check_forest(parents, shuffle_seed, tmp_path_factory)
        transaction.set_rollback(True)


def _check_forest(parents, shuffle_seed, tmp_path_factory):
    admin = make_user("forest-admin", Role.ADMINISTRATOR)
    rows = [[f"F{i}", f"组织{i}", "other", "" if p is None else f"F{p}"] for i, p in enumerate(parents)]
    shuffle_seed.shuffle(rows)  # the file order need not put parents first
    header = ["code", "name", "kind", "parent_code"]
    folder = write_bundle(tmp_path_factory.mktemp("forest"), {"organizations.csv": [header, *rows]})
    report = ledger_import(folder, actor=admin)
    assert report.ok, report.errors

    children = {i: [j for j, p in enumerate(parents) if p == i] for i in range(len(parents))}

    def descendants(i):
        return sum(1 + descendants(c) for c in children[i])

    nodes = {o.code: o for o in Organization.objects.all()}
    for i, parent in enumerate(parents):
        node = nodes[f"F{i}"]
        assert selectors.organization_subtree_size(node) == descendants(i)
        assert node.numchild == len(children[i])
        page = selectors.organization_children(admin, node, limit=1000)
        assert {c.code for c in page.items} == {f"F{c}" for c in children[i]}
        chain, p = [], parent
        while p is not None:
            chain.insert(0, f"F{p}")
            p = parents[p]
        assert [a.code for a in selectors.organization_ancestors(node)] == chain


def test_children_come_in_keyset_pages(world):
    admin = world.admin
    for i in range(7):
        services.organization_create(
            actor=admin, parent=world.v1, code=f"B{i}", name=f"第{i}支部", kind="branch"
        )
    first = selectors.organization_children(admin, world.v1, limit=3)
    second = selectors.organization_children(admin, world.v1, after=first.next_after, limit=3)
    third = selectors.organization_children(admin, world.v1, after=second.next_after, limit=3)
    assert [o.code for o in first.items + second.items + third.items] == [f"B{i}" for i in range(7)]
    assert third.next_after is None


def test_search_finds_by_chinese_name_or_code_prefix_within_the_users_scope(world):
    staff = world.users[Role.OFFICE_STAFF]  # 和平区
    assert [o.code for o in selectors.organization_search(staff, "社区")] == ["120101001001"]
    assert [o.code for o in selectors.organization_search(staff, "120101001")][:1] == ["120101001"]
    assert selectors.organization_search(staff, "河西") == []  # exists, but outside the scope
    assert {o.code for o in selectors.organization_search(world.admin, "街道")} == {"120101001", "120103001"}


def test_office_staff_create_update_and_move_only_inside_their_subtree(world):
    staff = world.users[Role.OFFICE_STAFF]
    branch = services.organization_create(
        actor=staff, parent=world.v1, code="NEW1", name="新支部", kind="branch"
    )
    assert branch.parent_path == world.v1.path and branch.depth == world.v1.depth + 1
    assert AuditEvent.objects.filter(
        action="organization.create", object_id=str(branch.pk), actor=staff
    ).exists()
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=staff, parent=world.v2, code="NEW2", name="区外", kind="branch")
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=staff, parent=None, code="NEW3", name="顶级", kind="other")
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=staff, org=branch, new_parent=world.v2)
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=world.users[Role.LEADER], org=branch, name="领导只能看")
    updated = services.organization_update(actor=staff, org=branch, name="新支部（改名）")
    event = AuditEvent.objects.filter(action="organization.update").latest("id")
    assert (event.before["name"], event.after["name"]) == ("新支部", updated.name)


def test_moves_carry_the_subtree_and_refuse_cycles(world):
    admin = world.admin
    with pytest.raises(ValidationError) as info:  # 和平区委巡察办 cannot cover a street of 河西区
        services.organization_move(actor=admin, org=world.t1, new_parent=world.d2)
    assert "supervising_body" in info.value.message_dict
    moved = services.organization_move(
        actor=admin, org=world.t1, new_parent=world.d2, supervising_body=world.body2
    )
    assert moved.supervising_body == world.body2
    community = Organization.objects.get(pk=world.v1.pk)
    assert moved.parent_path == world.d2.path and community.parent_path == moved.path
    with pytest.raises(ValidationError):
        services.organization_move(
            actor=admin, org=Organization.objects.get(pk=world.d2.pk), new_parent=community
        )


def test_bad_facts_are_refused_with_a_clear_message(world):
    admin = world.admin
    with pytest.raises(ValidationError) as info:
        services.organization_create(actor=admin, parent=world.v1, code="120101", name="重码", kind="branch")
    assert "code" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.organization_create(
            actor=admin,
            parent=world.v1,
            code="D1",
            name="日期",
            kind="branch",
            active_from=datetime.date(2024, 5, 1),
            active_to=datetime.date(2024, 1, 1),
        )
    assert "撤销日期" in str(info.value)
    assert not Organization.objects.filter(code="D1").exists()


def test_terms_of_one_body_may_not_overlap(world):
    with pytest.raises(ValidationError) as info:
        services.term_create(
            actor=world.admin,
            body=world.body1,
            name="重叠",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2030, 1, 1),
        )
    assert "重叠" in str(info.value)
    term = services.term_create(
        actor=world.admin,
        body=world.body1,
        name="第十三届",
        start=datetime.date(2027, 6, 23),
        end=datetime.date(2032, 6, 22),
    )
    assert selectors.term_current(world.body1, datetime.date(2028, 1, 1)) == term
    assert selectors.term_current(world.body1, datetime.date(2024, 1, 1)) == world.term1


def test_staffing_counts_bodies_groups_and_posts_per_level(world):
    from lijian.inspections.services import group_create
    from lijian.orgs.models import InspectionBody

    group_create(actor=world.admin, body=world.body1, number=1)
    group_create(actor=world.admin, body=world.body1, number=2)
    summary = selectors.staffing_summary(InspectionBody.objects.all())
    assert summary["patrol"] == {"bodies": 2, "groups": 2, "posts": 24}
    assert summary["all"] == {"bodies": 3, "groups": 2, "posts": 84}

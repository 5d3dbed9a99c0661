"""Petitions: every transition, the public form with its receipt code, identity protection,
duplicates by text similarity, and who may see what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent, AuditOutcome
from lijian.petitions import identity, selectors, services
from lijian.petitions.choices import PETITION_TRANSITIONS, PetitionStatus
from lijian.petitions.models import Petition
from lijian.petitions.similarity import ngrams, similarity

from ..world import build_findings, build_petitions, build_rounds

D = datetime.date
SECRET_NAME = "李秘密举报人"
SECRET_PHONE = "13912345678"


@pytest.fixture
def w(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    return world


def _receive(w, **extra):
    values = {
        "actor": w.users[Role.OFFICE_STAFF],
        "body": w.body1,
        "channel": "letter",
        "received_on": D(2024, 3, 12),
        "summary": "反映社区书记违规发放补贴给亲属。",
        **extra,
    }
    return services.petition_receive(**values)


# --- identity -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # committed: the copy sees the rows
def test_the_stored_identity_is_not_readable_in_the_database(w, tmp_path):
    petition = _receive(w, identity={"name": SECRET_NAME, "phone": SECRET_PHONE})
    assert not petition.anonymous
    needles = [SECRET_NAME.encode(), SECRET_PHONE.encode(), SECRET_NAME.encode("utf-16-le")]
    if connection.vendor == "sqlite":
        import sqlite3

        target = tmp_path / "copy.sqlite3"
        destination = sqlite3.connect(target)
        connection.ensure_connection()
        connection.connection.backup(destination)  # the whole database file, byte for byte
        destination.close()
        raw = target.read_bytes()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT t::text FROM petitions_petition t")
            raw = "\n".join(row[0] for row in cursor.fetchall()).encode()
            cursor.execute("SELECT string_agg(after::text, '') FROM core_auditevent")
            raw += (cursor.fetchone()[0] or "").encode()
    assert petition.summary.encode() in raw  # the copy holds the row: the text in the clear is found
    assert not any(needle in raw for needle in needles)


def test_revealing_the_identity_needs_the_office_a_reason_and_is_audited(w):
    petition = _receive(w, identity={"name": SECRET_NAME, "phone": SECRET_PHONE})
    refused = (w.admin, w.users[Role.GROUP_LEADER], w.users[Role.LEADER], w.outsider)
    for user in refused:
        with pytest.raises(PermissionDenied):
            services.petition_reveal(actor=user, petition=petition, reason="核实情况需要")
    staff = w.users[Role.OFFICE_STAFF]
    with pytest.raises(ValidationError):
        services.petition_reveal(actor=staff, petition=petition, reason="")
    # Each refusal is on the record (one event per attempt, naming who and which petition, never
    # the identity); a missing reason is a form error, not an attempt.
    denied = AuditEvent.objects.filter(action="petition.reveal", outcome=AuditOutcome.DENIED)
    assert sorted(e.actor_id for e in denied) == sorted(u.pk for u in refused)
    assert {e.object_id for e in denied} == {str(petition.pk)}
    assert not any(SECRET_NAME in str(e.after) or SECRET_PHONE in str(e.after) for e in denied)
    assert not AuditEvent.objects.filter(action="petition.reveal", outcome=AuditOutcome.SUCCESS).exists()
    shown = services.petition_reveal(actor=staff, petition=petition, reason="需要联系反映人补充材料")
    assert shown == {"name": SECRET_NAME, "phone": SECRET_PHONE}
    event = AuditEvent.objects.get(action="petition.reveal", outcome=AuditOutcome.SUCCESS)
    assert event.actor == staff and event.after["reason"] == "需要联系反映人补充材料"
    assert SECRET_NAME not in str(event.after)


def test_a_ciphertext_moved_to_another_petition_does_not_decrypt(w):
    a = _receive(w, identity={"name": SECRET_NAME})
    b = _receive(w, identity={"name": "别人"})
    with pytest.raises(ValueError):
        identity.unseal(a.identity, b.ref)


def test_the_reveal_page_shows_the_identity_once_and_logs_it(w, client):
    petition = w.petitions.petition1
    client.force_login(w.users[Role.OFFICE_STAFF])
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "张三" not in page
    response = client.post(
        reverse("petitions:reveal", kwargs={"pk": petition.pk}), {"reason": "核实反映内容"}
    )
    assert "张三" in response.content.decode() and response["Cache-Control"] == "no-store"
    assert "张三" not in client.get(petition.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action="petition.reveal", object_id=str(petition.pk)).count() == 1


# --- transitions ----------------------------------------------------------------------------------


def _in(w, status):
    petition = _receive(w, inspection=w.rounds.inspection1)
    petition.status = status
    petition.save()
    return petition


MOVES = {
    PetitionStatus.ROUTED: lambda w, p: (
        services.petition_send_back(actor=w.admin, petition=p, reason="不充分")
        if p.status == "answered"
        else services.petition_route_to_group(actor=w.admin, petition=p, inspection=w.rounds.inspection1)
    ),
    PetitionStatus.ANSWERED: lambda w, p: services.petition_answer(
        actor=w.admin, petition=p, answer="已核实处理"
    ),
    PetitionStatus.CLOSED: lambda w, p: services.petition_close(actor=w.admin, petition=p, reason="已答复"),
}


@pytest.mark.parametrize("source", PetitionStatus.values)
@pytest.mark.parametrize("target", [s for s in PetitionStatus.values if s != "received"])
def test_every_petition_transition_is_allowed_or_refused_as_the_table_says(w, source, target):
    petition = _in(w, source)
    if PETITION_TRANSITIONS.can(source, target):
        MOVES[target](w, petition)
        assert Petition.objects.get(pk=petition.pk).status == target
    else:
        with pytest.raises(ValidationError):
            MOVES[target](w, petition)
        assert Petition.objects.get(pk=petition.pk).status == source


def test_a_routed_petition_is_answered_by_the_group_it_went_to(w):
    petition = w.petitions.petition1  # routed to 和平's group
    with pytest.raises(PermissionDenied):
        services.petition_answer(actor=w.users[Role.LEADER], petition=petition, answer="x")
    services.petition_answer(
        actor=w.users[Role.GROUP_MEMBER], petition=petition, answer="经核实，已督促退还费用。"
    )
    assert petition.status == "answered"


def test_routing_to_a_department_makes_a_clue(w):
    petition = _receive(w, inspection=w.rounds.inspection1)
    services.petition_route_to_department(
        actor=w.users[Role.OFFICE_STAFF],
        petition=petition,
        department=w.findings.department1,
        subject_name="王某",
    )
    assert petition.clue.department == w.findings.department1 and petition.clue.status == "recorded"
    assert petition.route == "department"


def test_joint_reception_records_both_bodies_and_both_offices_see_it(w):
    petition = services.petition_receive(
        actor=w.admin,
        body=w.city_body,
        channel="joint_reception",
        received_on=D(2024, 3, 12),
        summary="联合接待：反映区属单位违规招聘。",
        joint_body=w.body1,
    )
    assert (petition.body, petition.joint_body) == (w.city_body, w.body1)
    assert selectors.petitions_visible(w.users[Role.OFFICE_STAFF]).filter(pk=petition.pk).exists()
    assert not selectors.petitions_visible(w.outsider).filter(pk=petition.pk).exists()
    with pytest.raises(ValidationError, match="一同接待"):
        services.petition_receive(
            actor=w.admin,
            body=w.city_body,
            channel="joint_reception",
            received_on=D(2024, 3, 12),
            summary="缺少联合接待机构",
        )


def test_the_office_receives_only_for_its_own_body(w):
    with pytest.raises(PermissionDenied):
        _receive(w, body=w.body2)
    with pytest.raises(ValidationError, match="不在本机构"):
        _receive(w, subject_org=w.t2)


# --- the public form ------------------------------------------------------------------------------


def test_a_member_of_the_public_files_and_reads_the_answer_with_the_receipt_code(w, client):
    url = reverse("public_report", kwargs={"token": w.petitions.token1})
    response = client.post(url, {"summary": "社区干部优亲厚友，低保评定不公开。", "name": ""})
    code = response.context["code"]
    petition = Petition.objects.get(channel="qr")
    assert petition.anonymous and petition.inspection == w.rounds.inspection1
    assert code.replace("-", "") not in str(Petition.objects.filter(pk=petition.pk).values().get())
    status = client.post(reverse("public_status"), {"code": code.lower()})
    assert status.context["petition"] == petition
    services.petition_route_to_group(actor=w.admin, petition=petition, inspection=w.rounds.inspection1)
    services.petition_answer(actor=w.admin, petition=petition, answer="已责成社区重新公示低保名单。")
    page = client.post(reverse("public_status"), {"code": code}).content.decode()
    assert "已责成社区重新公示低保名单" in page and "和平区" not in page.split('id="status-result"')[1]
    wrong = client.post(reverse("public_status"), {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "查询码不存在或已过期" in wrong


def test_the_public_form_is_rate_limited_and_refuses_a_forged_token(w, client):
    url = reverse("public_report", kwargs={"token": w.petitions.token1})
    for _ in range(5):
        client.post(url, {"summary": "反映问题内容足够长的一段文字。"})
    response = client.post(url, {"summary": "反映问题内容足够长的一段文字。"})
    assert "提交过于频繁" in response.content.decode()
    assert Petition.objects.filter(channel="qr").count() == 5
    assert client.get(reverse("public_report", kwargs={"token": w.petitions.token1 + "x"})).status_code == 404


def test_the_public_form_closes_when_the_group_leaves(w, client):
    inspection = w.rounds.inspection1
    inspection.stage = "report"
    inspection.save()
    response = client.post(
        reverse("public_report", kwargs={"token": w.petitions.token1}),
        {"summary": "反映问题内容足够长的一段文字。"},
    )
    assert "已结束受理" in response.content.decode()


# --- duplicates and scope -------------------------------------------------------------------------


def test_duplicates_are_found_by_chinese_text_similarity(w):
    a = _receive(w, summary="反映多福巷社区书记刘某违规将集体门面房低价租给亲属。")
    b = _receive(w, summary="多福巷社区刘书记把社区门面房低价出租给自己亲属，请查处。")
    c = _receive(w, summary="反映街道食堂采购价格虚高。")
    found = [p for score, p in selectors.similar_petitions(w.users[Role.OFFICE_STAFF], a)]
    assert found and found[0] == b and c not in found
    assert similarity(ngrams(a.summary), ngrams(b.summary)) > similarity(ngrams(a.summary), ngrams(c.summary))
    services.petition_link(actor=w.users[Role.OFFICE_STAFF], petition=a, other=b)
    assert list(b.related.all()) == [a]


def test_a_liaison_or_department_sees_no_petition_by_url_or_api_even_guessing_ids(w, client):
    ids = list(Petition.objects.values_list("pk", flat=True)) + [999999]
    for role in (Role.LIAISON, Role.DEPARTMENT):
        client.force_login(w.users[role])
        assert not selectors.petitions_visible(w.users[role]).exists()
        for pk in ids:
            # Refused for the permission before the record is looked up: a guess learns nothing.
            assert client.get(reverse("petitions:petition", kwargs={"pk": pk})).status_code == 403
            assert (
                client.post(reverse("petitions:reveal", kwargs={"pk": pk}), {"reason": "想看看"}).status_code
                == 403
            )
            assert client.get(f"/api/petitions/{pk}").status_code == 403
        assert client.get("/api/petitions/").status_code == 403
        assert client.get("/api/clues/").status_code == (403 if role == Role.LIAISON else 200)
    # Every refused reveal is recorded once, as refused, with the request it came in (no identity).
    events = AuditEvent.objects.filter(action="petition.reveal")
    assert not events.exclude(outcome=AuditOutcome.DENIED).exists()
    attempts = sorted((w.users[r].pk, str(pk)) for r in (Role.LIAISON, Role.DEPARTMENT) for pk in ids)
    assert sorted((e.actor_id, e.object_id) for e in events) == attempts
    assert all(e.request_id and e.after == {"reason": "想看看"} and e.object_repr == "" for e in events)


def test_a_refused_reveal_on_the_page_is_recorded_once_and_survives_the_refusal(w, client):
    petition = w.petitions.petition1
    url = reverse("petitions:reveal", kwargs={"pk": petition.pk})
    scope = petition.body.owner_org.path
    for role in (Role.GROUP_LEADER, Role.LEADER, Role.OFFICE_STAFF):
        client.force_login(w.users[role])
        answer = client.post(url, {"reason": "核实反映内容"})
        assert ("张三" in answer.content.decode()) == (role == Role.OFFICE_STAFF)
    client.force_login(w.admin)
    assert client.post(url, {"reason": "核实反映内容"}).status_code == 403
    client.logout()
    client.post(url, {"reason": "核实反映内容"})  # to the login page: nobody to name
    events = AuditEvent.objects.filter(action="petition.reveal").order_by("seq")
    assert [(e.actor_id, e.outcome) for e in events] == [
        (w.users[Role.GROUP_LEADER].pk, AuditOutcome.DENIED),
        (w.users[Role.LEADER].pk, AuditOutcome.DENIED),
        (w.users[Role.OFFICE_STAFF].pk, AuditOutcome.SUCCESS),
        (w.admin.pk, AuditOutcome.DENIED),
    ]
    assert all(e.scope_path == scope and "张三" not in str(e.after) for e in events)


def test_linking_to_a_malformed_or_hidden_petition_is_not_found(w, client):
    client.force_login(w.users[Role.OFFICE_STAFF])
    url = reverse("petitions:action", kwargs={"pk": w.petitions.petition1.pk, "action": "link"})
    assert client.post(url, {"other": "abc"}).status_code == 404
    assert client.post(url, {"other": str(w.petitions.petition2.pk)}).status_code == 404  # another district's

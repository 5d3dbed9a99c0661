"""A move on a clue, its hand-over sheet and an upload are refused once, in one message: the service
checks the move's ``Action`` and the page asks ``clue_get(user, pk, action)`` (or the attachments
service's ``ATTACH``) for the same ``Action`` before it reads the request, so both say the same words
and nothing is written; a clue the user may not see stays 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.documents import attachments
from lijian.documents.models import Attachment
from lijian.findings import selectors, services

from ..world import build_findings, build_rounds


@pytest.fixture
def found(world):
    return build_findings(world, build_rounds(world))


def _refused(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def test_each_clue_action_says_who_may(world, found):
    leader, clue = world.users[Role.LEADER], found.clue1  # sees the clue, moves none of it
    calls = {
        selectors.CLUE_TRANSFER: lambda: services.clue_return(actor=leader, clue=clue, reason="证据不足"),
        selectors.CLUE_HANDLE: lambda: services.clue_accept(actor=leader, clue=clue),
        selectors.CLUE_WITHDRAW: lambda: services.clue_withdraw(actor=leader, clue=clue, reason="重复"),
        attachments.ATTACH: lambda: attachments.attachment_add(
            actor=leader, owner=clue, upload=SimpleUploadedFile("a.txt", b"x")
        ),
    }
    for action, call in calls.items():
        assert str(action.refusal).startswith(("只有", "您没有权限为该记录"))
        assert _refused(call) == str(action.refusal)
    refusal = _refused(lambda: selectors.clue_get(leader, clue.pk, selectors.CLUE_SHEET))
    assert refusal == "只有巡视巡察办和接收部门可以下载交接单。"
    assert selectors.clue_get(world.users[Role.DEPARTMENT], clue.pk, selectors.CLUE_SHEET) == clue
    assert selectors.clue_get(world.users[Role.OFFICE_STAFF], clue.pk, selectors.CLUE_SHEET) == clue
    with pytest.raises(Http404):  # another district's clue is not found, whatever the action
        selectors.clue_get(world.users[Role.OFFICE_STAFF], found.clue2.pk, selectors.CLUE_SHEET)


def test_the_sheet_page_refuses_in_the_actions_words(world, found, login):
    url = reverse("findings:clue_sheet", args=[found.clue1.pk])
    for role in (Role.LEADER, Role.GROUP_LEADER):
        answer = login(world.users[role]).get(url)
        assert answer.status_code == 403
        assert "只有巡视巡察办和接收部门可以下载交接单。" in answer.content.decode()
    assert login(world.users[Role.DEPARTMENT]).get(url).status_code == 200


def test_a_clue_move_page_refuses_before_it_reads_the_form(world, found, login):
    client = login(world.users[Role.GROUP_LEADER])  # the group's deputy: may withdraw, not send back
    answer = client.post(reverse("findings:clue_action", args=[found.clue1.pk, "return"]), {})
    assert answer.status_code == 403
    assert "只有巡视巡察办可以移交或退回线索。" in answer.content.decode()
    answer = client.post(reverse("findings:clue_action", args=[found.clue1.pk, "accept"]), {})
    assert answer.status_code == 403
    assert "只有接收部门可以办理该线索。" in answer.content.decode()
    status = found.clue1.status
    found.clue1.refresh_from_db()
    assert found.clue1.status == status
    # an unknown move still goes back to the clue, with its message
    answer = client.post(reverse("findings:clue_action", args=[found.clue1.pk, "burn"]))
    assert answer.status_code == 302


def test_the_upload_page_says_what_the_service_says(world, found, login):
    before = Attachment.objects.count()
    client = login(world.users[Role.LEADER])
    url = reverse("findings:attach", args=["clue", found.clue1.pk])
    answer = client.post(url, {"file": SimpleUploadedFile("a.txt", b"x")})  # a valid file or not: 403
    assert answer.status_code == 403
    assert "您没有权限为该记录上传附件。" in answer.content.decode()
    assert client.post(url, {}).status_code == 403
    assert Attachment.objects.count() == before
    # the office may upload: its empty form is answered with the form's message
    answer = login(world.users[Role.OFFICE_STAFF]).post(url, {}, follow=True)
    assert "请选择要上传的文件。" in answer.content.decode()

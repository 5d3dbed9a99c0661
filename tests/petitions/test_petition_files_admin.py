"""A petition's files (a scanned letter can name the petitioner) are never downloaded by an account
administrator, who must not read who petitioned by any road; the office still downloads them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.documents.attachments import attachment_add
from lijian.petitions import services as petition_services


def test_an_administrator_cannot_download_a_petitions_file(client, world):
    office = world.users[Role.OFFICE_STAFF]
    petition = petition_services.petition_receive(
        actor=office,
        body=world.body1,
        channel="letter",
        received_on=datetime.date(2024, 3, 12),
        summary="反映社区书记违规发放补贴给亲属。",
        identity={"name": "李秘密举报人", "phone": "13912345678"},
    )
    letter = attachment_add(
        actor=office, owner=petition, upload=SimpleUploadedFile("来信.pdf", b"%PDF-1.4 signed letter")
    )
    url = reverse("findings:attachment", args=[letter.pk])
    client.force_login(world.admin)
    assert client.get(url).status_code == 404
    client.force_login(office)
    answer = client.get(url)
    assert answer.status_code == 200 and b"signed letter" in b"".join(answer.streaming_content)

"""A document kind for the tests of the official-document machinery (and the route walk): a notice
of an inspection body counting the organisations it supervises as of a date. The real kinds are
registered by the upper apps; this one needs only orgs and the office scope."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse

from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q
from lijian.core.permissions import Perm, visible_get
from lijian.documents.gbt9704 import Figure, Heading, Paper, Paragraph, cn_date
from lijian.documents.kinds import ISSUE, DocumentKind, register_document_kind
from lijian.orgs.models import InspectionBody, Organization, Term

CODE = "test_notice"


def _visible(user):
    return InspectionBody.objects.filter(office_q(user, Perm.DOCUMENT_VIEW, "")).select_related("owner_org")


def organ_get(user, organ_id, action):
    body = visible_get(_visible(user), organ_id)
    if action == ISSUE and not is_office_of(user, Perm.DOCUMENT_ISSUE, body):
        raise PermissionDenied("只有本机关办公室可以起草和印发。")
    return body


def supervised(body, as_of: datetime.date):
    return Organization.objects.filter(supervising_body=body).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=as_of)
    )


def build(body, params, as_of):
    rows = supervised(body, as_of)
    href = reverse("orgs:body_detail", kwargs={"pk": body.pk})
    total = Figure("orgs", "监督的党组织", str(rows.count()), "本机关为监督机关的党组织数", href)
    streets = Figure("streets", "街道党工委", str(rows.filter(kind="street").count()), "其中街道党工委", href)
    return Paper(
        title=f"关于{body.name}监督对象情况的通报",
        blocks=[
            Heading("一、基本情况"),
            Paragraph(
                [f"截至{cn_date(as_of)}，本机关监督的党组织共", total, "个，其中街道党工委", streets, "个。"],
                "p1",
            ),
            Paragraph(["请各单位对照检查。"], "p2"),
        ],
        recipients="各党组织：",
        signature=body.name,
        subtitle=params.get("term", ""),
    )


def params_parse(body, term, year, named=""):
    if term and not Term.objects.filter(body=body, name=term).exists():
        raise ValidationError({"term": f"{body.name}没有名为“{term}”的届次。"})
    if named:
        raise ValidationError({"named": "测试通报不点名。"})
    return {"term": term, "year": year}


def organ_from_code(code):
    body = InspectionBody.objects.select_related("owner_org").filter(code=code).first()
    if body is None:
        raise ValidationError(f"没有代码为“{code}”的巡视巡察机构。")
    return body


KIND = DocumentKind(
    code=CODE,
    label="测试通报",
    organ_type="orgs.body",
    prefix_for=lambda body: body.code.replace("XCB-", "巡"),
    build=build,
    organ_get=organ_get,
    organs_visible=lambda user: _visible(user).values("pk"),
    organs_issuing=lambda user: [(b.pk, b.name) for b in bodies_of_office(user, Perm.DOCUMENT_ISSUE)],
    params_parse=params_parse,
    organ_from_code=organ_from_code,
    organ_name=lambda body: body.name,
    organ_path=lambda body: body.owner_org.path,
)


def register_test_kind():
    """Register the test kind (again: a test may have replaced it)."""
    register_document_kind(KIND, order=99)
    return KIND

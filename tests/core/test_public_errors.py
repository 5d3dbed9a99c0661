"""The public pages (no account) answer what they do not know in the public's words — a receipt
code, a QR code, an organisation's disclosure — never the staff's "not in your work scope"."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from lijian.petitions.views import QR_SALT

STAFF_WORDS = ("工作范围", "权限", "登录")


@pytest.fixture
def public():
    return Client(raise_request_exception=False)


def _page(response) -> str:
    page = response.content.decode()
    for words in STAFF_WORDS:
        assert words not in page.split("</nav>", 1)[-1], f"staff wording {words!r} on a public page"
    return page


def test_a_forged_or_stale_qr_code_says_the_code_is_invalid_or_expired(world, public):
    forged = public.get(reverse("public_report", kwargs={"token": "not-a-signed-token"}))
    assert forged.status_code == 404
    assert "二维码无效或已过期" in _page(forged)
    # a genuine signature for an inspection that is gone
    stale = public.get(reverse("public_report", kwargs={"token": signing.dumps(987654, salt=QR_SALT)}))
    assert stale.status_code == 404
    assert "二维码无效或已过期" in _page(stale)


def test_an_unknown_receipt_code_says_it_does_not_exist_or_has_expired(world, public):
    response = public.post(reverse("public_status"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 200
    assert "查询码不存在或已过期" in _page(response)
    too_long = public.post(reverse("public_status"), {"code": "A" * 500})
    assert too_long.status_code == 200 and "invalid-feedback" in _page(too_long)


def test_an_organisation_without_a_public_disclosure_has_no_page_in_public_words(world, public):
    for code in ("NOPE", world.t1.code):  # unknown, and known but never disclosed
        response = public.get(reverse("public_rectification", kwargs={"code": code}))
        assert response.status_code == 404
        assert "没有查到该单位公开的巡视巡察整改情况" in _page(response)


def test_a_public_address_that_does_not_exist_answers_in_public_words(world, public):
    response = public.get("/public/no-such-page/")
    assert response.status_code == 404
    assert "不存在或已过期" in _page(response)


def test_bad_input_in_a_public_address_is_answered_400_without_staff_links(world, public):
    response = public.get(reverse("public_report", kwargs={"token": "x"}) + "?a=%00")
    assert response.status_code == 400
    page = _page(response)
    content = page.split("</nav>", 1)[-1]
    assert 'id="bad-request-message"' in content and f'href="{reverse("core:home")}"' not in content


def test_an_expired_public_form_says_so_instead_of_a_csrf_error(world):
    from ..world import build_petitions, build_rounds

    token = build_petitions(world, build_rounds(world)).token1
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("public_report", kwargs={"token": token}), {"summary": "反映问题"})
    assert response.status_code == 403
    content = _page(response).split("</nav>", 1)[-1]
    assert "页面已过期" in content and "CSRF" not in content

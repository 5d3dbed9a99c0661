"""User journeys in the browser, in Chinese, on the Tianjin demo world."""

import csv
import io
import zipfile

import pytest

from lijian.demo.vocabulary.accounts import DEMO_PASSWORD
from lijian.orgs.models import Organization

pytestmark = pytest.mark.browser


def test_log_in_and_walk_the_tree_from_tianjin_to_a_village(page, demo_world):
    p = page.page
    page.go("/accounts/login/")
    assert p.locator("h1").inner_text().startswith("利剑")
    page.shot("01-login")
    page.login("xunshiban", DEMO_PASSWORD)
    assert "中共天津市委员会" in p.locator("#my-scope").inner_text()
    page.shot("02-home")
    p.click("nav >> text=组织")
    assert p.locator("#org-name").inner_text() == "中共天津市委员会"
    assert p.locator("#subtree-size").inner_text().replace(",", "") == str(Organization.objects.count() - 1)
    page.shot("03-tianjin")
    for step, name in enumerate(["中共天津市蓟州区委员会", "蓟州区渔阳镇党委", "东北隅村党支部"], start=4):
        p.click(f"#children >> text={name}")
        assert p.locator("#org-name").inner_text() == name
        page.shot(f"0{step}-{['district', 'town', 'village'][step - 4]}")
    crumbs = p.locator("#breadcrumbs").inner_text()
    for ancestor in ("中共天津市委员会", "中共天津市蓟州区委员会", "蓟州区渔阳镇党委"):
        assert ancestor in crumbs
    p.click("#breadcrumbs >> text=中共天津市蓟州区委员会")
    assert p.locator("#org-name").inner_text() == "中共天津市蓟州区委员会"


def test_search_an_organisation_by_name_and_by_code(page, demo_world):
    p = page.page
    page.login("xunshiban", DEMO_PASSWORD)
    page.go("/orgs/")
    p.fill("#org-search", "劝业场")
    p.wait_for_selector("#search-result-list >> text=和平区劝业场街道党工委")
    page.shot("07-search")
    p.click("#search-result-list >> text=和平区劝业场街道党工委")
    assert p.locator("#org-name").inner_text() == "和平区劝业场街道党工委"
    p.fill("#org-search", "120119100201")
    p.wait_for_selector("#search-result-list >> text=东北隅村党支部")


def _bad_bundle() -> bytes:
    buffer = io.BytesIO()
    rows = [
        ["code", "name", "kind", "parent_code"],
        ["HP-NEW-1", "和平区新建支部", "branch", "120101001001"],
        ["HP-NEW-2", "", "branch", "120101001001"],
        ["HP-NEW-3", "河西区的支部", "branch", "120103001001"],
        ["HP-NEW-4", "类别写错", "支部", "120101001001"],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.csv", text.getvalue())
    return buffer.getvalue()


def test_import_a_bad_bundle_and_read_every_error(page, demo_world, tmp_path):
    p = page.page
    bundle = tmp_path / "和平区台账.zip"
    bundle.write_bytes(_bad_bundle())
    before = Organization.objects.count()
    page.login("heping", DEMO_PASSWORD)
    p.click("nav >> text=文书")
    p.click("text=台账导入导出")  # 文书 opens the official documents; the ledger is a button there
    page.shot("08-ledger")
    p.set_input_files("#id_bundle", str(bundle))
    p.click("#import-form button[type=submit]")
    p.wait_for_selector("#import-failed")
    errors = p.locator("#import-errors tbody tr")
    assert errors.count() == 3
    text = p.locator("#import-errors").inner_text()
    assert (
        "organizations.csv" in text and "不能为空" in text and "不在您的管理范围内" in text and "支部" in text
    )
    page.shot("09-import-errors")
    assert Organization.objects.count() == before


def test_a_wrong_file_is_refused_with_a_message(page, demo_world, tmp_path):
    p = page.page
    fake = tmp_path / "台账.xlsx"
    fake.write_text("这不是 Excel 文件")
    page.login("heping", DEMO_PASSWORD)
    page.go("/documents/ledger/")
    p.set_input_files("#id_bundle", str(fake))
    p.click("#import-form button[type=submit]")
    assert "文件内容与扩展名不符" in p.locator("#import-form").inner_text()


def test_a_liaison_sees_only_their_own_organisation(page, demo_world):
    p = page.page
    page.login("lianluoyuan", DEMO_PASSWORD)
    p.click("nav >> text=组织")
    assert p.locator("#org-name").inner_text() == "天津港（集团）有限公司党委"
    root = Organization.objects.get(code="TJ")
    page.go(f"/orgs/{root.pk}/")
    assert "页面不存在" in p.locator("main").inner_text()
    page.shot("10-liaison-out-of-scope")

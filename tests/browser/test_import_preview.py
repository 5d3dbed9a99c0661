"""The import preview in the browser: an office's own workbook (a title row, Chinese headers, its own
words) is checked and shown before anything is written, then written on confirmation."""

import pytest
from openpyxl import Workbook

from lijian.demo.vocabulary.accounts import DEMO_PASSWORD
from lijian.orgs.models import Organization

pytestmark = pytest.mark.browser


def test_preview_an_office_workbook_then_confirm_it(page, demo_world, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "党组织"  # the sheet named by the file's Chinese title
    ws.append(["和平区新建党组织名册（2026年）"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "组织代码", "名称", "组织类别", "上级组织代码"])
    ws.append([1, "HP-PV-1", "和平区预览支部", "党支部", "120101001001"])
    ws.append([2, "HP-PV-2", "和平区预览社区", "社区", "120101001"])
    notes = book.create_sheet("填表说明", 0)  # a sheet of notes before the data, as offices send them
    notes.append(["填表说明"])
    notes.append(["组织类别写党支部、社区等；上级组织代码按编码规则填写。"])
    path = tmp_path / "和平区名册.xlsx"
    book.save(path)

    p = page.page
    page.login("heping", DEMO_PASSWORD)
    page.go("/documents/ledger/")
    assert p.locator("#id_preview").is_checked()  # previewing is the default
    p.set_input_files("#id_bundle", str(path))
    p.click("#import-form button[type=submit]")
    p.wait_for_selector("#preview-ok")
    assert "2" in p.locator("#import-counts").inner_text()
    assert "社区党组织" in p.locator("#import-mappings").inner_text()
    assert "填表说明" in p.locator("#import-unimported").inner_text()  # shown, not refused
    page.shot("09b-import-preview")
    assert not Organization.objects.filter(code__startswith="HP-PV-").exists()
    p.click("#confirm-form button[type=submit]")
    p.wait_for_selector("#import-ok")
    assert Organization.objects.filter(code__startswith="HP-PV-").count() == 2

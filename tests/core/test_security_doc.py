"""docs/security.md maps each ASVS 5.0 level-2 requirement and each 等保 2.0 level-3 item to the test that
proves it: every cited ``tests/…py::test_name`` must exist, so the mapping never cites a removed or
renamed test. Also the few guarantees the mapping cites that no other test held (security headers,
session cookies, idle timeout, long passwords)."""

import ast
import re
from pathlib import Path

from django.conf import settings

from lijian.accounts.choices import Role

from ..world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
CITATION = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?")
ASVS_CHAPTERS = [f"V{n}" for n in range(1, 18)]
DENGBAO_ITEMS = [
    "身份鉴别",
    "访问控制",
    "安全审计",
    "数据完整性",
    "数据保密性",
    "数据备份恢复",
    "个人信息保护",
]


def _test_names(path: Path) -> set[str]:
    """Test functions of a module, at top level or in a test class (as pytest collects them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
    return names


def missing_citations(text: str, root: Path = ROOT) -> list[str]:
    """The ``tests/…py`` and ``tests/…py::name`` citations of ``text`` that name no file or no test."""
    missing, known = [], {}
    for match in CITATION.finditer(text):
        file, name = match.group(1), match.group(2)
        path = root / file
        if not path.is_file():
            missing.append(match.group(0))
            continue
        if name is not None:
            if file not in known:
                known[file] = _test_names(path)
            if name not in known[file]:
                missing.append(match.group(0))
    return missing


def test_every_test_the_security_document_cites_exists():
    text = DOC.read_text(encoding="utf-8")
    assert len(CITATION.findall(text)) > 100  # the mapping is there, not just a stray mention
    assert missing_citations(text) == []


def test_the_check_catches_a_removed_test_and_a_removed_file():
    text = (
        "`tests/core/test_next.py::test_a_local_path_is_kept` "
        "`tests/core/test_next.py::test_that_was_renamed` `tests/core/test_gone.py::test_x`"
    )
    assert missing_citations(text) == [
        "tests/core/test_next.py::test_that_was_renamed",
        "tests/core/test_gone.py::test_x",
    ]


def test_the_document_has_a_section_per_asvs_chapter_and_per_dengbao_item():
    text = DOC.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    for chapter in ASVS_CHAPTERS:
        assert any(re.search(rf"\b{chapter}\b", h) for h in headings), chapter
    for item in DENGBAO_ITEMS:
        assert any(item in h for h in headings), item


def test_pages_carry_the_browser_security_headers(client, world):
    for response in (client.get("/accounts/login/"), client.get("/no-such-page/")):
        policy = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'"):
            assert directive in policy
        assert "frame-ancestors 'none'" in policy and response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]


def test_the_session_cookie_is_hidden_from_scripts_and_ends_when_idle(client, world):
    response = client.post(
        "/accounts/login/", {"username": world.users[Role.GROUP_MEMBER].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    # Each log-in gets a new session key, so a key known before it (session fixation) is worth nothing.
    client.post("/accounts/logout/")
    again = client.post(
        "/accounts/login/", {"username": world.users[Role.GROUP_MEMBER].username, "password": PASSWORD}
    )
    assert again.cookies[settings.SESSION_COOKIE_NAME].value not in ("", cookie.value)


def test_a_password_of_64_characters_and_more_is_accepted():
    from django.contrib.auth.password_validation import validate_password

    validate_password("巡察" * 8 + "long-passphrase-of-many-words-" * 3 + "x9")
    phrase = "the inspection group walked from the county office to every village in spring"
    assert len(phrase) >= 64
    validate_password(phrase)

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

# Every requirement of levels 1 and 2 in ASVS 5.0.0 (level 2 includes level 1), from the standard's CSV.
ASVS_LEVEL_2 = """
V1.1.1 V1.1.2 V1.2.1 V1.2.2 V1.2.3 V1.2.4 V1.2.5 V1.2.6 V1.2.7 V1.2.8 V1.2.9 V1.3.1 V1.3.2 V1.3.3
V1.3.4 V1.3.5 V1.3.6 V1.3.7 V1.3.8 V1.3.9 V1.3.10 V1.3.11 V1.4.1 V1.4.2 V1.4.3 V1.5.1 V1.5.2 V2.1.1
V2.1.2 V2.1.3 V2.2.1 V2.2.2 V2.2.3 V2.3.1 V2.3.2 V2.3.3 V2.3.4 V2.4.1 V3.2.1 V3.2.2 V3.3.1 V3.3.2
V3.3.3 V3.3.4 V3.4.1 V3.4.2 V3.4.3 V3.4.4 V3.4.5 V3.4.6 V3.5.1 V3.5.2 V3.5.3 V3.5.4 V3.5.5 V3.7.1
V3.7.2 V4.1.1 V4.1.2 V4.1.3 V4.2.1 V4.3.1 V4.3.2 V4.4.1 V4.4.2 V4.4.3 V4.4.4 V5.1.1 V5.2.1 V5.2.2
V5.2.3 V5.3.1 V5.3.2 V5.4.1 V5.4.2 V5.4.3 V6.1.1 V6.1.2 V6.1.3 V6.2.1 V6.2.2 V6.2.3 V6.2.4 V6.2.5
V6.2.6 V6.2.7 V6.2.8 V6.2.9 V6.2.10 V6.2.11 V6.2.12 V6.3.1 V6.3.2 V6.3.3 V6.3.4 V6.4.1 V6.4.2 V6.4.3
V6.4.4 V6.5.1 V6.5.2 V6.5.3 V6.5.4 V6.5.5 V6.6.1 V6.6.2 V6.6.3 V6.8.1 V6.8.2 V6.8.3 V6.8.4 V7.1.1
V7.1.2 V7.1.3 V7.2.1 V7.2.2 V7.2.3 V7.2.4 V7.3.1 V7.3.2 V7.4.1 V7.4.2 V7.4.3 V7.4.4 V7.4.5 V7.5.1
V7.5.2 V7.6.1 V7.6.2 V8.1.1 V8.1.2 V8.2.1 V8.2.2 V8.2.3 V8.3.1 V8.4.1 V9.1.1 V9.1.2 V9.1.3 V9.2.1
V9.2.2 V9.2.3 V9.2.4 V10.1.1 V10.1.2 V10.2.1 V10.2.2 V10.3.1 V10.3.2 V10.3.3 V10.3.4 V10.4.1 V10.4.2
V10.4.3 V10.4.4 V10.4.5 V10.4.6 V10.4.7 V10.4.8 V10.4.9 V10.4.10 V10.4.11 V10.5.1 V10.5.2 V10.5.3
V10.5.4 V10.5.5 V10.6.1 V10.6.2 V10.7.1 V10.7.2 V10.7.3 V11.1.1 V11.1.2 V11.2.1 V11.2.2 V11.2.3
V11.3.1 V11.3.2 V11.3.3 V11.4.1 V11.4.2 V11.4.3 V11.4.4 V11.5.1 V11.6.1 V12.1.1 V12.1.2 V12.1.3
V12.2.1 V12.2.2 V12.3.1 V12.3.2 V12.3.3 V12.3.4 V13.1.1 V13.2.1 V13.2.2 V13.2.3 V13.2.4 V13.2.5
V13.3.1 V13.3.2 V13.4.1 V13.4.2 V13.4.3 V13.4.4 V13.4.5 V14.1.1 V14.1.2 V14.2.1 V14.2.2 V14.2.3
V14.2.4 V14.3.1 V14.3.2 V14.3.3 V15.1.1 V15.1.2 V15.1.3 V15.2.1 V15.2.2 V15.2.3 V15.3.1 V15.3.2
V15.3.3 V15.3.4 V15.3.5 V15.3.6 V15.3.7 V16.1.1 V16.2.1 V16.2.2 V16.2.3 V16.2.4 V16.2.5 V16.3.1
V16.3.2 V16.3.3 V16.3.4 V16.4.1 V16.4.2 V16.4.3 V16.5.1 V16.5.2 V16.5.3 V17.1.1 V17.2.1 V17.2.2
V17.2.3 V17.2.4 V17.3.1 V17.3.2
""".split()  # noqa: SIM905 -- a block of ids reads better than 253 quoted strings
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


def asvs_ids_named(text: str) -> set[str]:
    """The ASVS requirement ids ``text`` names, one by one or as a range such as ``V1.4.1–V1.4.3``."""
    named = set(re.findall(r"V\d+\.\d+\.\d+", text))
    for section, first, last in re.findall(r"(V\d+\.\d+)\.(\d+)[–-]\1\.(\d+)", text):
        named.update(f"{section}.{n}" for n in range(int(first), int(last) + 1))
    return named


def test_every_asvs_level_2_requirement_is_answered():
    assert len(ASVS_LEVEL_2) == 253
    named = asvs_ids_named(DOC.read_text(encoding="utf-8"))
    assert [i for i in ASVS_LEVEL_2 if i not in named] == []


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
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"):
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

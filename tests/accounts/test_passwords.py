"""The password rules: length, character classes or a passphrase, the common list, and no reuse of
the last five passwords — on every road that sets a password."""

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from lijian.accounts import services
from lijian.accounts.choices import Role
from lijian.accounts.models import PasswordHistory
from lijian.demo.vocabulary.accounts import DEMO_PASSWORD

from ..world import PASSWORD, make_user


def _messages(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("abcabcabca", "密码太短"),  # the attack's example: ten letters of one class
        ("abcabcabcabc", "密码太简单"),  # long enough, one class
        ("tianjin2026x", "密码太简单"),  # two classes
        ("Qwertyuiop123", "太常见"),  # three classes, but on the common-password list
        ("20261204123456", "密码太简单"),  # digits only
        ("one one one one", "密码太简单"),  # four words, but not four different ones
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(db, password, why):
    messages = _messages(password)
    assert messages and any(why in m for m in messages), messages


@pytest.mark.parametrize(
    "password",
    ["Tianjin-2026", "xunshi.Xuncha.9", "red apple river lantern", DEMO_PASSWORD, PASSWORD],
)
def test_strong_passwords_and_passphrases_are_accepted(db, password):
    assert _messages(password) == []


def test_the_services_and_the_pages_apply_the_rules(client, world):
    with pytest.raises(ValidationError):
        services.user_create(actor=world.admin, username="weak", full_name="弱", password="abcabcabca")
    target = make_user("target")
    with pytest.raises(ValidationError):
        services.user_set_password(actor=world.admin, user=target, password="abcabcabcabc")
    client.force_login(world.admin)
    page = client.post(
        reverse("accounts:user_detail", kwargs={"pk": target.pk}),
        {"form": "password", "password": "abcabcabca", "password2": "abcabcabca"},
    ).content.decode()
    assert "密码太短" in page and "至少 12 个字符" in page
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_none_of_the_last_five_passwords_can_be_chosen_again(world):
    user = world.users[Role.GROUP_MEMBER]
    used = [PASSWORD] + [f"Tianjin-{year}-ok" for year in range(2021, 2026)]
    for password in used[1:]:
        services.user_set_password(actor=user, user=user, password=password)
    assert PasswordHistory.objects.filter(user=user).count() == 5  # only the last five are kept
    for password in used[-5:]:  # the current one and the four before it
        with pytest.raises(ValidationError) as refused:
            services.user_set_password(actor=user, user=user, password=password)
        assert any("最近 5 次" in m or "当前密码相同" in m for m in refused.value.messages)
    services.user_set_password(actor=user, user=user, password=used[0])  # the sixth back is allowed
    user.refresh_from_db()
    assert user.check_password(used[0])


def test_an_administrators_reset_also_may_not_reuse_a_recent_password(world):
    target = make_user("target")
    services.user_set_password(actor=world.admin, user=target, password="Second-pass-2026")
    with pytest.raises(ValidationError, match="最近 5 次"):
        services.user_set_password(actor=world.admin, user=target, password=PASSWORD)


def test_the_history_keeps_hashes_made_by_the_configured_hasher_never_the_password(world):
    user = world.users[Role.GROUP_MEMBER]
    services.user_set_password(actor=user, user=user, password="Another-pass-2026")
    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert stored and "Another-pass-2026" not in "".join(stored)
    # The first hasher of PASSWORD_HASHERS: Argon2 in production (the suite puts a fast one first).
    assert all(identify_hasher(h).algorithm == get_hasher().algorithm for h in stored)


def test_production_hashes_passwords_with_argon2():
    import importlib.util
    from pathlib import Path

    source = Path(importlib.util.find_spec("lijian.settings").origin).read_text()
    start = source.index("PASSWORD_HASHERS = [")
    assert "Argon2PasswordHasher" in source[start : source.index("]", start)].split(",")[0]


def test_one_time_passwords_meet_the_rules(db):
    for _ in range(20):
        assert _messages(services.one_time_password()) == []

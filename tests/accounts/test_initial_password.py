"""A password an administrator sets (creating an account, resetting a forgotten one) is known to
the administrator: its owner must replace it at the next log-in before using anything."""

from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.accounts.models import User

INITIAL = "Chushi-Mima-2026!"


def test_an_account_the_administrator_creates_must_change_its_password_first(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("accounts:user_create"),
        {"username": "newcomer", "full_name": "新同事", "password": INITIAL, "phone": ""},
    )
    assert User.objects.get(username="newcomer").must_change_password
    client.logout()
    client.post(reverse("accounts:login"), {"username": "newcomer", "password": INITIAL})
    answer = client.get(reverse("core:home"))
    assert answer.status_code == 302 and answer.url.startswith(reverse("accounts:profile"))


def test_a_password_the_administrator_resets_must_be_changed_at_the_next_log_in(client, world):
    member = world.users[Role.GROUP_MEMBER]
    client.force_login(world.admin)
    client.post(
        reverse("accounts:user_detail", kwargs={"pk": member.pk}),
        {"form": "password", "password": INITIAL, "password2": INITIAL},
    )
    member.refresh_from_db()
    assert member.check_password(INITIAL) and member.must_change_password

"""The account page offers a password reset only where it would be accepted: an administrator is
told where an office holder's credentials are reset instead of filling in a form that is refused."""

from django.urls import reverse

from lijian.accounts.choices import Role

from ..world import authenticator, make_user


def test_the_administrator_is_not_offered_a_reset_of_an_office_holders_password(client, world):
    colleague = make_user("colleague", Role.OFFICE_STAFF, world.d1, world.body1)
    authenticator(colleague)
    client.force_login(world.admin)
    office = client.get(reverse("accounts:user_detail", kwargs={"pk": colleague.pk})).content.decode()
    assert 'value="password"' not in office and 'id="password-reset-elsewhere"' in office
    liaison = world.users[Role.LIAISON]
    other = client.get(reverse("accounts:user_detail", kwargs={"pk": liaison.pk})).content.decode()
    assert 'value="password"' in other and "password-reset-elsewhere" not in other

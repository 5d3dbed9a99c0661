from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lijian.core.widgets import PickerInput
from lijian.orgs.models import InspectionBody, Organization

from .choices import Role

PASSWORD_HELP = _(
    "至少 12 个字符，混用大写字母、小写字母、数字和符号中的至少三类，或使用由至少 4 个不同单词组成的短语；"
    "不能是常见密码，不能与最近 5 次用过的密码相同。"
)


class LoginForm(AuthenticationForm):
    """Username and password, and the authenticator code for accounts that have one. A wrong
    password and a wrong or missing code get the same message (``invalid_login``)."""

    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("已绑定身份验证器的账号请填写其显示的 6 位数字。"),
    )
    error_messages = {
        "invalid_login": _("用户名、密码或动态验证码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


def phone_field() -> forms.RegexField:
    """An optional telephone number of an account: up to 30 digits, spaces and + - ( )."""
    return forms.RegexField(
        label=_("电话"),
        max_length=30,
        required=False,
        regex=r"^[0-9+\- ()]*$",
        error_messages={"invalid": _("电话只能包含数字、空格和 + - ( )。")},
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = phone_field()
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        help_text=PASSWORD_HELP,
    )


class PasswordForm(forms.Form):
    """A new password, typed twice; ``needs_current`` adds the current password (changing one's own)."""

    current = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput)
    password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput,
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            del self.fields["current"]

    def clean_current(self):
        if not self.user.check_password(self.cleaned_data["current"]):
            raise forms.ValidationError(_("当前密码不正确。"))
        return ""

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ConfirmPasswordForm(forms.Form):
    current = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self):
        if not self.user.check_password(self.cleaned_data["current"]):
            raise forms.ValidationError(_("当前密码不正确。"))
        return ""


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    organization_code = forms.CharField(
        label=_("范围（组织代码）"),
        required=False,
        max_length=40,
        widget=PickerInput("orgs:pick"),
        help_text=_(
            "输入组织名称或代码查找。角色覆盖该组织及其全部下级；留空表示全系统（仅限管理员、审计员、领导）。"
        ),
    )
    body_code = forms.CharField(
        label=_("所属机构代码"), required=False, max_length=40, widget=PickerInput("orgs:pick_body")
    )

    def clean_organization_code(self):
        code = self.cleaned_data["organization_code"].strip()
        if not code:
            return None
        try:
            return Organization.objects.get(code=code)
        except Organization.DoesNotExist as exc:
            raise forms.ValidationError(_("没有代码为“%(code)s”的组织。") % {"code": code}) from exc

    def clean_body_code(self):
        code = self.cleaned_data["body_code"].strip()
        if not code:
            return None
        try:
            return InspectionBody.objects.select_related("owner_org").get(code=code)
        except InspectionBody.DoesNotExist as exc:
            raise forms.ValidationError(_("没有代码为“%(code)s”的机构。") % {"code": code}) from exc


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

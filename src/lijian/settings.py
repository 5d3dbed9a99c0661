"""The one settings module of lijian, driven by ``LIJIAN_*`` environment variables.

Variables (all optional):

``LIJIAN_DATABASE_URL``   ``sqlite:///path`` (default: ``$LIJIAN_DATA_DIR/lijian.sqlite3``) or
                          ``postgresql://user@host:port/name``.
``LIJIAN_SECRET_KEY``     the signing key; when unset, a random key is created once and kept in
                          ``$LIJIAN_DATA_DIR/secret_key`` (readable by the owner only).
``LIJIAN_DEBUG``          ``1`` for development pages with tracebacks; never in production.
``LIJIAN_ALLOWED_HOSTS``  comma-separated host names (default ``127.0.0.1,localhost``).
``LIJIAN_DATA_DIR``       where the database, uploads, the secret key and collected static files live
                          (default: ``var/`` in the project checkout).
``LIJIAN_HTTPS``          ``1`` (default) when served over TLS: secure cookies, HSTS, redirect to https.
                          ``make run`` sets ``0`` because the demo is served on plain http://127.0.0.1.
``LIJIAN_PROXY``          ``1`` when a reverse proxy in front sets ``X-Forwarded-Proto``.
``LIJIAN_TRUSTED_PROXIES`` comma-separated addresses or CIDRs of the reverse proxies whose
                          ``X-Forwarded-For`` names the client (default: none, the peer's address counts).
``LIJIAN_TOTP_REQUIRED_ROLES`` comma-separated roles that must sign in with a TOTP code (default
                          ``administrator,office_staff,leader,auditor``; empty: none).
``LIJIAN_ATTACHMENT_MAX_MB`` the largest evidence file accepted (default 20).
``LIJIAN_LEDGER_KEY_FILE`` the key that signs audit-ledger checkpoints (created on the first
                          ``lijian ledger checkpoint``); default ``~/.config/lijian/ledger_key``,
                          outside the data folder so a copy of it cannot forge a checkpoint.
``LIJIAN_LEDGER_CHECKPOINT_DIR`` where the daily job writes one signed checkpoint a day
                          (``checkpoint-YYYY-MM-DD.json``, owner only); default ``checkpoints/`` beside
                          the ledger key. ``lijian ledger verify --checkpoint latest`` uses the newest.
``LIJIAN_IDENTITY_KEY``   hex SM4 key (32 hex digits) for petitioners' identities; when unset, one is
                          created once and kept in ``LIJIAN_IDENTITY_KEY_FILE`` (owner only).
``LIJIAN_IDENTITY_KEY_FILE`` where that key file lives (default ``~/.config/lijian/identity_key``, or
                          ``$XDG_CONFIG_HOME/lijian/identity_key``): never inside ``LIJIAN_DATA_DIR``, so
                          a copy of the data folder does not carry the key to its own data.
"""

import ipaddress
import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"LIJIAN_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
TESTING = "pytest" in sys.modules
# A test run keeps its uploads, exports and secret key in a throwaway folder, never in var/.
DATA_DIR = Path(
    _env("DATA_DIR") or (tempfile.mkdtemp(prefix="lijian-test-") if TESTING else PROJECT_DIR / "var")
)
DATA_DIR = DATA_DIR.resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    # A key made once per installation keeps sessions valid across restarts without anyone having
    # to invent one; it never leaves the data directory.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
LEDGER_KEY_FILE = Path(
    _env("LEDGER_KEY_FILE")
    or (
        Path(tempfile.mkdtemp(prefix="lijian-test-keys-")) / "ledger_key"
        if TESTING
        else Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "lijian" / "ledger_key"
    )
)
LEDGER_CHECKPOINT_DIR = Path(
    _env("LEDGER_CHECKPOINT_DIR") or LEDGER_KEY_FILE.parent / "checkpoints"
).expanduser()
DEBUG = _env_bool("DEBUG", False)


def _identity_key_file() -> Path:
    configured = _env("IDENTITY_KEY_FILE")
    if configured:
        return Path(configured).expanduser().resolve()
    if TESTING:
        # A test run never touches the user's configuration: a throwaway folder of its own.
        return Path(tempfile.mkdtemp(prefix="lijian-test-keys-")) / "identity_key"
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return (config_home / "lijian" / "identity_key").expanduser().resolve()


# The key sealing petitioners' identities lives outside the data folder, so a backup or a copy of
# that folder (database, uploads) never carries the key to its own ciphertexts.
IDENTITY_KEY_FILE = _identity_key_file()
if IDENTITY_KEY_FILE.is_relative_to(DATA_DIR) and not (DEBUG or TESTING or _env("IDENTITY_KEY")):
    raise ImproperlyConfigured(
        f"身份密钥文件 {IDENTITY_KEY_FILE} 位于数据目录 {DATA_DIR} 之内：备份数据目录会连同密钥一起带走。"
        "请把 LIJIAN_IDENTITY_KEY_FILE 设到数据目录之外（默认 ~/.config/lijian/identity_key），"
        "或用 LIJIAN_IDENTITY_KEY 直接提供密钥。"
    )
HTTPS = _env_bool("HTTPS", not TESTING)  # the test client speaks plain http
ALLOWED_HOSTS = [h.strip() for h in (_env("ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"{'https' if HTTPS else 'http'}://{h}" for h in ALLOWED_HOSTS if h != "*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "treebeard",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "lijian.core",
    "lijian.accounts",
    "lijian.orgs",
    "lijian.people",
    "lijian.inspections",
    "lijian.findings",
    "lijian.petitions",
    "lijian.rectification",
    "lijian.documents",
    "lijian.governance",
    "lijian.analytics",
    "lijian.guidance",
    "lijian.reports",
    "lijian.demo",
]

MIDDLEWARE = [
    "lijian.core.request_id.RequestId",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lijian.accounts.middleware.SecondFactorRequired",
    "lijian.accounts.middleware.PasswordChangeRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "lijian.core.middleware.MethodNotAllowedPage",
    "lijian.core.middleware.BadRequestAnswer",
    # Last, so their answers carry the security headers and the readable 405 page; they answer from
    # the method and the Content-Length header before anything (CSRF's form parsing) reads the body.
    "lijian.core.middleware.UnknownMethodRefused",
    "lijian.core.middleware.RequestBodyLimit",
]
CSRF_FAILURE_VIEW = "lijian.core.errors.csrf_failure"

ROOT_URLCONF = "lijian.urls"
WSGI_APPLICATION = "lijian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lijian.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = _env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lijian.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the worker writes; synchronous=FULL because an inspection ledger
    # must survive a power cut; IMMEDIATE transactions take the write lock up front so two writers
    # wait on the busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# At least 12 characters of three classes (or a passphrase of four words), not a common password,
# not one of the user's last five (their hashes are kept by the history validator).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lijian.accounts.passwords.StrengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lijian.accounts.passwords.HistoryValidator", "OPTIONS": {"remember": 5}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lijian.accounts.views.locked_out"
AXES_VERBOSE = False

# Idle timeout: the session lasts 30 minutes after the last request.
SESSION_COOKIE_AGE = int(_env("SESSION_MINUTES") or 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "利剑"
# Roles whose holders sign in with a TOTP code as well as the password (the first log-in enrols the
# authenticator); ``LIJIAN_TOTP_REQUIRED_ROLES`` replaces the list (comma-separated role names, empty
# for none). Administrators, office staff, leaders and auditors see or decide the sensitive things.
TOTP_REQUIRED_ROLES = frozenset(
    r.strip()
    for r in (_env("TOTP_REQUIRED_ROLES", "administrator,office_staff,leader,auditor") or "").split(",")
    if r.strip()
)

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if _env_bool("PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _trusted_proxies() -> list:
    try:
        return [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in (_env("TRUSTED_PROXIES") or "").split(",")
            if part.strip()
        ]
    except ValueError as exc:
        raise ImproperlyConfigured(f"LIJIAN_TRUSTED_PROXIES: {exc}") from exc


# The client's address comes from X-Forwarded-For only when the peer is one of these proxies; the
# public limits and the login lockout all ask lijian.core.client.client_address.
TRUSTED_PROXIES = _trusted_proxies()
AXES_CLIENT_IP_CALLABLE = "lijian.core.client.client_address"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],  # no page uses <base>: an injected one could redirect relative links
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"  # never served directly: files go through a permission check
ATTACHMENT_MAX_BYTES = int(_env("ATTACHMENT_MAX_MB") or 20) * 1024 * 1024
UPLOAD_DIR = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The form fields and JSON bodies beside the files (Django's default); whole bodies are capped first,
# from their Content-Length, by core.middleware.RequestBodyLimit (attachment or ledger size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
LEDGER_UPLOAD_MAX_BYTES = int(_env("LEDGER_UPLOAD_MAX_MB") or 200) * 1024 * 1024

# --- Background work ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

# --- API ------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "lijian": {"level": "INFO"},
        # 403 and 404 answers are part of normal use (scopes); only real failures are logged.
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

SITE_TITLE = _("利剑 · 巡视巡察工作平台")

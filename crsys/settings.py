"""Settings come from the environment only.

Unset ``DATABASE_URL`` means a local SQLite file; unset ``REDIS_URL`` means Celery runs
tasks eagerly in-process. That pair is the first-run default on any machine.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for a local development run)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "crsys.tenancy",
    "districts",
    "schools",
    "teams",
    "continuum",
    "leadership",
    "screeners",
    "crsys.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "districts.middleware.SessionLimitsMiddleware",
    "districts.middleware.MultiFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "crsys.audit.middleware.AuditMiddleware",
    "crsys.tenancy.middleware.DistrictMiddleware",
    "crsys.input_guard.InputGuardMiddleware",
    "crsys.security.NoStoreMiddleware",
    "crsys.security.PdfRateLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the response of a sign-in that django-axes refused.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crsys.urls"
WSGI_APPLICATION = "crsys.wsgi.application"
ASGI_APPLICATION = "crsys.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crsys.tenancy.context_processors.district",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The local default: autosaves arrive together (a teacher tabbing through a note's
    # fields), and SQLite's deferred transactions then fail with "database is locked".
    # IMMEDIATE takes the write lock at BEGIN, so a second writer waits its turn instead.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# On PostgreSQL every district-scoped transaction switches to this role, which owns no table
# and is no superuser, so row-level security policies apply (see docs/adr/0002).
CRSYS_DB_APP_ROLE = os.environ.get("DB_APP_ROLE", "crsys_app")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "districts.User"
# django-axes first: it refuses a locked (account, client address) before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "districts.auth.MembershipBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per (e-mail, client address) before sign-in is refused for a while.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# How many reverse proxies we run in front of the app (the TLS proxy: 1). The client address is
# the one that many hops from the right of X-Forwarded-For (crsys.client_ip); with 0, the
# header is ignored and REMOTE_ADDR is the client. Anything left of it is the client's to forge.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0" if DEBUG else "1"))

# django-axes: sign-in failures counted per (normal e-mail, client address), in the database so
# a district admin can release a locked-out member (districts.lockouts).
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_FAILURE_WINDOW_SECONDS / 3600  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # what authenticate() is called with (not the model's)
AXES_USERNAME_CALLABLE = "districts.login_throttle.axes_username"
AXES_CLIENT_IP_CALLABLE = "crsys.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "districts.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Password-reset mail: at most this many per hour per address typed and per client address.
PASSWORD_RESET_MAIL_PER_HOUR = int(os.environ.get("PASSWORD_RESET_MAIL_PER_HOUR", "3"))

# Multi-factor sign-in (django-otp): required of these roles and of platform staff everywhere;
# a district may require it of every role (District.mfa_required_for_all_roles).
MFA_REQUIRED_ROLES = ["district_admin", "district_leader", "principal", "vice_principal"]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "crsys")
# Platform staff may remove a person's authenticator in Django admin (a lost phone) but never
# see its secret or QR code, which would let them sign in as that person.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How long the second step waits after a right password (seconds).
MFA_PENDING_SECONDS = 300

# Sessions: end after this long idle, and after the absolute age whatever the activity.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_AGE_SECONDS", str(10 * 3600)))

# API tokens (django-rest-knox): hashed at rest, one per (user, client), expiring.
KNOX_TOKEN_MODEL = "districts.ApiToken"
# knox's own migrations create its (here swapped-out) token table regardless; without them
# Django makes no table for a swapped model, and a flush never meets one it does not know.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
}
# Accounts with no sign-in or token use for this many days are disabled (a Celery beat task).
ACCOUNT_UNUSED_DAYS = int(os.environ.get("ACCOUNT_UNUSED_DAYS", "90"))

# PDF renders per user per minute (each costs 0.75-2.6 s of CPU).
PDF_RENDERS_PER_MINUTE = int(os.environ.get("PDF_RENDERS_PER_MINUTE", "6"))

LANGUAGE_CODE = "en-ca"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions read from the cache (Redis in production) and fall back to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Celery: Redis as broker and result store when REDIS_URL is set, otherwise eager.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# acks_late alone loses a task whose worker process is killed; both together re-run it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacked task after this many seconds: above the longest task, not far.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "crsys <no-reply@localhost>")
# Absolute links in e-mails sent by background tasks, which have no request to build them from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "districts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "crsys.tenancy.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TOKEN_THROTTLE_RATE", "10/min")},
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "crsys.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "crsys API",
    "DESCRIPTION": (
        "Collaborative Response for school districts. Every district-owned route lives under "
        "/api/v1/d/{district_slug}/ and answers 404 to users without a membership there."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crsys.api_schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SeasonEnum": "screeners.models.Season",
        "CommitmentStatusEnum": "teams.models.CommitmentStatus",
        "ReferralStatusEnum": "teams.models.Referral.Status",
        "ImportStatusEnum": "schools.models.RosterImport.Status",
        "GradeEnum": "schools.grades.GRADE_CHOICES",
        "PlanStatusEnum": "continuum.models.PlanStatus",
        "LayerKindEnum": "teams.models.LayerKind",
        "MeasureKindEnum": "leadership.models.priorities.MeasureKind",
    },
}

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# and never eval (htmx's hx-vals='js:' and hx-on are not used: STYLE 9); inline style
# attributes are allowed (widths of bars, band colours), which cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it: the token is put in hx-headers.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
ROSTER_MAX_UPLOAD_BYTES = int(os.environ.get("ROSTER_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
ROSTER_MAX_UNZIPPED_BYTES = int(os.environ.get("ROSTER_MAX_UNZIPPED_BYTES", str(2 * 1024**3)))
# A real OneRoster CSV compresses about 5-15:1; a zip bomb by thousands.
ROSTER_MAX_ZIP_RATIO = int(os.environ.get("ROSTER_MAX_ZIP_RATIO", "200"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Audit events are kept this many days (at least 365; docs/adr/0011-audit-log.md), then
# `manage.py purge_audit_events` removes older ones.
AUDIT_RETENTION_DAYS = max(365, int(os.environ.get("AUDIT_RETENTION_DAYS", "400")))
TEAMS_EDIT_DAYS_AFTER_CLOSE = int(os.environ.get("TEAMS_EDIT_DAYS_AFTER_CLOSE", "7"))

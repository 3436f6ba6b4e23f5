"""One settings module, configured from the environment.

With nothing set, motcua runs embedded: SQLite and files under ./var. Production sets DATABASE_URL
(PostgreSQL), REDIS_URL (cache), SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "motcua-embedded-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "motcua.core",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.interop",
    "motcua.documents",
    "motcua.backoffice",
    "motcua.payments",
    "motcua.portal",
    "motcua.quality",
    "motcua.queueing",
    "motcua.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "/can-bo/dang-nhap/"
LOGIN_REDIRECT_URL = "/can-bo/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two officers acting at once are
    # serialised instead of one failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not the in-memory default: shared-cache memory databases fail concurrent writers at once
    # ("table is locked") instead of waiting, which is not how the embedded deployment behaves.
    # One file per test process, so that parallel test runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end libraries come from npm at set-up (package.json), never copied into the repository.
_NODE_MODULES = Path(os.environ.get("MOTCUA_NODE_MODULES", BASE_DIR.parent.parent / "node_modules"))
STATICFILES_DIRS = [("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist")] if _NODE_MODULES.exists() else []
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    # S3-compatible object storage (MinIO or a cloud) for documents: `pip install "django-storages[s3]"`.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

MAILERS = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "Open REST API of the provincial administrative procedure settlement system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Domain configuration (DOMAIN.md "Time") ---
MOTCUA_OFFICE_SESSIONS = os.environ.get("MOTCUA_OFFICE_SESSIONS", "07:30-11:30,13:00-17:00")
# Start-of-clock rule for paper dossiers (counter, post): received at or after this time, the clock
# starts on the next working day. Empty disables it.
MOTCUA_PAPER_CUTOFF = os.environ.get("MOTCUA_PAPER_CUTOFF", "15:00")
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "40")
# "thread": an in-process worker dispatches the outbox after commit (embedded);
# "sync": dispatch inline after commit (tests); "off": a separate `motcua outbox` process does it.
MOTCUA_OUTBOX_DISPATCH = os.environ.get("MOTCUA_OUTBOX_DISPATCH", "thread")
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
# SMS/Zalo adapter (dotted path): the logging one writes messages to the log (no provider here).
MOTCUA_SMS_BACKEND = os.environ.get("MOTCUA_SMS_BACKEND", "motcua.interop.sms.LoggingSms")
MOTCUA_PAYMENT_GATEWAY = os.environ.get("MOTCUA_PAYMENT_GATEWAY", "sandbox")
# HMAC secret of the sandbox payment gateway; empty: derived from SECRET_KEY.
MOTCUA_SANDBOX_PAYMENT_SECRET = os.environ.get("MOTCUA_SANDBOX_PAYMENT_SECRET", "")
# National e-identity (VNeID level 2) login, core.identity. The in-project sandbox provider lets anyone claim
# any identity: off unless DEBUG, or switched on here explicitly (then a start with DEBUG off logs a warning).
MOTCUA_VNEID_SANDBOX = env_bool("MOTCUA_VNEID_SANDBOX", DEBUG)
# National Public Service Portal (DVCQG) sync (DOMAIN.md "Sync with DVCQG"). Empty URL: sync disabled,
# calls are recorded as pending; nothing is sent or claimed sent.
MOTCUA_DVCQG_URL = os.environ.get("MOTCUA_DVCQG_URL", "")
MOTCUA_DVCQG_USERNAME = os.environ.get("MOTCUA_DVCQG_USERNAME", "")
MOTCUA_DVCQG_PASSWORD = os.environ.get("MOTCUA_DVCQG_PASSWORD", "")
MOTCUA_DVCQG_TIMEOUT = float(os.environ.get("MOTCUA_DVCQG_TIMEOUT", "10"))
# The in-project stand-in for the portal at /lien-thong/dvcqg-sandbox/ (404 when off).
MOTCUA_DVCQG_SANDBOX = env_bool("MOTCUA_DVCQG_SANDBOX", DEBUG)
# Decision 766 indicator 2.1: a withdrawal after reception (status 7) counts as an end of processing, as
# the Decision's guidance reads (DOMAIN.md "Time"). Off by default. Shown on the indicator page.
QUALITY_WITHDRAWAL_ENDS_PROCESSING = env_bool("QUALITY_WITHDRAWAL_ENDS_PROCESSING", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

"""One settings module, configured from the environment.

With nothing set, motcua runs embedded: SQLite and files under ./var. Production sets DATABASE_URL
(PostgreSQL), REDIS_URL (cache), SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from motcua.core.logs import init_sentry, logging_config

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
# The reverse proxies in front of the app (addresses or networks, e.g. "127.0.0.1,10.0.0.0/24"): only
# from them are X-Forwarded-For (the client's address, core.ratelimit.client_ip) and X-Forwarded-Proto
# (HTTPS) believed. Empty: REMOTE_ADDR is the client.
MOTCUA_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("MOTCUA_TRUSTED_PROXIES", "").split(",") if p.strip()
]

INSTALLED_APPS = [
    "motcua.core.auth_admin.OTPAdminConfig",  # django.contrib.admin, its site asking for the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "motcua.core",
    "motcua.outbox",
    "motcua.catalog",
    "motcua.dossiers",
    # documents before interop: their receivers of dossier_changed run in this order, and the e-result an
    # act issues must be queued before the DVCQG sync that sends it.
    "motcua.documents",
    "motcua.eforms",  # declaration forms as data (#16): documents' PDFs, before interop's receivers
    "motcua.interop",
    "motcua.backoffice",
    "motcua.payments",
    "motcua.portal",
    "motcua.quality",
    "motcua.queueing",
    "motcua.directives",  # reform directives, their tasks and the units' reports (#20)
    "motcua.standing",  # the province's PAR Index, SIPAS and PAPI against its targets (#20)
    "motcua.intake",  # above documents and dossiers, below the front doors
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "motcua.core.logs.RequestIdMiddleware",  # first: the request id is bound for everything below
    "motcua.core.metrics.MetricsMiddleware",  # times everything below (core.metrics)
    "motcua.core.ratelimit.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "motcua.core.middleware.RefuseNulBytesMiddleware",
    "motcua.core.middleware.DatabaseBusyMiddleware",  # an overloaded database: 503, never a 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.core.audit.DenialAuditMiddleware",  # a 403 answered below is audited (core.audit)
    "django_otp.middleware.OTPMiddleware",
    "motcua.core.auth.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.core.auth.LoginLockoutMiddleware",  # last: turns a locked-out login into 429 (django-axes)
]
# core.auth.LoginLockoutMiddleware is django-axes' middleware (kept synchronous under ASGI); axes' own check
# looks for its dotted path only.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]

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
    # serialised instead of one failing half-way with "database is locked"; a writer waits up to
    # MOTCUA_SQLITE_TIMEOUT seconds for it (then 503, core.middleware.database_busy). WAL lets pages read
    # while one writes (and survives a crash: synchronous=NORMAL is safe with WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("MOTCUA_SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not the in-memory default: shared-cache memory databases fail concurrent writers at once
    # ("table is locked") instead of waiting, which is not how the embedded deployment behaves.
    # One file per test process, so that parallel test runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs its synchronous code in a new thread: a connection kept per thread
    # (CONN_MAX_AGE) is never reused and PostgreSQL runs out of them (the load scenario reached 97 of 100).
    # There, each process borrows from a pool of at most MOTCUA_DB_POOL_SIZE connections (web workers ×
    # pool size + outbox workers must stay under max_connections); 0 turns the pool off.
    _pool_size = int(os.environ.get("MOTCUA_DB_POOL_SIZE", "10" if env_bool("MOTCUA_ASGI", False) else "0"))
    if _pool_size > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool_size,
            "timeout": float(os.environ.get("MOTCUA_DB_POOL_TIMEOUT", "10")),  # then 503
        }
    elif env_bool("MOTCUA_ASGI", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    # No JIT compiling: it pays for queries of many seconds, while the pages' and the acts' last
    # milliseconds, and a plan costed past jit_above_cost took 0.9 s to compile for a 0.2 s read (the
    # province's standing page at 100,000 dossiers, #20). MOTCUA_PG_JIT=1 keeps the server's own setting.
    if not env_bool("MOTCUA_PG_JIT", False):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "ratelimit" holds the rate-limit counters (core.ratelimit) in Redis; without Redis they are rows of the
# database (core.models.RateCounter), shared by every worker all the same, never one process's memory.
if os.environ.get("REDIS_URL"):
    _redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    CACHES = {"default": _redis, "ratelimit": _redis | {"KEY_PREFIX": "ratelimit"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Signing in (core.auth) ---
AUTHENTICATION_BACKENDS = [
    "motcua.core.auth.LoginLockoutBackend",  # django-axes: refuses a locked-out name at that address
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins are forgiven; the sixth locks the user name *at that client address* (a stranger
# elsewhere cannot lock a citizen out) for MOTCUA_LOGIN_LOCKOUT_MINUTES, even with the right password.
AXES_FAILURE_LIMIT = 6
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "10")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "motcua.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.core.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends when the message says it does
# Officers, administrators and staff confirm each login with a TOTP code (django-otp). 0 turns it off:
# for development only (the test suite turns it off and its second-factor tests back on).
MOTCUA_OFFICER_OTP = env_bool("MOTCUA_OFFICER_OTP", True)
OTP_TOTP_ISSUER = "Một cửa Nghệ An"
# An officer's session lasts a working day from login.
MOTCUA_OFFICER_SESSION_HOURS = float(os.environ.get("MOTCUA_OFFICER_SESSION_HOURS", "9"))
# API tokens (POST /api/v1/auth/token) expire after this many hours.
MOTCUA_API_TOKEN_HOURS = float(os.environ.get("MOTCUA_API_TOKEN_HOURS", "8"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "motcua.core.validators.MinimumLengthValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ["username", "first_name", "last_name", "email", "citizen_id", "phone"]
        },
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "motcua.core.validators.PersonalDataPasswordValidator"},
]

# --- HTTPS, cookies, Content-Security-Policy ---
# MOTCUA_HTTPS (default: on when DEBUG is off): redirect to HTTPS, HSTS, cookies sent over HTTPS only.
# Behind a TLS-terminating proxy listed in MOTCUA_TRUSTED_PROXIES, its X-Forwarded-Proto tells HTTPS.
MOTCUA_HTTPS = env_bool("MOTCUA_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = MOTCUA_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if MOTCUA_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", MOTCUA_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", MOTCUA_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if MOTCUA_TRUSTED_PROXIES else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = MOTCUA_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come from this site only (htmx is served from /static/); the few inline ones carry
# the request's nonce (`{{ request.csp_nonce }}`). QR codes are inline SVG; Swagger UI's icons are data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["motcua.formats"]  # dd/mm/yyyy HH:MM and "17.000" on every page and slip

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end libraries come from npm at set-up (package.json), never copied into the repository.
_NODE_MODULES = Path(os.environ.get("MOTCUA_NODE_MODULES", BASE_DIR.parent.parent / "node_modules"))
STATICFILES_DIRS = [("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist")] if _NODE_MODULES.exists() else []
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
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

# EMAIL_BACKEND: "smtp" (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS),
# "none" (no e-mail is sent: notifications go by SMS only), "console" (development), or a dotted path.
# With DEBUG off it must be said: the console would silently lose every notification.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "none": "django.core.mail.backends.dummy.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND", "console" if DEBUG else "")
if not _email_backend:
    raise RuntimeError('EMAIL_BACKEND must be set when DEBUG is off: "smtp" (with EMAIL_HOST...) or "none"')
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": _EMAIL_BACKENDS.get(_email_backend, _email_backend)}
}
if _email_backend == "smtp":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        # seconds per wait on the mail server: the outbox worker sending it is not held by a dead server
        "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["motcua.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "Open REST API of the provincial administrative procedure settlement system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from /static/ (drf-spectacular-sidecar): no CDN, and the CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"StepKindEnum": "motcua.dossiers.models.StepInstance.Kind"},
}

# --- Domain configuration (docs/domain.md "Time") ---
MOTCUA_OFFICE_SESSIONS = os.environ.get("MOTCUA_OFFICE_SESSIONS", "07:30-11:30,13:00-17:00")
# Start-of-clock rule for paper dossiers (counter, post): received at or after this time, the clock
# starts on the next working day. Empty disables it.
MOTCUA_PAPER_CUTOFF = os.environ.get("MOTCUA_PAPER_CUTOFF", "15:00")
# Appointments (queueing.bookings): booked up to this many working days ahead; at the kiosk a booking becomes
# a ticket from EARLY minutes before its half-hour slot to LATE minutes after its start, then it is a no-show
# (`motcua release_no_shows`, every 5 minutes) and its place is free again.
MOTCUA_BOOKING_DAYS_AHEAD = int(os.environ.get("MOTCUA_BOOKING_DAYS_AHEAD", "10"))
MOTCUA_BOOKING_CHECK_IN_EARLY_MINUTES = int(os.environ.get("MOTCUA_BOOKING_CHECK_IN_EARLY_MINUTES", "30"))
MOTCUA_BOOKING_CHECK_IN_LATE_MINUTES = int(os.environ.get("MOTCUA_BOOKING_CHECK_IN_LATE_MINUTES", "15"))
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "40")
# Reform directives (#20): the coordinating unit (the Department of Home Affairs' unit code) of a directive
# entered without one; its leaders and specialists enter directives and review the units' reports. Units are
# reminded once this many working days before a report is due (the due day included), and once when late.
MOTCUA_DIRECTIVES_COORDINATOR = os.environ.get("MOTCUA_DIRECTIVES_COORDINATOR", "")
MOTCUA_DIRECTIVE_REMINDER_DAYS = int(os.environ.get("MOTCUA_DIRECTIVE_REMINDER_DAYS", "3"))
# "thread": an in-process worker dispatches the outbox after commit (embedded);
# "sync": dispatch inline after commit (tests); "off": a separate `motcua outbox` process does it.
MOTCUA_OUTBOX_DISPATCH = os.environ.get("MOTCUA_OUTBOX_DISPATCH", "thread")
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
# The reception hall's priority policy (queueing.services.take_ticket): who is called before the others, of
# booked (an appointment), elderly (60 or older by the ID card), disabled, pregnant (declared at the kiosk).
MOTCUA_QUEUE_PRIORITIES = [
    p.strip()
    for p in os.environ.get("MOTCUA_QUEUE_PRIORITIES", "booked,elderly,disabled,pregnant").split(",")
    if p.strip()
]
# The kiosk photographs the ticket holder (camera); the photos are deleted each night (purge_ticket_photos).
MOTCUA_QUEUE_PHOTOS = env_bool("MOTCUA_QUEUE_PHOTOS", False)
# The agencies' signing keys and certificates (documents.signing); empty: VAR_DIR/pki.
MOTCUA_PKI_DIR = os.environ.get("MOTCUA_PKI_DIR", "")
# SMS/Zalo adapter (dotted path): the logging one writes messages to the log (no provider here).
MOTCUA_SMS_BACKEND = os.environ.get("MOTCUA_SMS_BACKEND", "motcua.interop.sms.LoggingSms")
# Zalo OA notifications (interop.zalo), sent only to accounts that consent: the logging adapter sends nothing;
# motcua.interop.zalo.ZnsZalo calls Zalo's ZNS API (MOTCUA_ZALO_URL, the OA's access token, the approved
# template's id; the whole call within MOTCUA_ZALO_TIMEOUT seconds).
MOTCUA_ZALO_BACKEND = os.environ.get("MOTCUA_ZALO_BACKEND", "motcua.interop.zalo.LoggingZalo")
MOTCUA_ZALO_URL = os.environ.get("MOTCUA_ZALO_URL", "https://business.openapi.zalo.me/message/template")
MOTCUA_ZALO_ACCESS_TOKEN = os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", "")
MOTCUA_ZALO_TEMPLATE_ID = os.environ.get("MOTCUA_ZALO_TEMPLATE_ID", "")
MOTCUA_ZALO_TIMEOUT = float(os.environ.get("MOTCUA_ZALO_TIMEOUT", "10"))
# The in-project stand-in for Zalo's ZNS API at /lien-thong/zalo-sandbox/ (404 when off).
MOTCUA_ZALO_SANDBOX = env_bool("MOTCUA_ZALO_SANDBOX", DEBUG)
# Bank collection (payments.bank): the bank that collects the fees on the Center's behalf (the provider
# named on its payments) and, when set, the collection account a statement must be of.
MOTCUA_BANK_COLLECTION_BANK = os.environ.get("MOTCUA_BANK_COLLECTION_BANK", "vietcombank")
MOTCUA_BANK_COLLECTION_ACCOUNT = os.environ.get("MOTCUA_BANK_COLLECTION_ACCOUNT", "")
MOTCUA_PAYMENT_GATEWAY = os.environ.get("MOTCUA_PAYMENT_GATEWAY", "sandbox")
# HMAC secret of the sandbox payment gateway; empty: derived from SECRET_KEY.
MOTCUA_SANDBOX_PAYMENT_SECRET = os.environ.get("MOTCUA_SANDBOX_PAYMENT_SECRET", "")
# The payment sandbox (/thanh-toan/sandbox/) marks any payment paid and signs the callback itself: off
# (404) unless DEBUG, or switched on here explicitly; then a start with DEBUG off logs a warning and
# `motcua check --deploy` reports payments.W001.
MOTCUA_PAYMENT_SANDBOX = env_bool("MOTCUA_PAYMENT_SANDBOX", DEBUG)
# National e-identity (VNeID level 2) login, core.identity. The in-project sandbox provider lets anyone claim
# any identity: off unless DEBUG, or switched on here explicitly (then a start with DEBUG off logs a warning).
MOTCUA_VNEID_SANDBOX = env_bool("MOTCUA_VNEID_SANDBOX", DEBUG)
# National Public Service Portal (DVCQG) sync (docs/domain.md "Sync with DVCQG"). Empty URL: sync disabled,
# calls are recorded as pending; nothing is sent or claimed sent.
MOTCUA_DVCQG_URL = os.environ.get("MOTCUA_DVCQG_URL", "")
MOTCUA_DVCQG_USERNAME = os.environ.get("MOTCUA_DVCQG_USERNAME", "")
MOTCUA_DVCQG_PASSWORD = os.environ.get("MOTCUA_DVCQG_PASSWORD", "")
MOTCUA_DVCQG_TIMEOUT = float(os.environ.get("MOTCUA_DVCQG_TIMEOUT", "10"))
# The in-project stand-in for the portal at /lien-thong/dvcqg-sandbox/ (404 when off).
MOTCUA_DVCQG_SANDBOX = env_bool("MOTCUA_DVCQG_SANDBOX", DEBUG)
# Dossiers submitted on the portal (intake.inbound): pulled every so many minutes when MOTCUA_DVCQG_URL is
# set (0: no scheduled pull; `motcua dvcqg_pull` pulls at once), and its webhook at /lien-thong/dvcqg/webhook,
# which exists only with a shared secret (the body's HMAC-SHA256 in X-DVCQG-Signature).
MOTCUA_DVCQG_PULL_MINUTES = float(os.environ.get("MOTCUA_DVCQG_PULL_MINUTES", "5"))
MOTCUA_DVCQG_WEBHOOK_SECRET = os.environ.get("MOTCUA_DVCQG_WEBHOOK_SECRET", "")
# The data axes (interop.axis): the provincial LGSP and the national NGSP, each MOTCUA_<AXIS>_URL (empty:
# nothing is sent), _TOKEN_URL (default <url>token), _CLIENT_ID/_CLIENT_SECRET (OAuth2 client
# credentials), _CLIENT_CERT/_CLIENT_KEY/_CA (mutual TLS, PEM files), _SIGNING_SECRET (HMAC of each
# request), _TIMEOUT (hard deadline of a call, s). The in-project sandbox of the axes and the ministries'
# systems (/lien-thong/truc-sandbox/, 404 when off); with it on and no URL set, the axes go to it.
MOTCUA_AXIS_SANDBOX = env_bool("MOTCUA_AXIS_SANDBOX", DEBUG)
MOTCUA_AXIS_SANDBOX_CLIENT_ID = os.environ.get("MOTCUA_AXIS_SANDBOX_CLIENT_ID", "motcua-sandbox")
MOTCUA_AXIS_SANDBOX_CLIENT_SECRET = os.environ.get("MOTCUA_AXIS_SANDBOX_CLIENT_SECRET", "sandbox-secret")
MOTCUA_AXIS_SANDBOX_SIGNING_SECRET = os.environ.get("MOTCUA_AXIS_SANDBOX_SIGNING_SECRET", "sandbox-signing")
MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY = float(os.environ.get("MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY", "3"))
_AXIS_KEYS = ["url", "token_url", "client_id", "client_secret", "client_cert", "client_key", "ca"]
_AXIS_KEYS.append("signing_secret")


def _axis(name: str) -> dict[str, str | float]:
    env: dict[str, str | float] = {
        key: os.environ.get(f"MOTCUA_{name.upper()}_{key.upper()}", "") for key in _AXIS_KEYS
    }
    if not env["url"] and MOTCUA_AXIS_SANDBOX:
        env |= {
            "url": f"{MOTCUA_PUBLIC_URL.rstrip('/')}/lien-thong/truc-sandbox/{name}/",
            "client_id": MOTCUA_AXIS_SANDBOX_CLIENT_ID,
            "client_secret": MOTCUA_AXIS_SANDBOX_CLIENT_SECRET,
            "signing_secret": MOTCUA_AXIS_SANDBOX_SIGNING_SECRET,
        }
    return env | {"timeout": float(os.environ.get(f"MOTCUA_{name.upper()}_TIMEOUT", "10"))}


MOTCUA_AXES = {name: _axis(name) for name in ("lgsp", "ngsp")}
# Decision 766 indicator 2.1: a withdrawal after reception (status 7) counts as an end of processing, as
# the Decision's guidance reads (docs/domain.md "Time"). Off by default. Shown on the indicator page.
QUALITY_WITHDRAWAL_ENDS_PROCESSING = env_bool("QUALITY_WITHDRAWAL_ENDS_PROCESSING", False)

# --- Logs (core.logs): one JSON object a line on stderr, or lines for a console (default while DEBUG) ---
LOGGING_CONFIG = "motcua.core.logs.configure"
LOGGING = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "console" if DEBUG else "json"),
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
# django-axes logs the typed user name (it may be a citizen id) with each failure: a digest instead.
AXES_CLIENT_STR_CALLABLE = "motcua.core.audit.axes_client_str"
# --- Probes and metrics (core.health, core.metrics): a load balancer probes them over plain HTTP ---
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Who may read /metrics: these addresses or networks (the client's real address, core.ratelimit), or
# whoever sends "Authorization: Bearer <MOTCUA_METRICS_TOKEN>" when a token is set.
MOTCUA_METRICS_ALLOW = [
    a.strip() for a in os.environ.get("MOTCUA_METRICS_ALLOW", "127.0.0.1,::1").split(",") if a.strip()
]
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
# --- Error reporting: Sentry (or a compatible service) when SENTRY_DSN is set; no personal data sent ---
if os.environ.get("SENTRY_DSN"):
    init_sentry(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("MOTCUA_ENVIRONMENT") or "production",
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

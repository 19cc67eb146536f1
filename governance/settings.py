"""Settings for the contract governance service, read from the environment.

Development (the default) runs on SQLite with Celery in eager mode and email to the
console. ``DJANGO_ENV=production`` requires a secret key and allowed hosts and turns on
the HTTPS and cookie protections that ``manage.py check --deploy`` asks for.
"""

import datetime
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: SQLite database, uploads, sent mail in development

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(
                f"{required} must be set when DJANGO_ENV=production; see .env.production.example."
            )
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    DEBUG = False
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="development-only-key-not-for-production-use-0123456789"
    )
    # Off unless asked for, so the demo shows the pages users see (a mistyped address
    # answers "Page not found", not a list of every URL). DJANGO_DEBUG=true for development.
    DEBUG = env.bool("DJANGO_DEBUG", default=False)
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "governance",
    "contracts",
    "risks",
    "disputes",
]

MIDDLEWARE = [
    # First: the container health check asks over plain HTTP by the container's own name,
    # before the HTTPS redirect and the host check could turn it away.
    "governance.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "governance.core.middleware.SecurityHeadersMiddleware",
    "governance.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "governance.accounts.middleware.SessionIdleTimeoutMiddleware",
    "governance.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

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
                "governance.core.context_processors.service",
                "governance.accounts.context_processors.session_timeout",
            ],
            "builtins": ["governance.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "governance.core.forms.GovukFormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'governance.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Concurrent writes wait their turn rather than fail with "database is locked":
    # every transaction takes the write lock when it begins (a deferred one that reads
    # first cannot wait for it later), waits up to the timeout for it, and the
    # write-ahead log lets readers carry on while one request writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT_SECONDS", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests run on a file, like the service itself: an in-memory database is shared by
    # one connection between threads, so it cannot show how concurrent requests behave.
    # One file per test run, so two runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-governance-{os.getpid()}.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "governance.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "governance.core.backends.KeptPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after 5 failures for the same username from the same address the
# account is locked for 15 minutes on that address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["governance.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

FILTERS_EMPTY_CHOICE_LABEL = "Any"
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploaded documents: allowed kinds are checked by content in governance.documents.
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# List exports of more rows than these are prepared in the background (a Celery job,
# with a page showing its progress) rather than sent while the person waits: each limit
# is about what its format builds in a second or two. A PDF table is far slower to lay
# out than CSV or a spreadsheet.
EXPORT_IMMEDIATE_MAX_ROWS = {
    "csv": env.int("EXPORT_CSV_IMMEDIATE_MAX_ROWS", default=5000),
    "xlsx": env.int("EXPORT_XLSX_IMMEDIATE_MAX_ROWS", default=2000),
    "pdf": env.int("EXPORT_PDF_IMMEDIATE_MAX_ROWS", default=100),
}
# Exports prepared in the background are deleted, with their files, this many days after
# they were finished.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

# Spreadsheet imports: the largest file taken, and the most rows of data in one file (a
# longer file is refused with a message asking to split it, so no import runs for long).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=10)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)

# Email: the console in development; SMTP (or a file folder) from the environment.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "sent-mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="governance@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when a broker is configured, otherwise tasks run inline (eager mode).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The cache: Redis at CACHE_URL (by default REDIS_URL), shared by every web and Celery
# worker; otherwise memory inside the one process.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "governance",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds a built dashboard (and a contract page's overview body, and each user's
# permissions: governance/core/kept.py) is kept; a change to any record replaces it sooner. Kept by
# default only with a shared cache: a memory cache would keep one worker's copy after
# another worker's change. 0 builds every dashboard afresh.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600 if CACHE_URL else 0)

SERVICE_NAME = env.str("SERVICE_NAME", default="Contract governance")
# The address people use to reach the service: links in emails start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Risk score bands: (code, label, lowest, highest), lowest first. A risk whose residual
# score enters the last band alerts every policy development manager.
RISK_BANDS = [
    ("low", "Low", 1, 4),
    ("medium", "Medium", 5, 9),
    ("high", "High", 10, 16),
    ("very_high", "Very high", 20, 25),
]
# Financial returns need commentary when spend differs from budget by more than this.
FINANCE_VARIANCE_COMMENTARY_PERCENT = env.int("FINANCE_VARIANCE_COMMENTARY_PERCENT", default=5)
COMMISSIONER_NAME = env.str("COMMISSIONER_NAME", default="Office of the Commissioner")

# Procurement Act 2023 duties (contracts/procurement). Each value is shown, with what it
# means, on the notices register's "About these duties" help, so a commissioner can see
# which figures their installation uses.
PROCUREMENT_ACT_COMMENCEMENT = datetime.date.fromisoformat(
    env.str("PROCUREMENT_ACT_COMMENCEMENT", default="2025-02-24")
)
# A contract under the Act worth more than this (GBP) needs at least 3 KPIs (s.52).
PROCUREMENT_KPI_DUTY_THRESHOLD = env.int("PROCUREMENT_KPI_DUTY_THRESHOLD", default=5_000_000)
# How many KPIs the duty asks for, and how many of them are marked for publication.
PROCUREMENT_KPI_DUTY_MINIMUM = env.int("PROCUREMENT_KPI_DUTY_MINIMUM", default=3)
# Days after a contract is entered into by which its contract details notice is due (s.53).
PROCUREMENT_UK7_DUE_DAYS = env.int("PROCUREMENT_UK7_DUE_DAYS", default=30)
# ... and for a light-touch contract, which the Act gives longer (s.53).
PROCUREMENT_UK7_LIGHT_TOUCH_DUE_DAYS = env.int("PROCUREMENT_UK7_LIGHT_TOUCH_DUE_DAYS", default=120)
# Days after a contract ends by which its termination notice is due (s.80).
PROCUREMENT_UK11_DUE_DAYS = env.int("PROCUREMENT_UK11_DUE_DAYS", default=30)
# Change notices (s.74-75): cumulative change against the original terms allowed without
# a notice, in percent, and the shortest voluntary standstill in working days.
PROCUREMENT_CHANGE_VALUE_PERCENT = env.int("PROCUREMENT_CHANGE_VALUE_PERCENT", default=10)
PROCUREMENT_CHANGE_WORKS_VALUE_PERCENT = env.int(
    "PROCUREMENT_CHANGE_WORKS_VALUE_PERCENT", default=15
)
PROCUREMENT_CHANGE_TERM_PERCENT = env.int("PROCUREMENT_CHANGE_TERM_PERCENT", default=10)
PROCUREMENT_STANDSTILL_MIN_WORKING_DAYS = env.int(
    "PROCUREMENT_STANDSTILL_MIN_WORKING_DAYS", default=8
)
# The thresholds of Schedule 1 to the Act (GBP, VAT included) that OCDS notices compare a
# contract's value with (``aboveThreshold``): contracts of a sub-central authority such as a
# council or a police and crime commissioner. The defaults are the figures in force from
# 1 January 2024; check them against the current Schedule 1 and set them here when they
# are revised. Works contracts and concessions use the works figure; light-touch
# contracts and utilities contracts their own.
PROCUREMENT_THRESHOLD_GOODS_SERVICES = env.int(
    "PROCUREMENT_THRESHOLD_GOODS_SERVICES", default=214_904
)
PROCUREMENT_THRESHOLD_WORKS = env.int("PROCUREMENT_THRESHOLD_WORKS", default=5_372_609)
PROCUREMENT_THRESHOLD_LIGHT_TOUCH = env.int("PROCUREMENT_THRESHOLD_LIGHT_TOUCH", default=663_540)
PROCUREMENT_THRESHOLD_UTILITIES = env.int("PROCUREMENT_THRESHOLD_UTILITIES", default=429_809)
# Which contract flags switch each duty off (duty -> flags); any one flag set is enough.
# The defaults follow the Act (flags: light_touch, framework, concession, utilities, the
# last meaning a utilities contract awarded by a private utility); each row can be
# changed through its environment variable if the guidance is read differently. The
# notices register's help shows this table.
#   kpi         s.52  KPIs: not for frameworks, concessions, light-touch contracts or
#                     private utilities
#   uk7         s.53  contract details notice: owed by every public contract (a
#                     light-touch contract has longer to publish it)
#   uk9         s.71(2) performance assessments against KPIs: only where s.52 set KPIs,
#                     so the KPI duty's exemptions
#   uk9_breach  s.71(3)-(5) breach and poor performance notices: not private utilities
#   uk10        s.75(6) change notice: not light-touch contracts or private utilities
#   uk11        s.80  termination notice: not private utilities
#   payments    s.69(6) payments compliance notice: not concessions or private utilities
#   payments_30k s.70 payments over GBP 30,000: treated as s.69 (concessions, private
#                     utilities)
PROCUREMENT_DUTY_EXEMPT_FLAGS = {
    "kpi": env.list(
        "PROCUREMENT_KPI_EXEMPT_FLAGS",
        default=["light_touch", "framework", "concession", "utilities"],
    ),
    "uk7": env.list("PROCUREMENT_UK7_EXEMPT_FLAGS", default=[]),
    "uk9": env.list(
        "PROCUREMENT_UK9_EXEMPT_FLAGS",
        default=["light_touch", "framework", "concession", "utilities"],
    ),
    "uk9_breach": env.list("PROCUREMENT_UK9_BREACH_EXEMPT_FLAGS", default=["utilities"]),
    "uk10": env.list("PROCUREMENT_UK10_EXEMPT_FLAGS", default=["light_touch", "utilities"]),
    "uk11": env.list("PROCUREMENT_UK11_EXEMPT_FLAGS", default=["utilities"]),
    "payments": env.list("PROCUREMENT_PAYMENTS_EXEMPT_FLAGS", default=["concession", "utilities"]),
    "payments_30k": env.list(
        "PROCUREMENT_PAYMENTS_30K_EXEMPT_FLAGS", default=["concession", "utilities"]
    ),
}
# Find a Tender's code for the payments compliance notice (confirm against the current
# Find a Tender guidance; kept a setting because the code has been published differently).
PROCUREMENT_PAYMENTS_COMPLIANCE_CODE = env.str(
    "PROCUREMENT_PAYMENTS_COMPLIANCE_CODE", default="UK17"
)
# Payments (sections 68 to 70) and the OCDS export, shown on the same help.
# Days an undisputed invoice has to be paid in, counted in calendar days from receipt.
PROCUREMENT_INVOICE_PAYMENT_DAYS = env.int("PROCUREMENT_INVOICE_PAYMENT_DAYS", default=30)
# Days after a six-month period (ending 31 March or 30 September) that notice is due.
PROCUREMENT_UK17_DUE_DAYS = env.int("PROCUREMENT_UK17_DUE_DAYS", default=30)
# The duty starts on this day: the first six-month period owed is the one it falls in, and
# payments before it are left out.
PROCUREMENT_PAYMENTS_COMPLIANCE_FROM = datetime.date.fromisoformat(
    env.str("PROCUREMENT_PAYMENTS_COMPLIANCE_FROM", default="2026-01-01")
)
# Payments above this amount (£) are published each quarter (section 70) ...
PROCUREMENT_LARGE_PAYMENT_THRESHOLD = env.int("PROCUREMENT_LARGE_PAYMENT_THRESHOLD", default=30_000)
# ... within this many days of the quarter's end ...
PROCUREMENT_PAY30K_DUE_DAYS = env.int("PROCUREMENT_PAY30K_DUE_DAYS", default=30)
# ... for the quarters starting on or after this day.
PROCUREMENT_LARGE_PAYMENTS_FROM = datetime.date.fromisoformat(
    env.str("PROCUREMENT_LARGE_PAYMENTS_FROM", default="2026-04-01")
)
# OCDS: each contract's open contracting identifier is this prefix and its reference; use
# the prefix registered for your organisation.
PROCUREMENT_OCDS_OCID_PREFIX = env.str("PROCUREMENT_OCDS_OCID_PREFIX", default="ocds-local1-")
# The publisher named in OCDS packages, and the address package URIs start with.
PROCUREMENT_OCDS_PUBLISHER_NAME = env.str(
    "PROCUREMENT_OCDS_PUBLISHER_NAME", default=COMMISSIONER_NAME
)
# Contract performance (s.71): a contract performance notice (UK9) is due this many days
# after its KPI assessment is approved, or after SMG decides to publish a breach or poor
# performance. The daily sweep owes each yearly KPI assessment this many days before its
# 12 months end, and the assessment when a contract ends is due this many days after.
PROCUREMENT_UK9_DUE_DAYS = env.int("PROCUREMENT_UK9_DUE_DAYS", default=30)
PROCUREMENT_UK9_ASSESSMENT_LEAD_DAYS = env.int("PROCUREMENT_UK9_ASSESSMENT_LEAD_DAYS", default=30)
PROCUREMENT_UK9_ENDING_DAYS = env.int("PROCUREMENT_UK9_ENDING_DAYS", default=30)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Other sites are told where a link came from (the origin) but never the page's address,
# which can name a contract or a dispute.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the service never uses are refused to every page (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Content-Security-Policy (django-csp): scripts, styles, images and fonts come from this
# site only, and no inline script or style is allowed anywhere. Charts are SVG drawn with
# presentation attributes; the GOV.UK "js-enabled" switch and the htmx settings live in
# static/js. The API documentation pages (Swagger UI and ReDoc, served from this site by
# drf-spectacular-sidecar) write their own <style> elements and ReDoc starts a worker from
# a blob, so those two pages alone get API_DOCS_CSP_RELAXED on top.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "object-src": [_CSP_NONE],
    },
}
API_DOCS_PATH_PREFIXES = ("/api/docs/", "/api/redoc/")
API_DOCS_CSP_RELAXED = {
    "style-src": [_CSP_SELF, "'unsafe-inline'"],
    "worker-src": [_CSP_SELF, "blob:"],
}

# The open API (governance/api/): a person's API token (Authorization: Bearer ...) or
# their browser session; every list paginated; requests counted per token (or per
# person on a session) against API_THROTTLE_RATE.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/hour")
# The longest a person may let an API token run, in days.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "governance.api.authentication.ApiTokenAuthentication",
        "governance.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["governance.api.permissions.ModelPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["governance.api.throttling.ApiTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "governance.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "governance.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contract governance API",
    "DESCRIPTION": (
        "Read the contracts, performance, risks, decisions, meetings, disputes, exit and "
        "health check records you may see, and submit returns, KPI results, risks and "
        "contact log entries. Send your API token as 'Authorization: Bearer <token>'."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema is built and checked by the test suite (tests/governance/api/, with a
    # schemathesis run against it); its remaining notes (filters by a person or a
    # band, documented as text; enum names) are not deployment problems.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# A signed-in person who does nothing for this many minutes is signed out; pages warn
# them two minutes before, with a button to stay signed in. 0 turns it off.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)

# Second factor (TOTP, django-otp): people holding any of these roles must set up an
# authenticator app before they can use the service, and everyone who has set one up is
# asked for a code at each sign-in. Off in development unless set.
REQUIRE_TWO_FACTOR_ROLES = env.list(
    "REQUIRE_TWO_FACTOR_ROLES", default=["administrator", "smg"] if PRODUCTION else []
)
OTP_TOTP_ISSUER = SERVICE_NAME
# Password reset links: how many may be asked for in an hour, for one email address and
# from one network address; how long a link works.
# Proxies in front of the service that append the client's address to X-Forwarded-For
# (1 behind the compose stack's Caddy); 0 reads the connection's own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PASSWORD_RESET_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_HOUR", default=3)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Every record goes to one handler on the root logger. Django's own loggers ("django",
# "django.server") come with handlers of their own in its default configuration; they
# are emptied here so each line is printed once. Production writes one JSON object a
# line (LOG_FORMAT=json) for the log collector; development writes plain text.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "json": {"()": "governance.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

"""Settings for the e-service digitization tracker.

One file, every knob an environment variable with a default that works on a laptop:
with nothing set it runs on SQLite in DEBUG mode. Production sets at least DEBUG=false,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import importlib.util
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # unfold must come before django.contrib.admin so its templates win.
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "django_filters",
    "axes",
    # Before tracker: tracker/admin.py takes django-otp's device admin off the site.
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The open-data API (tracker/api): REST framework, its schema, Swagger UI's files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tracker",
    "regions",
    "services",
    "reports",
]
# The benchmark and the dataset generator (make bench, generate_dataset) live in the
# checkout only: pyproject.toml leaves them out of the package, so a deployed install
# runs without them.
if importlib.util.find_spec("tracker.devtools") is not None:
    INSTALLED_APPS.append("tracker.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their long caching; everything else is private.
    "tracker.caching.PrivateDataMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session's second-factor code was checked (user.is_verified()); then,
    # with TWO_FACTOR_REQUIRED, no page but the set-up one without it (tracker.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "tracker.two_factor.SecondFactorRequiredMiddleware",
    "tracker.languages.UserLanguageMiddleware",
    # A NUL byte in the address or a form is refused (400) before any view or database
    # sees it (PostgreSQL refuses it mid-query).
    "tracker.bad_requests.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite by default (dev only); DATABASE_URL=postgres://user@host:5432/name in production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE takes the write
        # lock at BEGIN, so two writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The tests' database in a file, not in memory: an in-memory database shared between
    # threads (the live server, a Celery worker) locks whole tables to other threads and
    # answers "table is locked" at once, where a file in WAL mode lets them read while
    # one writes and makes writers wait their turn (the timeout above).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"tracker-tests-{os.getpid()}.sqlite3")
    }
    # SQLite builds the usage's covering index (services.models.usage) on its keys alone,
    # as it should: the extra column only spares PostgreSQL's reports a read of the table.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # No JIT compilation: it pays off on hour-long analytics, not on the sub-second queries
    # here, where compiling cost up to a third of the time (measured by `make bench`).
    _options["options"] = "-c jit=off"
    # A pool of at most DATABASE_POOL_MAX connections per server process (psycopg's pool):
    # however many requests and threads a server runs, it cannot take every connection
    # the database has. DATABASE_POOL_MAX=0 turns the pool off (persistent connections
    # of CONN_MAX_AGE seconds instead, one per thread).
    _pool_max = env.int("DATABASE_POOL_MAX", default=8)
    if _pool_max:
        _options["pool"] = {
            "min_size": 1,
            "max_size": _pool_max,
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=30),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
    else:
        DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "regions.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
# Where the admin lives; an akimat may put it elsewhere than the address every scanner
# tries first.
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/").strip("/") + "/"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is locked out for AXES_COOLOFF_MINUTES. A correct
# password does not unlock it early; a superuser can (`manage.py axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.signin.locked_out"
# Behind the akimat's reverse proxy the client's address is in X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False  # no banner on every start; lockouts are still logged
# Its records are shown by tracker/signin_admin.py, named in the reader's language.
AXES_ENABLE_ADMIN = False
# The second factor (tracker/two_factor.py): any staff user may switch on codes from an
# authenticator app (TOTP); a wrong code counts as a failed sign-in above. When true, a
# staff user without one is sent to set it up before any other page.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
# The admin theme's login form carries no "next": without this, signing in on a
# bookmarked login page would end on Django's /accounts/profile/, which does not exist.
LOGIN_REDIRECT_URL = "admin:index"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Languages and time -----------------------------------------------------------------
# Kazakh is the state language and the default; each reader's browser or choice wins.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="kk")
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
# Ours first; then our Kazakh and Russian for what Django's and the libraries' own catalogs
# leave untranslated (see tracker/library_messages.py).
LOCALE_PATHS = [BASE_DIR / "tracker" / "locale", BASE_DIR / "tracker" / "library_locale"]
# Dates and numbers as Kazakh readers write them (Django ships no Kazakh formats).
FORMAT_MODULE_PATH = ["tracker.formats"]
# The switcher's choice outlives the browser session (a signed-in user's is also saved).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
# Everything is served from this server: akimat networks are often closed to the internet.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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

# In development (and tests, which Django runs with DEBUG off) serve straight from the apps'
# static folders; production serves the collected, compressed STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# --- Security (production) -------------------------------------------------------------
# Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto. In production every
# request is HTTPS: plain HTTP is redirected and browsers are told to remember it (HSTS).
# An akimat that must serve plain HTTP inside its network sets SECURE_SSL_REDIRECT=false
# and SECURE_HSTS_SECONDS=0 (and `check --deploy` says so).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_FAILURE_VIEW = "tracker.bad_requests.csrf_failure"  # in the reader's language
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this server, nothing from anywhere
# else — no CDN, no outside fonts or scripts. The admin theme's Alpine.js evaluates its
# attributes and both it and the report pages use inline styles and scripts, hence
# 'unsafe-inline' and 'unsafe-eval' for scripts; what an injected script could reach is
# still only this server (connect-src, form-action) and it can frame nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every PDF step at INFO; only its problems are worth a line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# --- Background jobs (Celery) ------------------------------------------------------------
# Redis in production (redis://host:6379/0). The default is a folder on disk: enough for
# `make run` on one dev machine, where the web server and the worker share the folder.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker after this many seconds.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env.str("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True  # outcomes are stored on the rows the tasks work on
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Reliability: a task is acknowledged only after it ran, so one whose worker dies goes back
# to the queue; each worker process takes one task at a time, so a crash strands no others.
# The tasks are idempotent, so running one twice is harmless (see reports.tasks).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)

# When every region's report is built: a cron line in Asia/Almaty time
# ("minute hour day-of-month month day-of-week"); default Mondays at 07:00.
REPORT_SCHEDULE = env.str("REPORT_SCHEDULE", default="0 7 * * 1")
# When heads of departments with stale data are reminded by email: Mondays at 09:00.
REMINDER_SCHEDULE = env.str("REMINDER_SCHEDULE", default="0 9 * * 1")
# When the national ranking is built from the regions' latest reports: Mondays at 08:00,
# an hour after the regions' own builds.
NATIONAL_SCHEDULE = env.str("NATIONAL_SCHEDULE", default="0 8 * * 1")


def _crontab(line: str) -> crontab:
    fields = line.split()
    if len(fields) != 5:
        raise ImproperlyConfigured(
            f"A schedule needs five cron fields (minute hour day month weekday), got {line!r}"
        )
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(minute, hour, day_of_week, day_of_month, month_of_year)


# The outbox (tracker.jobs): a job still queued this long after it was sent is sent again
# (the broker may have been down); one whose worker has not reported for this long is
# taken back. Builds and exports report progress every few seconds.
JOB_RESEND_AFTER_SECONDS = env.int("JOB_RESEND_AFTER_SECONDS", default=120)
JOB_STALE_AFTER_SECONDS = env.int("JOB_STALE_AFTER_SECONDS", default=300)
# How often the beat sends the sweep (seconds).
JOB_SWEEP_SECONDS = env.int("JOB_SWEEP_SECONDS", default=60)

# Health (GET /health/, tracker.health): the sweep also records that a worker was alive;
# the page calls the workers stale when none has for three sweeps. A monitor inside the
# akimat's network polls it over plain HTTP, so it is not redirected to HTTPS.
WORKER_HEARTBEAT_STALE_SECONDS = env.int(
    "WORKER_HEARTBEAT_STALE_SECONDS", default=3 * JOB_SWEEP_SECONDS
)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

CELERY_BEAT_SCHEDULE = {
    "resend-lost-jobs": {
        "task": "tracker.tasks.resend_lost_jobs_task",
        "schedule": float(JOB_SWEEP_SECONDS),
    },
    "build-every-region-report": {
        "task": "reports.tasks.build_all_reports_task",
        "schedule": _crontab(REPORT_SCHEDULE),
    },
    "build-the-national-ranking": {
        "task": "reports.tasks.build_national_scheduled_task",
        "schedule": _crontab(NATIONAL_SCHEDULE),
    },
    "remind-heads-of-stale-data": {
        "task": "services.tasks.remind_stale_heads_task",
        "schedule": _crontab(REMINDER_SCHEDULE),
    },
}

# --- Email ---------------------------------------------------------------------------------
# Printed to the console by default; EMAIL_URL=smtp+tls://user:password@host:587 to send.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
# Where links in emails point (the site's public address).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Stale data ----------------------------------------------------------------------------
# A service whose data nobody confirmed for this many days is stale: its head is reminded
# (by email, on REMINDER_SCHEDULE) and reports mark the department.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=30)
# The national page marks a region whose latest report is for a date older than this.
NATIONAL_REPORT_MAX_AGE_DAYS = env.int("NATIONAL_REPORT_MAX_AGE_DAYS", default=14)

# --- Spreadsheets -------------------------------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
# Where an upload waits between its preview and its confirmation (removed on either
# answer, or after a day): a folder only the app's user reads. Empty means a folder of its
# own under the system's temporary folder; with several servers behind one address, a
# folder they share.
IMPORT_UPLOAD_DIR = env.str("IMPORT_UPLOAD_DIR", default="")
# Exports of more rows than this are written by a background job (progress, then a link).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20_000)

# Uploaded and generated files (background exports). Not served publicly: downloads go
# through views that check who is asking.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

# --- Cache ----------------------------------------------------------------------------
# Where the API's throttles count requests. Memory by default: each server process then
# counts on its own (with gunicorn's three workers a client gets up to three times its
# rate), so production with several processes sets CACHE_URL=redis://host:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Open-data API (tracker/api) ----------------------------------------------------------
# Requests a minute (or "/hour", "/day") per address for anonymous readers, per user with
# a key or a session.
API_ANON_RATE = env.str("API_ANON_RATE", default="60/min")
API_USER_RATE = env.str("API_USER_RATE", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.KeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the docs page, signed in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.ReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttles.AnonymousRate",
        "tracker.api.throttles.UserRate",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "tracker.api.renderers.CSVRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.views.exception_handler",
    # Anonymous readers are told apart by the address the outermost of API_NUM_PROXIES
    # proxies saw (each appends one to X-Forwarded-For; what the client wrote before them
    # counts for nothing): one for the akimat's nginx, 0 when clients reach us directly.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=1),
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("E-service tracker: open data"),
    "DESCRIPTION": _(
        "Regions, their departments and services, and the figures of their progress "
        "reports, as each region's digital office publishes them. Every field's title in "
        "Kazakh, Russian and English: /api/v1/meta/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Regions and departments both have a "kind": each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {"DepartmentKindEnum": "regions.kinds.DepartmentKind"},
    # Swagger UI's files come from this server (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Admin theme ----------------------------------------------------------------------
UNFOLD = {
    "SITE_TITLE": _("E-service tracker"),
    "SITE_HEADER": _("E-service tracker"),
    "SITE_SYMBOL": "assignment_turned_in",
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SITE_URL": "/reports/",  # the header's link leads to the governors' report pages
    # Each user's page for the second factor, and the user menu's link to it.
    "SITE_VIEWS": [("two-step/", "two_factor", "tracker.two_factor_page.TwoStepPage")],
    "ACCOUNT": {"navigation": "tracker.two_factor.account_links"},
    # The first page: each person's work by role above the models (tracker.workspace).
    "DASHBOARD_CALLBACK": "tracker.workspace.dashboard",
    # Ours, from this server: the service list's layout and the one-step status move.
    "STYLES": [lambda request: static("tracker/admin.css")],
    "SCRIPTS": [lambda request: static("services/status_move.js")],
}

"""Settings: one file, every difference between machines comes from the environment.

Variables (all optional in development; README "Configuration" has the table, and a test keeps the
two in step): DATABASE_URL, DATABASE_OWNER_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, CONN_MAX_AGE,
SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, BEHIND_TLS_PROXY,
AXES_PROXY_COUNT, MEDIA_ROOT, STATIC_ROOT, LOG_LEVEL, EVIDENCE_MAX_BYTES, BALLOT_MIN_RESULTS, JOBS_INLINE,
JOB_RETRY_ATTEMPTS, JOB_RETRY_WAIT, REMINDER_DAYS_BEFORE, EMAIL_URL, DEFAULT_FROM_EMAIL, EMAIL_TIMEOUT,
SITE_URL, SMS_BACKEND, SMS_URL, SMS_SECRET, SMS_BODY, SMS_TIMEOUT, DELIVERY_RETRY_ATTEMPTS,
DELIVERY_RETRY_WAIT, ANNUAL_REPORT_DEADLINE, REPLICA_DATABASE_URL, READ_YOUR_WRITES_SECONDS, REPLICA_RETRY_SECONDS,
SESSION_REFRESH_SECONDS.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.devdb import APP_ROLE, embedded_owner_url, embedded_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# The development key is refused by config/wsgi.py (every served process) and flagged by
# `check --deploy`; production sets SECRET_KEY.
DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "treebeard",
    "pgtrigger",
    "pghistory",
    "django_htmx",
    "django_filters",
    "csp",
    "core.axes_app.AxesConfig",  # django-axes, named in Chinese in the admin
    "procrastinate.contrib.django",
    "core",
    "responsibilities",
    "accountability",
    "assessments",
    # Built on every domain app above, so last; nothing above imports them.
    "demo",
    "benchmarking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With a read replica (REPLICA_DATABASE_URL): safe requests read it, unless this browser just wrote.
    "core.replicas.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the acting user and URL on every history row written during a request.
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

# ---- Database: PostgreSQL only -------------------------------------------------------------
# DATABASE_URL, else the embedded development server started by `make run` (scripts/devdb.py), as
# the application's role there (APP_ROLE, which scripts/devdb.py creates).
DATABASE_URL = env("DATABASE_URL", default=None) or embedded_url(user=APP_ROLE)
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set and the embedded PostgreSQL is not running: "
        "run `make run` (or `make db`), or set DATABASE_URL=postgres://user@host:port/dbname."
    )
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# The owner of the tables, when the application connects as a role that does not own them
# (docs/开发说明.md, "Security: database roles"): `migrate`, `backup` and `restore` switch to it (core.db.as_owner),
# and `migrate` grants the application's role what it needs. Unset: one role for everything, as
# before. `make run` (the embedded server) and `make test` set up the two roles themselves.
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL", default=None)
if not DATABASE_OWNER_URL and not env("DATABASE_URL", default=None):
    DATABASE_OWNER_URL = embedded_owner_url()  # the embedded server: the tables are postgres's
DATABASE_OWNER = env.db_url_config(DATABASE_OWNER_URL) if DATABASE_OWNER_URL else None


def _where(config: dict) -> tuple:
    options = config.get("OPTIONS", {})
    return (config["NAME"], config.get("HOST") or options.get("host"), str(config.get("PORT") or options.get("port")))


if DATABASE_OWNER and _where(DATABASE_OWNER) != _where(DATABASES["default"]):
    raise ImproperlyConfigured("DATABASE_OWNER_URL must name the same server and database as DATABASE_URL.")
if DATABASE_OWNER and DATABASE_OWNER["USER"] == DATABASES["default"]["USER"]:
    DATABASE_OWNER = None  # one role after all
# Persistent connections with a health check: measured 290 → 1,446 req/s under gunicorn here.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: every query here is a page's, a few milliseconds, and PostgreSQL decides on JIT from
# the planner's cost estimate, which a trigram index inflates for a one- or two-character search (the
# index cannot narrow it): the people picker's common-name query spent 11 of its 39 ms compiling.
JIT_OFF = "-c jit=off"
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", JIT_OFF)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming read replica of the same database (README "How a deployment grows", core/replicas.py):
# the ORM reads of GET requests go to it, except for READ_YOUR_WRITES_SECONDS after the browser's own
# write; a replica that does not answer is skipped for REPLICA_RETRY_SECONDS. Unset: one database.
REPLICA_DATABASE_URL = env("REPLICA_DATABASE_URL", default=None)
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=5)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=10)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = env.db_url_config(REPLICA_DATABASE_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", JIT_OFF)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the same test database
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]

# ---- Authentication -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a username+IP pair is cooling off
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures of one username from one address lock that pair for 15 minutes; never permanently.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
LOGIN_URL = "login"
# The users' role assignments that scope every read (core.scope names no domain app itself).
SCOPE_ASSIGNMENT_MODEL = "responsibilities.Assignment"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions live in the database (stateless web tier) and expire after 8 hours without activity: a
# used session is saved again (its expiry pushed forward) once its last save is SESSION_REFRESH_SECONDS
# old (core.middleware.SessionRefreshMiddleware), not on every request; 0 saves on every request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_SAVE_EVERY_REQUEST = SESSION_REFRESH_SECONDS == 0

# ---- Language and time: Chinese first ------------------------------------------------------
# Source strings are Chinese; locale/en holds the English catalogue for the language switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---- Static and uploaded files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ---- Security ------------------------------------------------------------------------------
# Off by default so that tests and the local server work over http; production turns them on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    },
}

# ---- History --------------------------------------------------------------------------------
# History rows can be added, never changed or removed (triggers refuse UPDATE/DELETE on them).
PGHISTORY_APPEND_ONLY = True

# ---- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at every start; its lockouts are still logged as warnings.
    # Procrastinate tells of every registration and fetch at INFO; its failures and retries are warnings.
    # WeasyPrint logs every step of every PDF (weasyprint.progress) at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Names shown in the page title and header.
PRODUCT_NAME = _("从严治党责任体系管理平台")
# The header's brand where the full name leaves the menu no room (992–1199 px; English below 1400 px).
PRODUCT_SHORT_NAME = _("从严治党平台")

# ---- Responsibility lists -----------------------------------------------------------------------
# Largest evidence file accepted (bytes); also the request body limit for uploads.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# A mass-evaluation round's counts are shown (and enter the results) only from this many valid
# ballots; each new round keeps the value in force when it was created.
BALLOT_MIN_RESULTS = env.int("BALLOT_MIN_RESULTS", default=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# ---- Background work (Procrastinate, in the same PostgreSQL; see core/jobs.py) -----------------
# Retries of a failing job, each after JOB_RETRY_WAIT ** attempt seconds (10 s, 100 s, 1,000 s).
JOB_RETRY_ATTEMPTS = env.int("JOB_RETRY_ATTEMPTS", default=3)
JOB_RETRY_WAIT = env.int("JOB_RETRY_WAIT", default=10)
# Tests only: run a job in the requesting process when its transaction commits, without a worker.
JOBS_INLINE = env.bool("JOBS_INLINE", default=False)
# Deadline reminders: a task's people are told this many days before its deadline (and when it is overdue).
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=5)
# The annual 主体责任 report of a year is due at the organisation above on this day ("MM-DD") of the next year.
ANNUAL_REPORT_DEADLINE = env.str("ANNUAL_REPORT_DEADLINE", default="01-31")
# Procrastinate's tables are read-only in the admin; its tasks are found in each app's tasks.py.
PROCRASTINATE_READONLY_MODELS = True

# ---- Channels: e-mail and SMS (see core/channels.py) ---------------------------------------------
# E-mail through Django's SMTP backend, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587
# (django-environ); by default the messages are written to the console (development).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The site's address, for the link in an e-mail or SMS (they carry only a short text and this link).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# SMS gateway: "core.sms.LogBackend" (writes to the log; the default) or "core.sms.HttpBackend", which
# POSTs SMS_BODY (a JSON object whose string values may hold {phone}, {text} and {link}) to SMS_URL with
# the header X-Signature: hex HMAC-SHA256 of the body under SMS_SECRET.
SMS_BACKEND = env("SMS_BACKEND", default="core.sms.LogBackend")
SMS_URL = env("SMS_URL", default="")
SMS_SECRET = env("SMS_SECRET", default="")
SMS_BODY = env("SMS_BODY", default='{"mobile": "{phone}", "content": "{text}"}')
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)
# A message that cannot be sent is retried this many times (DELIVERY_RETRY_WAIT ** n seconds apart),
# then marked failed; the in-site notification stays whatever happens.
DELIVERY_RETRY_ATTEMPTS = env.int("DELIVERY_RETRY_ATTEMPTS", default=3)
DELIVERY_RETRY_WAIT = env.int("DELIVERY_RETRY_WAIT", default=10)

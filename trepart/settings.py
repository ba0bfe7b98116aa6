"""Trepart settings, read from the environment (see docs/configuration.md).

Safe production defaults: DEBUG is off unless DEBUG=1, and the process refuses to start without
a real SECRET_KEY when DEBUG is off.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not os.environ.get("TREPART_OFFLINE_COMMAND"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local development."
        )
    SECRET_KEY = DEV_SECRET_KEY
elif SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("Refusing to run with the development SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Issue 13: Content Security Policy (its system checks catch settings of older versions).
    "csp",
    "template_partials",
    "axes",
    # Issue 15: before django_tasks_db, so that `manage.py db_worker` is ours (with heartbeat
    # and recovery, trepart/core/management/commands/db_worker.py): the first app wins.
    "trepart.core",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "trepart.accounts",
    "trepart.notifications",
    "trepart.organisation",
    "trepart.meetings",
    "trepart.inputs",
    "trepart.measures",
    "trepart.reporting",
    "trepart.surveys",
    "trepart.reflection",
    "trepart.continuity",
    "trepart.api",
    "trepart.personaldata",
    "trepart.archive",
    "trepart.sso",
    "trepart.home",
    "trepart.search",
    # The demo municipality (`manage.py load_demo`): the top layer, nothing imports it.
    "trepart.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Issue 13: the Content-Security-Policy header on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 15: a logged-in session's expiry slides forward while it is used (SESSION_* below).
    "trepart.accounts.sessions.SessionIdleMiddleware",
    # Issue 13: django-otp marks a verified second factor; municipal admins who did not log in
    # with single sign-on must pass one before the administration pages (trepart.sso).
    "django_otp.middleware.OTPMiddleware",
    "trepart.sso.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # P3: one access-log line per request; anonymous endpoints are logged without the address.
    "trepart.core.privacy.AccessLogMiddleware",
    "trepart.core.middleware.LanguageMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

# `make bench`: report the SQL statements per request in a response header (docs/performance.md).
QUERY_COUNT_HEADER = env_bool("QUERY_COUNT_HEADER")
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "trepart.core.middleware.QueryCountMiddleware")

ROOT_URLCONF = "trepart.urls"

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
                "trepart.core.context_processors.layout",
            ],
        },
    },
]

WSGI_APPLICATION = "trepart.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # Issue 15: a persistent connection cut by a database restart is tested at the start
        # of the next request and replaced, instead of failing that request.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses locked-out users before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on per municipality (OpenID Connect, trepart.sso).
    "trepart.sso.backends.OidcBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions (issue 15): a session ends after SESSION_IDLE_MINUTES without a request, in the
# database and in the cookie. While it is used, SessionIdleMiddleware saves it again at most
# every SESSION_REFRESH_SECONDS (not a write per page), which moves the end forward. "Log out
# everywhere" and a new password end every session of the person (accounts.User).
SESSION_IDLE_MINUTES = max(5, int(os.environ.get("SESSION_IDLE_MINUTES", "120")))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10)
# Whatever the use, a session ends SESSION_MAX_HOURS after its login (a shared computer).
SESSION_MAX_HOURS = max(1, int(os.environ.get("SESSION_MAX_HOURS", "12")))

# django-axes: lock an e-mail + IP pair out after repeated failures (P8).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Language: bokmål by default; a municipality may choose nynorsk (P8).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files WhiteNoise (or nginx) serves in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages are installed from npm (package-lock.json) and served from node_modules.
    ("vendor/designsystemet-css", NODE_MODULES / "@digdir/designsystemet-css/dist"),
    ("vendor/designsystemet-web", NODE_MODULES / "@digdir/designsystemet-web/dist/umd"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js/dist"),
    # The anonymous form's proof-of-work widget: the build without inline workers, and its
    # workers as files of our own origin (static/js/anonymous-input.js).
    ("vendor/altcha/external", NODE_MODULES / "altcha/dist/external"),
    ("vendor/altcha/workers", NODE_MODULES / "altcha/dist/workers"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Without DEBUG, WhiteNoise serves only what `collectstatic` put in STATIC_ROOT (compressed), as
# in production; the finders (static/, node_modules) are for development only.
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Issue 15: a job sends each e-mail inside the transaction that records it (notify, key=…);
# a mail server that stops answering must not hold that transaction open for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Absolute address of the site, for links in e-mails sent by background jobs.
# Rate limits (P3) as [(requests, seconds), …]. Keys hold no person or address: the anonymous
# form counts per unit link, receipt lookups count wrong codes across the platform
# (docs/decisions/0002-staff-input.md).
# Sent through the link without a solved proof-of-work challenge (JavaScript off): strict.
INPUT_LINK_UNSOLVED_RATES = [(10, 60), (60, 3600)]
# Every submission through a link, scaled to the unit's size: [(minimum, per person, seconds)].
# A unit of 40 may send 80 an hour and 160 a day; the smallest units 60 and 150.
INPUT_LINK_CEILING = [(60, 2, 3600), (150, 4, 86400)]
INPUT_USER_RATES = [(10, 60), (60, 3600)]
RECEIPT_FAILURE_RATES = [(30, 600)]
# Proof of work on the anonymous form (ALTCHA, trepart/core/proofofwork.py): the browser must
# reach a counter in this range, each step one PBKDF2 derivation of ALTCHA_COST iterations
# (about half a second on a phone; the same for every submission a script sends).
ALTCHA_ALGORITHM = "PBKDF2/SHA-256"
ALTCHA_COST = int(os.environ.get("ALTCHA_COST", "1000"))
ALTCHA_COUNTER_RANGE = (
    int(os.environ.get("ALTCHA_COUNTER_MIN", "500")),
    int(os.environ.get("ALTCHA_COUNTER_MAX", "1500")),
)
# How long a page's challenge stays valid (someone may take a while to write).
ALTCHA_EXPIRES_SECONDS = 4 * 3600

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Invitations (accounts): how long a link to choose the first password works, and how often
# one person may be sent a new one, as [(invitations, seconds), …].
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# Issue 12 (R5): a party-group role vacant longer than this is flagged to the chief reps and the
# steering group.
VACANCY_FLAG_DAYS = int(os.environ.get("VACANCY_FLAG_DAYS", "30"))
INVITATION_PERSON_RATES = [(5, 3600), (10, 86400)]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trepart <ikke-svar@trepart.local>")

# Background jobs: django-tasks with the database backend; run `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Issue 15 (`manage.py db_worker`, trepart/core/workers.py, docs/background-jobs.md): each worker
# writes a heartbeat every WORKER_HEARTBEAT_SECONDS; a running job whose worker was not seen for
# WORKER_STALE_SECONDS is queued again, at most WORKER_MAX_ATTEMPTS times in all.
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "60"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_MAX_ATTEMPTS = int(os.environ.get("WORKER_MAX_ATTEMPTS", "5"))

# Production security (issue 13, docs/deployment.md): `manage.py check --deploy` is clean with
# the environment documented there (tests/core/test_deploy.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain http is redirected to https (behind the proxy this needs BEHIND_TLS_PROXY).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# HSTS, sent on https responses only: start low (e.g. 3600), then a year (31536000).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading is a decision for the municipality's whole domain (hstspreload.org accepts
    # registrable domains only), not for Trepart's host: its absence is not a warning here.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# P3: the anonymous link (/i/<link>/) and receipt codes are in the address: never send the
# address to another site. Same for the opener: no other window keeps a handle on ours.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): nothing inline without the page's nonce, no
# 'unsafe-inline' or 'unsafe-eval' anywhere. Templates keep styles in static/css and scripts in
# static/js; `{{ request.csp_nonce }}` is there for what truly must be inline. Chart.js sets
# styles through the CSSOM and Designsystemet's web components use constructed style sheets,
# both allowed. The anonymous form's proof of work runs in workers loaded from our own origin
# (static/js/anonymous-input.js), so worker-src needs no blob:. img-src allows data: for the
# icons Designsystemet's CSS embeds. tests/e2e/test_csp.py fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        # Single sign-on starts with a link (GET), not a form, so no identity provider here.
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_anonymous": {"()": "trepart.core.privacy.RedactAnonymousPaths"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_anonymous"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Access log (trepart.core.privacy); ACCESS_LOG=0 turns it off.
        "trepart.access": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("ACCESS_LOG", True) else "WARNING",
            "propagate": False,
        },
        # Django's own request lines (runserver, 404s) go through the same redaction.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

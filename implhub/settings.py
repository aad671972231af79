"""implhub settings: one module, everything that varies between machines comes from the environment.

IMPLHUB_ENV=development (default) runs with SQLite and a throwaway key; IMPLHUB_ENV=production refuses to
start without SECRET_KEY and ALLOWED_HOSTS and turns on the HTTPS hardening that `check --deploy` asks for.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from implhub.env import envbool, envchoice, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

IMPLHUB_ENV = envchoice("IMPLHUB_ENV", ("development", "production"), "development")
PRODUCTION = IMPLHUB_ENV == "production"

DEBUG = envbool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when IMPLHUB_ENV=production.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (50 characters or more) when IMPLHUB_ENV=production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set (comma-separated) when IMPLHUB_ENV=production.")
else:
    SECRET_KEY = SECRET_KEY or "development-only-key-never-used-in-production-0123456789abcdef"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# BEHIND_PROXY=true says a reverse proxy we run sits in front and sets X-Forwarded-Proto and
# X-Forwarded-For; only then are those headers believed (any client can send them).
BEHIND_PROXY = envbool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests only from implhub
# itself; no inline script and no inline style attribute in any template (tests/test_csp.py checks the
# templates, the browser journeys check the pages). Two allowances, both for plotly.js, by hash, the
# least that lets it draw: the <style> element it adds while it draws (PLOTLY_STYLE: its own rules, fixed
# by the vendored plotly.min.js; a new plotly.js may need a new hash, and tests/e2e/test_csp.py says so),
# and the empty style element and attribute its charts and heatmaps set (EMPTY_STYLE). Nothing else
# inline: no <style> of ours, no style attribute, no inline script.
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
PLOTLY_STYLE = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", EMPTY_STYLE, PLOTLY_STYLE],
        "style-src-attr": ["'unsafe-hashes'", EMPTY_STYLE],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: SVGs in its CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Browser features no page of implhub uses are switched off (implhub.middleware.permissions_policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "implhub",
    "drivers",
    "assessments",
    "assessments.actions",
    "assessments.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who made a change, for the history of the content (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "implhub.middleware.permissions_policy",
    "implhub.sessions.idle_session_timeout",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "implhub.urls"
WSGI_APPLICATION = "implhub.wsgi.application"

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
                "implhub.context_processors.navigation_links",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # A kept connection that the database closed (a restart) is replaced before the request uses it,
        # instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time for the whole file. With several processes (two gunicorn instances
    # in `make load`, or a management command beside the server) a transaction that read first and then
    # writes while another one writes fails at once with "database is locked" (a 503 page) instead of
    # waiting. Taking the write lock when the transaction begins (IMMEDIATE), and waiting up to 20 s for
    # it, queues writers as PostgreSQL's row locks do.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app servers can serve one database: nothing a request leaves behind stays in a process. Sessions
# are rows of the database (Django's default engine, kept on purpose: a cache that restarts or evicts would
# sign people out in the middle of a meeting), sign-in failures too (AXES_HANDLER below), messages ride in
# the session. With REDIS_URL the cache is shared by every server through Redis; without it each process
# has Django's own local-memory cache, which is enough for one server since nothing implhub relies on is
# kept there.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL!r} is not a Redis address; use redis://, rediss:// (TLS) or unix://."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign in by username or e-mail; a deactivated account is told so and refused (assessments/backends.py).
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses an attempt while the account is locked from that address.
    "axes.backends.AxesStandaloneBackend",
    "assessments.backends.UsernameOrEmailBackend",
]

# Sign-in throttling (django-axes), for the site and the admin alike: after LOGIN_FAILURE_LIMIT wrong
# passwords for one account from one address, that pair is locked for LOGIN_LOCKOUT_MINUTES. Keyed on the
# pair so that a school behind one address is not locked out by one person's typos, and a stranger
# cannot lock someone out from elsewhere. A password reset or an organization admin unlocks at once.
# Failures are counted in the database, which every app server shares.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "assessments.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "implhub.client.client_address"
AXES_LOCKOUT_CALLABLE = "implhub.views.sign_in_paused"
AXES_RESET_ON_SUCCESS = True
# Failures and lockouts are logged (logger axes.handlers.database) with the account and the address, so
# whoever reads the log can tell a typo from an attack; passwords never are.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_VERBOSE = False  # no banner at every start; failures are still logged with account and address

# Sessions end after SESSION_IDLE_HOURS without a request (8 by default, a working day), staff sessions
# after STAFF_SESSION_IDLE_HOURS (1): staff can change every organization's content and people
# (implhub/sessions.py).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_HOURS", 8) * 3600
STAFF_SESSION_IDLE_SECONDS = envint("STAFF_SESSION_IDLE_HOURS", 1) * 3600

# Where the site is reached, for the absolute links of e-mails (never taken from a request's Host header).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en"
# Every user-facing string is marked for translation and `locale/` is ready for catalogues; only English is
# offered until a translation is complete, so no browser gets a half-translated page.
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic gathers the files for production; development serves them from their folders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}  # Bootstrap names the error colour "danger".

# whitenoise serves static files whenever DEBUG is off: the collected ones in production, and straight from
# the source folders otherwise (so `make run` serves the demo without DEBUG and without collectstatic).
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail (invitations): printed to the server's log unless an SMTP server is named; EMAIL_BACKEND, when set,
# wins over both (a provider's backend, or the file backend for a demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "implhub <noreply@localhost>"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes each app server itself, over plain HTTP: /health/ answers it rather than
    # redirecting to HTTPS (it says only whether the database answers, and sets no cookie).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

"""Guildhouse settings: one module, driven by environment variables.

Every setting a deployment may change is read from the environment through the
typed helpers below. Defaults are for a developer's machine (SQLite, console email,
debug off unless asked). ``GUILDHOUSE_ENV=production`` turns on the strict checks:
the process refuses to start without a real secret key and allowed hosts, and
refuses the demo-only relaxations.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``sqlite:///path`` or ``postgres://user:pw@host:port/name`` to Django's form."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them.
        name = path[1:] if path.startswith("/") else path
        if not name:
            raise ImproperlyConfigured("DATABASE_URL for SQLite needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # WAL: the web processes read while the job worker writes, and commits
            # cost one sync instead of two (measured in docs/benchmarks.md).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme or url!r}"
    )


def default_data_dir() -> Path:
    return Path(env_str("GUILDHOUSE_DATA_DIR", str(BASE_DIR / "var")))


# --- Mode -------------------------------------------------------------------------

ENVIRONMENTS = ("development", "production")
GUILDHOUSE_ENV = env_str("GUILDHOUSE_ENV") or "development"
if GUILDHOUSE_ENV not in ENVIRONMENTS:
    # A typo such as "prod" must not quietly run with the development key.
    raise ImproperlyConfigured(
        f"GUILDHOUSE_ENV must be development or production, not {GUILDHOUSE_ENV!r}."
    )
PRODUCTION = GUILDHOUSE_ENV == "production"
DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("GUILDHOUSE_TESTING", default=False)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
# The deploy check (guildhouse/core/checks.py) fails while this key is in use.
DEVELOPMENT_SECRET_KEY = _DEV_SECRET
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")

# The demo lets a first-time visitor look around as staff without enrolling an
# authenticator app. The name says exactly what it does; production refuses it.
DEMO_ALLOW_STAFF_WITHOUT_MFA = env_bool("GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA", default=False)

# Keys that encrypt authenticator secrets at rest (guildhouse/core/mfa.py): the first
# encrypts, all decrypt. Development derives one from SECRET_KEY.
_MFA_KEYS = env_str("GUILDHOUSE_MFA_KEYS")

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY: a random string of 50+ chars.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    if DEMO_ALLOW_STAFF_WITHOUT_MFA:
        raise ImproperlyConfigured(
            "GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA is for the demo only; "
            "production requires multi-factor authentication for staff."
        )
    if not _MFA_KEYS:
        raise ImproperlyConfigured(
            "Production needs GUILDHOUSE_MFA_KEYS: make a key with `guildhouse mfa_keys new`."
        )


def _mfa_keys() -> list[str]:
    from guildhouse.core.mfa_keys import development_key, parse_keys

    return parse_keys(_MFA_KEYS) if _MFA_KEYS else [development_key(SECRET_KEY)]


MFA_ENCRYPTION_KEYS = _mfa_keys()
MFA_KEYS_FROM_SECRET_KEY = not _MFA_KEYS

# The key of the learner-voice hashes ("me too", reports, the staff list order). It is
# never stored in the database: whoever holds only the database cannot tell who
# supported what. Without GUILDHOUSE_VOICE_KEY it is derived from SECRET_KEY (also
# outside the database); a key of its own lets SECRET_KEY rotate without resetting
# everyone's "me too" (docs/voice.md).
_VOICE_KEY = env_str("GUILDHOUSE_VOICE_KEY")
VOICE_KEY = _VOICE_KEY or f"guildhouse-voice:{SECRET_KEY}"

# --- Applications -----------------------------------------------------------------

INSTALLED_APPS = [
    "guildhouse.core",
    "guildhouse.partners",
    "guildhouse.mentoring",
    "guildhouse.voice",
    # The operators' admin, signing in through allauth's login (with MFA and throttling).
    "guildhouse.core.operators.OperatorsAdminConfig",
    "guildhouse.calendars",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "guildhouse.jobs",
    "guildhouse.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "guildhouse.core.middleware.ActiveInstitutionMiddleware",
    "guildhouse.core.middleware.RequireStaffMFAMiddleware",
    "guildhouse.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "guildhouse.urls"
WSGI_APPLICATION = "guildhouse.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guildhouse" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guildhouse.core.context_processors.shell",
                "guildhouse.notifications.context_processors.unread",
            ],
        },
    }
]

FORM_RENDERER = "guildhouse.core.rendering.FormRenderer"

# --- Data -------------------------------------------------------------------------

DATA_DIR = default_data_dir()
# Uploaded documents that only an access check may serve (signed agreements): outside
# the web root and never under STATIC_ROOT or a MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private")))
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'guildhouse.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Zero set-up: the embedded database's folder is made on first use.
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)

if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: tests that start a real `guildhouse worker` share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# Background jobs live in our own database (django-tasks-db); `guildhouse worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Caches carry rate-limit counters, so every web process must share one: the
# database cache works on one machine and behind a load balancer alike.
_CACHE_BACKEND = env_str("CACHE_BACKEND", "db" if PRODUCTION else "locmem")
if _CACHE_BACKEND == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guildhouse_cache",
        }
    }
elif _CACHE_BACKEND == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_BACKEND must be db or locmem, not {_CACHE_BACKEND!r}")

# --- Accounts ---------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# People join by invitation only; an open sign-up would let anyone in.
ACCOUNT_ADAPTER = "guildhouse.core.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guildhouse] "
ACCOUNT_RATE_LIMITS = {
    # Ten failed logins for one account within 15 minutes lock it for the rest of
    # the window; 30 a minute from one address slows down password spraying.
    "login_failed": "30/m/ip,10/15m/key",
}
MFA_ADAPTER = "guildhouse.core.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Guildhouse"
MFA_RECOVERY_CODE_COUNT = 10

SESSION_COOKIE_AGE = 60 * 60 * 10  # a school day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Guildhouse <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in email (sent by background jobs, which have no request) point.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000/")

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "Suomi")]
LOCALE_PATHS = [BASE_DIR / "guildhouse" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "guildhouse" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
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
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production static files come straight from the apps, no collectstatic step.
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security -----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
    if env_bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Everything is served from our own origin: no CDN, no inline script, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"denied_in_one_line": {"()": "guildhouse.core.logs.DeniedInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 is a normal event: one line, not a traceback (5xx keep theirs).
    "loggers": {"django.request": {"filters": ["denied_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

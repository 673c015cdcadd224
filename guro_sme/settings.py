"""Settings for the Guro-gu SME and small-business support system.

Everything that differs between a laptop and production comes from the environment;
a bad value stops the start-up with a clear message instead of running half-configured.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0/1, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless asked for: a server started without DEBUG in its environment is a production server.
# manage.py, the test settings and `make run` ask for it (development tools, see README).
DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0 (development: DEBUG=1)")
    SECRET_KEY = "dev-only-key-not-for-production-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "guro_sme",
    "loans",
    "loans.committee",
    "loans.aftercare",
    "marketing",
    "kotra",
    "programs",
    "reports",
    "guro_sme.jobs",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (big exports, merged PDFs) run in a task worker: `manage.py db_worker`, which
# `make run` starts beside the web server. The database backend needs no other server; a
# Redis-backed queue (django-tasks-rq) can replace it in production with TASKS_BACKEND.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A list export with more rows than this is made by the worker, with a progress page.
BACKGROUND_EXPORT_ROWS = envint("BACKGROUND_EXPORT_ROWS", 5000)
# A merged PDF (a member's packet, the decision notices, a referral letter) of more items than this.
BACKGROUND_PDF_ITEMS = envint("BACKGROUND_PDF_ITEMS", 60)

# The apps whose support a firm can receive; the firm page and the home page ask each of
# them (through <app>.selectors) what it has for a firm or a user.
SUPPORT_APPS = ["loans", "loans.committee", "loans.aftercare", "marketing", "kotra", "programs"]
# The apps the header search (/search/) asks, in the order their groups are shown; each has
# `search(query, user, limit)` in its selectors (see guro_sme/search.py).
SEARCH_APPS = ["loans", "kotra", "marketing", "programs"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page but login needs a login; views opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle (30 min) and absolute (8 h) session limits, then the second factor where it applies
    # (after the messages middleware: both tell the user why in a message).
    "guro_sme.middleware.SessionTimeoutMiddleware",
    "guro_sme.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Korean lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "guro_sme.urls"

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
                "guro_sme.context_processors.district",
            ],
        },
    },
]

WSGI_APPLICATION = "guro_sme.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several staff at once: WAL lets readers run beside a writer,
    # every transaction takes the write lock when it starts (IMMEDIATE: no deadlocked upgrade
    # from read to write, which SQLite answers with an instant "database is locked"), and a writer
    # waits up to SQLITE_BUSY_SECONDS for another instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not the in-memory default): threads of the concurrency tests need
    # real connections to one database, as the server's threads have.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's validators; their messages come in Korean from Django's own translation (ko).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT failures an account is locked, and so
# is the address it came from, for LOGIN_LOCKOUT_MINUTES; every failure is logged (AccessAttempt,
# AccessFailureLog and the "axes" logger).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if envbool("BEHIND_PROXY", False) else ["REMOTE_ADDR"]
)

# Sessions: signed out after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after
# signing in whatever happens (guro_sme.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", 30) * 60

# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and forms.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "guro_sme.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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
# Uploaded documents are never served as static files: views check the role and stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
# The upload limit is enforced while the body streams in (guro_sme/uploads.py), so a refused file
# never reaches disk; files up to 2.5 MB stay in memory, bigger ones (up to the limit) spool to a
# temporary file that is deleted when the request ends.
FILE_UPLOAD_HANDLERS = [
    "guro_sme.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A spreadsheet is a zip: the most its members may hold once unpacked (a zip bomb is refused
# before it is parsed), for the import pages; manage.py import_data has its own higher limits.
MAX_IMPORT_UNPACKED_BYTES = envint("MAX_IMPORT_UNPACKED_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# The audit trail is append-only: the admin's "revert to this version" would bypass the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Production hardening: on whenever DEBUG is off, so `manage.py check --deploy` is clean.
# Behind the district's reverse proxy: trust its X-Forwarded-Proto, and X-Forwarded-For for the
# address written to the access log and used by the login lockout.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# Off only for a production-settings run on loopback without TLS (make loadtest).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("COOKIES_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# includeSubDomains and preload bind every subdomain of the district's domain (and browsers' preload
# lists for months): a deployment chooses them deliberately, so they are off unless set.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# `check --deploy` would warn about that choice (W005, W021); it is made here on purpose.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# E-mail (decision notices to applicants): printed to the console in development; in production
# SMTP from the environment. Every sending is recorded as delivered or failed, and resendable.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# 개인정보 보유기간 (guro_sme/privacy.py, `manage.py erase_expired_personal_data`), in years:
# participants' data after the run's last session, firm contacts after the firm's last support,
# and the access log (개인정보 접속기록), which the application never erases and which must be
# kept at least 2 years (안전성 확보조치 기준 제8조).
PERSONAL_DATA_RETENTION_YEARS = {
    "program_registration": envint("RETENTION_PROGRAM_REGISTRATION_YEARS", 2),
    "firm_contact": envint("RETENTION_FIRM_CONTACT_YEARS", 5),
    "access_log": envint("RETENTION_ACCESS_LOG_YEARS", 2),
}
if PERSONAL_DATA_RETENTION_YEARS["access_log"] < 2:
    raise ImproperlyConfigured("RETENTION_ACCESS_LOG_YEARS: 접속기록은 2년 이상 보관해야 합니다.")
if min(PERSONAL_DATA_RETENTION_YEARS.values()) < 1:
    raise ImproperlyConfigured("RETENTION_*_YEARS: 보유기간은 1년 이상으로 정하세요.")

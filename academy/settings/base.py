"""Settings shared by every environment. Values that differ per installation
come from environment variables (see README, "Konfiguration")."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    local_caches,
    redis_caches,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
# True only in academy.settings.production (the demo refuses to load there).
IS_PRODUCTION = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The proxies in front (load balancer), as addresses or networks: only their
# X-Forwarded-For is believed (home/clientip.py); everyone else is taken at REMOTE_ADDR.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    # our apps, highest layer first (learning -> enrolment -> courses -> home;
    # news -> home)
    "learning",
    "enrolment",
    "courses",
    "news",
    "home",
    "academy",  # operations commands, page cache signals
    "staffauth",  # second factor for staff on the admin sites
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "academy.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "academy.headers.PermissionsPolicyMiddleware",
    "academy.pagecache.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "academy.requestguard.RejectNulMiddleware",  # before anything reads the database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staffauth.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.fragments",
            ],
        },
    },
]

DATABASES = {"default": database_config(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else memory of this process. Two aliases on
# the same store: "default" ignores errors (logged), "strict" raises them for the
# project's own caches and rate limits, which know how to go on without (env.py).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    # Sessions survive a Redis restart or outage (database) and are read from Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = local_caches("django.core.cache.backends.locmem.LocMemCache")
# Ignored Redis errors are logged (throttled, see LOGGING).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Caching in three layers (home/cache.py). 1. Page cache for anonymous visitors
# (academy/pagecache.py): ended by every publish, content change and seat taken;
# what changes with time alone (a deadline passing) is at most PAGE_CACHE_SECONDS old.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 30)
PAGE_CACHE_ALIAS = "strict"
# 2. Template fragments ({% wagtailpagecache %}, {% wagtailcache %}), keyed by what
# they render, and 3. the content version they name, moved on by every saved snippet,
# setting, image or document. Free seats are never in them.
CONTENT_CACHE_ENABLED = env_bool("CONTENT_CACHE_ENABLED", True)
CONTENT_CACHE_SECONDS = env_int("CONTENT_CACHE_SECONDS", 24 * 3600)
CONTENT_CACHE_ALIAS = "strict"
# Image renditions are made in the background when an image is uploaded (and on
# deploy by `manage.py prepare_renditions`), never while a visitor waits.
RENDITIONS_ON_UPLOAD = env_bool("RENDITIONS_ON_UPLOAD", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# German first.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Let Django serve images from MEDIA_ROOT (small installations without a web server
# or object storage in front); documents are never served from there.
SERVE_MEDIA_IMAGES = env_bool("SERVE_MEDIA_IMAGES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Mail: SMTP when EMAIL_HOST is set; otherwise files under var/mail/.
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Innovationsakademie Handwerk <akademie@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Background work: django-tasks; run immediately unless configured otherwise.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# /readyz/ says "tasks": "stalled" when a due task has waited longer than this (no worker).
READY_TASK_MAX_AGE_SECONDS = env_int("READY_TASK_MAX_AGE_SECONDS", 300)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Wagtail
WAGTAIL_SITE_NAME = "Innovationsakademie Handwerk"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german",
    },
    # the public site search's index (home/search_index.py), kept by the same signals
    "site": {"BACKEND": "home.search_index"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Upload forms refuse a collection the person may not add to (trainers: their courses).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.uploads.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.uploads.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOG_FORMAT = env_str("LOG_FORMAT", "plain")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "academy.requestid.RequestIdFilter"},
        # an outage of Redis is told once a minute, not on every cache call
        "once_a_minute": {"()": "academy.logformat.OncePerInterval", "seconds": 60},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "academy.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"plain", "json"} else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        **{
            name: {"filters": ["once_a_minute"]}
            for name in (
                "django_redis.cache",
                "home.cache",
                "academy.pagecache",
                "enrolment.ratelimit",
            )
        },
    },
}

# Enrolment (enrolment app): opt-in expiry, deadlines, reminders, retention, rate limits.
ENROLMENT_PENDING_HOURS = env_int("ENROLMENT_PENDING_HOURS", 48)
# Links in mails (confirm, cancel) stop working this many days after their date ended.
ENROLMENT_LINK_DAYS = env_int("ENROLMENT_LINK_DAYS", 60)
ENROLMENT_CANCELLATION_DEADLINE_HOURS = env_int("ENROLMENT_CANCELLATION_DEADLINE_HOURS", 24)
ENROLMENT_REMINDER_DAYS = env_int("ENROLMENT_REMINDER_DAYS", 3)
ENROLMENT_RETENTION_DAYS = env_int("ENROLMENT_RETENTION_DAYS", 365)
ENROLMENT_PRIVACY_VERSION = env_str("ENROLMENT_PRIVACY_VERSION", "2026-01")
# Attendance of a session (Kurstag) can be recorded from its start until this many
# days after its end; later, participants without any attended session are no-shows.
ATTENDANCE_EDIT_DAYS = env_int("ATTENDANCE_EDIT_DAYS", 14)
# Share of a date's sessions a person must attend to count as "teilgenommen"
# (1 = every session); fewer is "teilweise teilgenommen" and gives no certificate.
ATTENDANCE_REQUIRED_SHARE = float(env_str("ATTENDANCE_REQUIRED_SHARE", "1") or 1)
# (count, seconds). Bookings made count, not failed submissions: per address ("ip";
# "ip_learner" when signed in, e.g. a guild office booking its members) and per e-mail;
# "attempts" bounds every submission from one address (a flood of bad forms).
ENROLMENT_RATE_LIMIT = {
    "ip": (30, 3600),
    "ip_learner": (100, 3600),
    "email": (5, 3600),
    "attempts": (300, 3600),
}
ENROLMENT_MAIL_MAX_ATTEMPTS = 8

# Who can sign in, and how: the login throttle (django-axes, counted in the database
# and so shared by all app servers) first, then passwords, then the learners'
# one-time e-mail links (django-sesame). Links are for learners only: accounts with
# a password, staff and trainers sign in with their password
# (staffauth.policy.may_sign_in_by_link).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "learning.backends.LearnerLinkBackend",
]
SESAME_MAX_AGE = env_int("LEARNER_LINK_MINUTES", 15) * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "token"  # noqa: S105 - the name of a query parameter, not a secret
LOGIN_URL = "learner:signin"
WAGTAIL_FRONTEND_LOGIN_URL = "/lernen/anmelden/"
LEARNER_SIGNIN_RATE_LIMIT = {"ip": (20, 3600), "email": (5, 3600)}  # (requests, seconds)

# Security headers, the same in every environment (HSTS and secure cookies: production).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}
# Content-Security-Policy of the public site (django-csp): no inline script, no
# third-party host except the two video players a visitor asks for (two-click).
# The Wagtail admin sends its own scripts and styles and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Login throttling (django-axes; its backend comes first in AUTHENTICATION_BACKENDS).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "academy.views.login_locked"
# The same client address as the rate limits: X-Forwarded-For only from TRUSTED_PROXIES.
# Locked is a user name *from one address*: a stranger's failures never lock out staff.
AXES_CLIENT_IP_CALLABLE = "home.clientip.client_ip"
AXES_VERBOSE = False

# Editors: the Wagtail admin for staff and trainers.
# No avatar look-ups at gravatar.com: the admin, too, sends nothing to third-party hosts.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Go/no-go on the admin home: planned dates starting within this many days whose
# confirmed seats are below their minimum participant number.
ENROLMENT_GO_NO_GO_DAYS = env_int("ENROLMENT_GO_NO_GO_DAYS", 14)

# Second factor for staff (staffauth, django-otp): everyone who can open /admin/ or
# /django-admin/ may set up an authenticator app (TOTP) plus backup codes; who has one
# enters its code after the password. "optional" (default): staff without one get in
# with the password alone; "required": they must set one up first; "off": never asked.
STAFF_TWO_FACTOR = env_str("STAFF_TWO_FACTOR", "optional").strip().lower()
STAFF_TWO_FACTOR_BACKUP_CODES = 10
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Guessing codes is throttled per device: after each wrong code the next try must
# wait 1, 2, 4, 8 … seconds (django-otp's exponential back-off).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # keys stay out of the Django admin's device pages

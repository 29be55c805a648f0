"""Tests: fast hashing, local memory cache, in-memory mail, media in a temp dir."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import local_caches

SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = local_caches("django.core.cache.backends.locmem.LocMemCache")
MEDIA_ROOT = tempfile.mkdtemp(prefix="academy-test-media-")
VAR_DIR = VAR_DIR / "test"
VAR_DIR.mkdir(parents=True, exist_ok=True)
if not os.environ.get("DATABASE_URL"):
    # A file, not memory, so that threads and the live server share it; one per
    # process, so that parallel runs never open each other's database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")
    }
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "german"},
    # the public site search's index (home/search_index.py), kept by the same signals
    "site": {"BACKEND": "home.search_index"},
}
# The page cache is switched on by the tests that exercise it (tests/ops/).
PAGE_CACHE_ENABLED = False
RENDITIONS_ON_UPLOAD = False  # tests make many images; test_renditions switches it on

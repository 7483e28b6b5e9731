"""Settings for the test suite: the real settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")

from crsys.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Unit tests run tasks in-process; tests/celery_worker.py starts a real worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"

import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="crsys-test-media-")
# The default district zone, so the machine's "today" in tests is the district's (tests that
# said date.today() failed between midnight UTC and midnight in Edmonton).
TIME_ZONE = "America/Edmonton"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live server's threads then each have their own connection and
    # wait their turn (WAL, the busy timeout) as `make run` does, where an in-memory database
    # shares one connection between them and two requests at once (a page and what it loads
    # after itself) fail with "database table is locked".
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="crsys-test-db-"), "test.sqlite3")
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The audit table's trigger refuses TRUNCATE (docs/adr/0011); the suite's flush after a
    # live-server test truncates every table, so its connections say it may.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c crsys.audit_truncate=on"  # noqa: F405

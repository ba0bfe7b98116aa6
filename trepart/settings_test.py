"""Settings for the test suite: the production settings with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from trepart.settings import *  # noqa: E402,F403

# Production hashes with Argon2 (tests/accounts check trepart.settings); the suite uses MD5
# first only to create its many test users quickly. Argon2 stays available for those tests.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

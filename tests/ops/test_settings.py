"""Production settings come from the environment only: no code change to scale out."""

from tests.ops.test_headers import production_settings


def test_defaults_local_cache_files_and_database_tasks():
    values = production_settings()
    # shared by the worker processes of one app server
    assert values["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert values["LOGGING"]["handlers"]["console"]["formatter"] == "json"


def test_database_url_with_persistent_connections_and_health_checks():
    values = production_settings(DATABASE_URL="postgres://app@db.internal:5432/academy")
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_redis_url_gives_shared_cache_and_sessions():
    values = production_settings(REDIS_URL="redis://cache.internal:6379/3")
    assert values["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/3"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_site_goes_on_and_the_project_caches_know_it():
    """Finding: with Redis stopped the whole site failed. Sessions, Wagtail and Django use
    "default", which logs and ignores errors (sessions then come from the database);
    cached content, the page cache, rate limits and /readyz/ use "strict", which
    raises, because each of them knows what to do without a cache."""
    values = production_settings(REDIS_URL="redis://cache.internal:6379/3")
    default, strict = values["CACHES"]["default"], values["CACHES"]["strict"]
    assert default["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert strict["OPTIONS"]["IGNORE_EXCEPTIONS"] is False
    assert strict["LOCATION"] == default["LOCATION"] and strict["KEY_PREFIX"] == "academy"
    for config in (default, strict):
        assert config["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
        assert config["OPTIONS"]["SOCKET_TIMEOUT"] <= 1
    assert values["PAGE_CACHE_ALIAS"] == values["CONTENT_CACHE_ALIAS"] == "strict"
    assert values["DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS"] is True
    assert "once_a_minute" in values["LOGGING"]["loggers"]["django_redis.cache"]["filters"]
    assert values["READY_TASK_MAX_AGE_SECONDS"] == 300


def test_bucket_puts_media_on_object_storage():
    values = production_settings(
        AWS_STORAGE_BUCKET_NAME="akademie-media", AWS_S3_ENDPOINT_URL="https://s3.example.org"
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "akademie-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.org"

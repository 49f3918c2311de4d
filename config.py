"""Settings for each environment, read from the process environment.

Pick one with ``BUURTMARKT_CONFIG`` (development, testing, production); development is the default.
"""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str | None) -> str:
    """Accept the URLs hosting platforms hand out and steer them to psycopg 3."""
    if not url:
        return f"sqlite:///{INSTANCE / 'buurtmarkt.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def local_secret_key(instance_path: str) -> str:
    """A random key kept in instance/ so development sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # None: Redis at REDIS_URL when that is set, else memory (one process only).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Pages, styles, scripts and the API's answers leave compressed: Brotli for the browsers
    # that take it, gzip for the rest (marketplace/extensions.py). Images are compressed already.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "application/geo+json", "application/problem+json",
                          "text/csv", "image/svg+xml", "application/manifest+json"]
    COMPRESS_STREAMS = False  # see marketplace/compression.py
    COMPRESS_BR_LEVEL = 6  # Leaflet: 40.6 KB in 3.6 ms, against gzip's 42.7 KB in 4.2 ms
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;60 per hour")
    # Failed log-ins per account, from whatever addresses: stops guessing one person's password
    # from many machines at once.
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "5 per minute;20 per hour")
    RATELIMIT_SIGNUP = os.environ.get("RATELIMIT_SIGNUP", "5 per minute;20 per hour")
    RATELIMIT_PASSWORD_RESET = os.environ.get("RATELIMIT_PASSWORD_RESET", "5 per minute;20 per hour")
    RATELIMIT_TAKE_OVER = os.environ.get("RATELIMIT_TAKE_OVER", "5 per minute;20 per hour")
    # Posting, per person; an address may do five times as much (marketplace/pace.py).
    RATELIMIT_LISTING = os.environ.get("RATELIMIT_LISTING", "10 per minute;60 per day")
    RATELIMIT_COMMENT = os.environ.get("RATELIMIT_COMMENT", "5 per minute;30 per hour;100 per day")
    RATELIMIT_MESSAGE = os.environ.get("RATELIMIT_MESSAGE", "10 per minute;100 per hour")
    RATELIMIT_RESPONSE = os.environ.get("RATELIMIT_RESPONSE", "10 per minute;50 per hour")
    RATELIMIT_REPORT = os.environ.get("RATELIMIT_REPORT", "10 per minute;50 per day")
    RATELIMIT_UPDATE = os.environ.get("RATELIMIT_UPDATE", "5 per minute;20 per hour")
    RATELIMIT_GEOCODE = os.environ.get("RATELIMIT_GEOCODE", "20 per minute")
    RATELIMIT_EXPORT = os.environ.get("RATELIMIT_EXPORT", "10 per hour")
    # Public API answers that are not in the cache yet, per address (cached ones are free).
    RATELIMIT_API_BUILD = os.environ.get("RATELIMIT_API_BUILD", "1200 per minute")
    # Downloads of every matching listing (api/open_listings.py), per address.
    RATELIMIT_OPEN_DATA = os.environ.get("RATELIMIT_OPEN_DATA", "30 per hour")
    # Built API answers: in this process, or in Redis when REDIS_URL is set (api/caching.py).
    CACHE_TYPE = os.environ.get("CACHE_TYPE")
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_THRESHOLD = 5000  # answers kept in a process (a tile: 1–5 KB)
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "buurtmarkt:")
    # How long a process trusts the data versions it read (mapdata/versions.py).
    MAP_VERSION_CHECK_SECONDS = float(os.environ.get("MAP_VERSION_CHECK_SECONDS", "1"))

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SITE_NAME = "Buurtmarkt"
    # Where people reach the site, for every link in mail. Required in production: without it a
    # link would follow the Host header of the request, which a visitor can choose (a password
    # reset link pointing elsewhere). In development the request's own address is used.
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Buurtmarkt <noreply@buurtmarkt.localhost>")
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", True)
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE / "outbox"))

    # How long personal data no longer needed is kept, in days (marketplace/privacy/retention.py,
    # run daily by `flask daily-jobs`); the privacy statement shows these same numbers.
    RETENTION_UNCONFIRMED_ACCOUNT_DAYS = int(os.environ.get("RETENTION_UNCONFIRMED_ACCOUNT_DAYS", "30"))
    RETENTION_NOTIFICATION_DAYS = int(os.environ.get("RETENTION_NOTIFICATION_DAYS", "365"))
    RETENTION_MESSAGE_DAYS = int(os.environ.get("RETENTION_MESSAGE_DAYS", "730"))
    RETENTION_MODERATION_DAYS = int(os.environ.get("RETENTION_MODERATION_DAYS", "365"))
    RETENTION_OUTBOX_DAYS = int(os.environ.get("RETENTION_OUTBOX_DAYS", "30"))

    # The job queue (marketplace/jobs.py): in Redis when REDIS_URL is set, else in PostgreSQL
    # when the database is PostgreSQL, else in this SQLite file. `flask worker` runs the jobs.
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH", str(INSTANCE / "jobs.sqlite3"))
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL")  # another Redis than REDIS_URL
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "buurtmarkt")
    JOBS_IMMEDIATE = False  # tests: each job runs at once, in the process that queued it
    # A mail or push message that could not be delivered is tried again after 1, 2, 4, … minutes
    # (at most two hours apart) this many times, about 10 hours in all, and then shown to admins.
    DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "12"))

    # Web Push (marketplace/delivery/push.py): the PEM private key that signs push messages.
    # Required in production; development generates one in instance/. The subject tells push
    # services whom to contact about our messages.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:beheer@buurtmarkt.localhost")
    PUSH_ALLOW_HTTP = False  # tests: a stand-in push service on http://127.0.0.1
    # The push services of the browsers (Chrome, Firefox, Edge, Safari): a subscription must
    # name one of these hosts (or a host under it), so the worker never posts elsewhere.
    PUSH_SERVICES = tuple(os.environ.get(
        "PUSH_SERVICES", "fcm.googleapis.com android.googleapis.com push.services.mozilla.com "
        "notify.windows.com push.apple.com").split())

    GEOCODER = os.environ.get("GEOCODER", "nominatim")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "buurtmarkt")

    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 3600
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    # A login session unused this long has ended: short without "remember me" (a shared
    # computer in the library), long with it (one's own phone).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
    REMEMBER_IDLE_DAYS = int(os.environ.get("REMEMBER_IDLE_DAYS", "30"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "http"
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # six photos of up to 10 MB and the form
    MAX_PHOTO_BYTES = 10_000_000
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE / "uploads"))
    # Buurten files wait here for their import job; a national CBS GeoPackage is 100–400 MB.
    IMPORT_DIR = os.environ.get("IMPORT_DIR", str(INSTANCE / "imports"))
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(1024 * 1024 * 1024)))
    TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    TILE_ATTRIBUTION = os.environ.get(
        "TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>')
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: long forms on a phone
    PROXY_FIX = _env_bool("PROXY_FIX", False)


class DevelopmentConfig(Config):
    USE_LOCAL_SECRET_KEY = True  # create_app keeps a generated key in instance/ when none is set


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    REDIS_URL = None
    JOBS_IMMEDIATE = True
    PUSH_ALLOW_HTTP = True


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
    REQUIRE_PUBLIC_URL = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

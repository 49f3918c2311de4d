"""Buurtmarkt: the application factory."""

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, local_secret_key

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app for the environment in ``BUURTMARKT_CONFIG`` (default: development)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config_name = "testing" if test_config else os.environ.get("BUURTMARKT_CONFIG", "development")
    app.config.from_object(CONFIGS[config_name])
    if test_config:
        app.config.update(test_config)
    _check_required_settings(app)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    logging.basicConfig(level=logging.INFO)

    register_url_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    if app.config.get("PROXY_FIX"):
        # Outermost, so that everything inside (marketplace/api/not_modified.py too) sees the
        # address the visitor asked for.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app


def _check_required_settings(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        if app.config.get("REQUIRE_SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (a long random string).")
        app.config["SECRET_KEY"] = local_secret_key(app.instance_path)
    if app.config.get("REQUIRE_PUBLIC_URL") and not app.config.get("PUBLIC_URL"):
        raise RuntimeError("PUBLIC_URL must be set in production (https://…, for links in mail).")


def register_url_converters(app: Flask) -> None:
    from werkzeug.routing import IntegerConverter

    from marketplace.ids import MAX_ID

    class IdConverter(IntegerConverter):
        """A database id: a positive number that fits the INTEGER column (else the page is 404)."""

        def __init__(self, url_map, *args, **kwargs):
            super().__init__(url_map, min=1, max=MAX_ID)

    app.url_map.converters["id"] = IdConverter


def register_extensions(app: Flask) -> None:
    from marketplace import (  # noqa: F401  (models: schema)
        compression,
        database,
        i18n,
        jobs,
        models,
        security,
        static_files,
    )
    from marketplace.api import caching
    from marketplace.auth import login
    from marketplace.extensions import csrf, db, limiter, migrate
    from marketplace.mapdata import versions
    from marketplace.models_base import render_migration_item

    compression.init_app(app)  # first: it compresses what every later step finished
    static_files.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    versions.init_app(app)
    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from marketplace.accountability.routes import bp as accountability_bp
    from marketplace.accounts.routes import bp as accounts_bp
    from marketplace.admin.routes import bp as admin_bp
    from marketplace.api import not_modified, public
    from marketplace.api.routes import bp as api_bp
    from marketplace.assisted import acting
    from marketplace.assisted.routes import bp as assisted_bp
    from marketplace.audit.routes import bp as audit_bp
    from marketplace.auth.routes import bp as auth_bp
    from marketplace.buurten.routes import bp as buurten_bp
    from marketplace.comments.routes import bp as comments_bp
    from marketplace.commitments.routes import bp as commitments_bp
    from marketplace.delivery.routes import bp as delivery_bp
    from marketplace.experiments.routes import bp as experiments_bp
    from marketplace.following.routes import bp as following_bp
    from marketplace.imports.routes import bp as imports_bp
    from marketplace.insight.routes import bp as insight_bp
    from marketplace.listings.routes import bp as listings_bp
    from marketplace.main.routes import bp as main_bp
    from marketplace.matching.routes import bp as matching_bp
    from marketplace.moderation.routes import bp as moderation_bp
    from marketplace.notifications.routes import bp as notifications_bp
    from marketplace.nudges.routes import bp as nudges_bp
    from marketplace.ownership.routes import bp as ownership_bp
    from marketplace.privacy.routes import bp as privacy_bp
    from marketplace.pwa.routes import bp as pwa_bp
    from marketplace.teams.routes import bp as teams_bp

    for blueprint in (main_bp, auth_bp, accounts_bp, admin_bp, listings_bp, buurten_bp, api_bp,
                      commitments_bp, notifications_bp, matching_bp, following_bp, ownership_bp,
                      accountability_bp, comments_bp, moderation_bp, audit_bp, privacy_bp, imports_bp,
                      delivery_bp, pwa_bp, assisted_bp, nudges_bp, teams_bp, insight_bp,
                      experiments_bp):
        app.register_blueprint(blueprint)
    acting.init_app(app)
    public.init_app(app)
    not_modified.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from marketplace import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from marketplace import cli

    cli.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from flask import has_request_context, request
    from flask_babel import get_locale
    from flask_login import current_user

    from marketplace import policy
    from marketplace.listings.units import counted
    from marketplace.text import plain_text

    app.add_template_filter(plain_text)
    app.add_template_filter(counted)

    @app.context_processor
    def inject_helpers():
        return {
            "can": lambda action, target=None: policy.can(current_user, action, target),
            "site_name": app.config["SITE_NAME"],
            "current_language": str(get_locale()),
            # E-mail is also rendered outside requests (daily digests from the command line).
            "current_path": request.full_path.rstrip("?") if has_request_context() else "/",
        }

"""The manifest, the service worker and the offline page.

The service worker keeps the pages a person visited, so they still open offline (with a notice
that they may be out of date). Pages hold personal data, so each page tells the worker whose
they are (:func:`device_account`, a keyed digest, not the id); when that changes (log-out,
another person logs in) the kept pages are thrown away before anything else is shown.
"""

import hashlib
import hmac
import json

from flask import Blueprint, current_app, make_response, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.extensions import limiter

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#0b6e4f"
# What the worker keeps at once: enough to show the offline page and a kept page in style.
SHELL_FILES = ("css/app.css", "js/app.js", "img/favicon.svg", "img/icon-192.png")
# The pages it keeps for offline use (paths, as regular expressions): what a resident looks
# at again on the way (listings, buurten, the map, their own page, responses, notifications),
# not forms, admin or moderation pages, and no address that carries a token.
KEPT_PAGES = (r"^/$", r"^/kaart$", r"^/l/\d+$", r"^/buurt/[^/]+$", r"^/buurten$",
              r"^/gemeenten$", r"^/gemeente/[^/]+/verantwoording$", r"^/mijn-pagina$",
              r"^/reacties/\d+$", r"^/meldingen/$", r"^/privacy$")


@bp.app_context_processor
def device_account() -> dict:
    """Whose pages these are, for the service worker: the same for one person, different for
    the next one, and telling nothing about who it is."""
    if not getattr(current_user, "is_authenticated", False):  # also mail, built in a job
        return {"device_account": "anonymous"}
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"device-account:{current_user.id}".encode(), hashlib.sha256)
    return {"device_account": digest.hexdigest()[:24]}


@bp.route("/manifest.webmanifest")
@limiter.exempt
def manifest():
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=f"img/{name}"), "sizes": f"{size}x{size}",
        "type": "image/png", "purpose": purpose}
    body = {
        "name": current_app.config["SITE_NAME"],
        "short_name": current_app.config["SITE_NAME"],
        "description": _("Initiatives, help and materials in your neighbourhood."),
        "lang": str(get_locale()), "dir": "ltr", "start_url": url_for("main.home"), "scope": "/",
        "id": "/", "display": "standalone", "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512),
                  icon("icon-maskable-512.png", 512, "maskable")],
    }
    response = make_response(json.dumps(body, ensure_ascii=False))
    response.mimetype = "application/manifest+json"
    # Kept by the browser, not by shared caches: its words are in the reader's language.
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response


@bp.route("/sw.js")
@limiter.exempt
def service_worker():
    shell = [url_for("static", filename=name) for name in SHELL_FILES] + [url_for("pwa.offline")]
    # A new version of any kept file (its address carries a digest) is a new worker.
    version = hashlib.sha256(json.dumps([shell, KEPT_PAGES]).encode()).hexdigest()[:12]
    response = make_response(render_template(
        "pwa/sw.js", shell=shell, version=version, offline_url=url_for("pwa.offline"),
        kept_pages=KEPT_PAGES,
        icon=url_for("static", filename="img/icon-192.png")))
    response.mimetype = "text/javascript"
    response.cache_control.no_cache = True  # browsers check for a new worker on every visit
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@limiter.exempt
def offline():
    """Shown by the service worker for a page not kept on this device; holds no personal data."""
    return render_template("pwa/offline.html")

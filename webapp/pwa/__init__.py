"""The installable app: service worker, web manifest, and the "This phone" page."""
import hashlib
import json

from flask import Blueprint, Response, current_app, g, render_template, request, url_for

from .. import assets
from ..clock import CLOCK_SKEW
from ..headers import OWN_CACHE_ROUTES
from ..settings import ROOT_DIR

bp = Blueprint("pwa", __name__)
SW_SOURCE = ROOT_DIR / "service_worker" / "sw.js"
# Capture forms the phone keeps for offline use.
SHELL_ENDPOINTS = ["concerns.new", "permissions.new", "concerns.entry_form", "permissions.decision_form",
                   "governance.declaration_new"]
SHELL_HEADER = "X-Offline-Shell"
migrations = None  # the installable app keeps no tables of its own
seed_demo = None


def read_offline():
    """Return (path pattern, kept form) pairs: pages read offline from the phone's encrypted copy."""
    return [[r"^/concerns/\d+$", url_for("concerns.entry_form")],
            [r"^/requests/decisions$", url_for("permissions.decision_form")]]


def shell_urls():
    """Return the paths of the capture forms a phone keeps for offline use."""
    return [url_for(e) for e in SHELL_ENDPOINTS]


def precache_urls():
    icons = [url_for("static", filename=f"icons/{n}") for n in ("icon-192.png", "icon-512.png")]
    pages = [url_for("pwa.phone"), url_for("safeguarding.whistleblowing"), url_for("safeguarding.key_details"),
             url_for("school_phones.concern")]
    return pages + [url_for("pwa.manifest")] + assets.all_urls() + icons


@bp.route("/service-worker.js")
def service_worker():
    source = SW_SOURCE.read_text()
    config = {"precache": precache_urls(), "shells": shell_urls(), "shellHeader": SHELL_HEADER,
              "readOffline": read_offline(),
              "outbox": assets.import_map()["outbox"], "fallback": url_for("pwa.phone")}
    version = hashlib.sha256((source + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:12]
    config["version"] = version
    body = f"const CONFIG = {json.dumps(config)};\n" + source.replace("__OUTBOX_URL__", config["outbox"])
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    name = current_app.config["SCHOOL_NAME"]
    icon = lambda file, size, purpose: {"src": url_for("static", filename=f"icons/{file}"),  # noqa: E731
                                        "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
    body = {
        "name": f"{name}: safeguarding and devices",
        "short_name": "Safeguarding",
        "description": "Log concerns and device requests, with or without signal.",
        "start_url": "/", "scope": "/", "id": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1d4f91",
        "icons": [icon("icon-192.png", 192, "any"), icon("icon-512.png", 512, "any"),
                  icon("maskable-512.png", 512, "maskable")],
    }
    response = Response(json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/phone")
def phone():
    """Show what is waiting on this phone; also the page served offline for anything not kept."""
    g.offline_shell = True  # kept on the phone, so it must name nobody
    return render_template("pwa/phone.html", labels=phone_labels())


def phone_labels():
    """Return the words for the keys that pulled records carry, so the phone never shows a key."""
    from ..concerns.chronology import STATUSES
    from ..permissions.forms import DEVICES, PURPOSES
    from ..permissions.views import STATUS_LABELS
    return {"status": STATUSES, "request_status": STATUS_LABELS, "device": dict(DEVICES), "purpose": dict(PURPOSES)}


def mark_shell_request():
    """Render capture forms for the phone's cache without anything personal in the page."""
    g.offline_shell = request.headers.get(SHELL_HEADER) == "1"


def init_app(app):
    app.register_blueprint(bp)
    app.before_request(mark_shell_request)
    OWN_CACHE_ROUTES.update({"pwa.service_worker", "pwa.manifest"})
    app.jinja_env.globals["clock_skew_seconds"] = int(CLOCK_SKEW.total_seconds())  # read by static/js/settings.js

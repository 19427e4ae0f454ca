"""Security headers on every response; no caching of anything but built assets."""
import secrets

from flask import g, request

PERMISSIONS_POLICY = ("camera=(self), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()")


# Endpoints that hold no personal data and set their own Cache-Control (e.g. the service worker).
OWN_CACHE_ROUTES = set()


def csp_nonce():
    """Return this request's nonce for the one inline import map."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy():
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{csp_nonce()}'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def set_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.path.startswith("/static/gen/"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    elif request.endpoint not in OWN_CACHE_ROUTES and not request.path.startswith("/static/"):
        # Anything else may show personal data: never stored by the browser or a proxy.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app):
    app.after_request(set_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

"""Compress the app's own responses, so `make run` alone meets the first-load budget."""
from flask_compress import Compress

# Pages, stylesheets, scripts, JSON and the manifest; pictures are compressed already.
MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
             "application/manifest+json", "image/svg+xml"]


def init_app(app):
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    Compress(app)

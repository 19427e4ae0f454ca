"""CSS and JavaScript bundles: minified, content-hashed, built when the app starts, never committed."""
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import with_appcontext
from webassets import Bundle, Environment

# ES modules are built one file each so that their imports resolve through the import map.
JS_MODULES = ["app", "settings", "worker", "sending", "devicekey", "envelope", "outbox", "forms", "pulled", "phone",
              "checks", "clock", "quickhide", "permissions", "offlinecase", "pinlock", "pinprompt",
              "schoolphone", "delivered", "returned", "passkey"]
# What app.js imports, directly or through another module: every page asks for these at once
# (<link rel="modulepreload">) instead of finding them one import level at a time on a slow network.
EVERY_PAGE = ["app", "outbox", "clock", "settings", "forms", "envelope", "checks", "devicekey", "pulled", "sending",
              "pinlock", "pinprompt", "worker", "quickhide", "delivered", "returned"]


def make_environment(app):
    env = Environment(directory=app.static_folder, url="/static")
    env.versions = "hash"
    env.manifest = f"file:{Path(app.static_folder) / 'gen' / '.manifest'}"
    env.cache = False
    env.auto_build = bool(app.config["ASSETS_AUTO_BUILD"])
    css_dir = Path(app.static_folder) / "css"
    extra = sorted(f"css/{p.name}" for p in css_dir.glob("*.css") if p.name != "app.css")
    env.register("css", Bundle("css/app.css", *extra, filters="rcssmin", output="gen/app.%(version)s.css"))
    for name in JS_MODULES:
        source = Path(app.static_folder) / "js" / f"{name}.js"
        if source.exists():
            env.register(f"js_{name}", Bundle(f"js/{name}.js", filters="rjsmin",
                                              output=f"gen/{name}.%(version)s.js"))
    return env


def asset_url(name):
    """Return the built URL of a bundle (building it first when auto-build is on)."""
    env = current_app.extensions["assets_env"]
    return env[name].urls()[0]


def import_map():
    """Map each module name to its built URL, for the page's import map (worked out once a request)."""
    if "import_map" not in g:
        env = current_app.extensions["assets_env"]
        g.import_map = {n: env[f"js_{n}"].urls()[0] for n in JS_MODULES if f"js_{n}" in env}
    return g.import_map


def preloads():
    """Return the built URLs of the modules every page loads."""
    return [import_map()[n] for n in EVERY_PAGE if n in import_map()]


def all_urls():
    """Return every built asset URL (for the service worker's precache)."""
    env = current_app.extensions["assets_env"]
    return [bundle.urls()[0] for bundle in env]


@click.command("build-assets")
@with_appcontext
def build_assets_command():
    """Build every CSS and JavaScript bundle."""
    env = current_app.extensions["assets_env"]
    for bundle in env:
        bundle.build()
    click.echo("Assets built.")


def build_missing(app, env):
    """Build every bundle that is missing or older than its sources, so no page fails for want of one.

    Cheap when all are built (a look at file times), so it runs at every start, whatever
    ASSETS_AUTO_BUILD says; that setting only decides whether pages rebuild while the app runs.
    """
    for bundle in env:
        try:
            bundle.build(force=False)
        except OSError as exc:  # e.g. a read-only install: keep whatever was built before
            app.logger.warning("Could not build %s: %s", bundle.output, exc)


def init_app(app):
    app.extensions["assets_env"] = make_environment(app)
    build_missing(app, app.extensions["assets_env"])
    app.jinja_env.globals.update(asset_url=asset_url, import_map=import_map, preloads=preloads)
    app.cli.add_command(build_assets_command)

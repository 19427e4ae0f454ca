"""A fresh clone works at once: no page waits for `flask build-assets`, and every bench script imports."""
import importlib
import re
import shutil

import pytest

import webapp
from tests.conftest import Auth
from webapp import create_app

BENCH = webapp.ROOT / "bench"
PAGES = ["/", "/concerns/new", "/requests/new", "/phone", "/policy", "/service-worker.js"]


@pytest.fixture
def unbuilt_root(tmp_path, monkeypatch):
    """A copy of the project's static files with no built bundles, as a fresh clone has."""
    root = tmp_path / "clone"
    shutil.copytree(webapp.ROOT / "static", root / "static", ignore=shutil.ignore_patterns("gen", ".webassets-cache"))
    (root / "templates").symlink_to(webapp.ROOT / "templates")
    monkeypatch.setattr(webapp, "ROOT", root)
    return root


def test_pages_load_on_an_app_whose_assets_were_never_built(unbuilt_root, tmp_path, school_template):
    shutil.copyfile(school_template[0], tmp_path / "fresh.db")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "fresh.db"),
                      "SEALING_KEY_FOLDER": str(tmp_path / "keys"), "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                      "SMTP_HOST": None, "ASSETS_AUTO_BUILD": False})
    client = app.test_client()
    assert client.get("/login").status_code == 200
    Auth(client).login("head")
    answers = {path: client.get(path).status_code for path in PAGES}
    assert answers == {path: 200 for path in PAGES}
    page = client.get("/concerns/new").get_data(as_text=True)
    built = re.findall(r'"(/static/gen/[^"]+)"', page)
    assert built and all(client.get(url).status_code == 200 for url in built)
    assert (unbuilt_root / "static" / "gen").is_dir()


def bench_scripts():
    """Return every script `make bench` runs (a file with a plain `if __name__ == "__main__":`)."""
    return sorted(p.stem for p in BENCH.glob("*.py") if '\nif __name__ == "__main__":\n' in p.read_text())


def test_make_bench_finds_its_scripts():
    assert {"sync_ingest", "concern_queue", "offline_delivery", "first_load"} <= set(bench_scripts())


@pytest.mark.parametrize("name", bench_scripts())
def test_every_bench_script_imports(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(module.main)

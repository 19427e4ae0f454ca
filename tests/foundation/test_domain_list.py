"""Every domain is listed once and imported plainly: a missing or broken one stops the start."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START = """
import sys
{break_it}
from webapp import create_app
create_app({{"TESTING": True, "SECRET_KEY": "x", "DATABASE": sys.argv[1], "SEALING_KEY_FOLDER": sys.argv[2]}})
print("started")
"""


def start(tmp_path, break_it=""):
    """Start the app in a fresh interpreter; return (exit code, everything it printed)."""
    done = subprocess.run([sys.executable, "-c", START.format(break_it=break_it), str(tmp_path / "app.db"),
                           str(tmp_path / "keys")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_the_app_starts_with_every_domain(tmp_path):
    code, output = start(tmp_path)
    assert (code, output.strip().splitlines()[-1]) == (0, "started")


@pytest.mark.parametrize("module", ["webapp.governance", "webapp.permissions.sync", "webapp.concerns.schema"])
def test_a_missing_domain_module_stops_the_start_and_names_it(tmp_path, module):
    code, output = start(tmp_path, f"sys.modules[{module!r}] = None  # as if the file were missing")
    assert code != 0 and "started" not in output
    assert module in output


BROKEN = """
class Broken:
    def find_spec(self, name, path, target=None):
        if name == "webapp.governance.demo":
            raise RuntimeError("a mistake in " + name)
sys.meta_path.insert(0, Broken())
"""


def test_a_domain_module_that_fails_to_import_stops_the_start(tmp_path):
    code, output = start(tmp_path, BROKEN)
    assert code != 0 and "started" not in output
    assert "RuntimeError: a mistake in webapp.governance.demo" in output

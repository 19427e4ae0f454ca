"""The app factory, its three layers of configuration, and the generated secret key."""
import pytest

import webapp
from webapp import create_app
from webapp.settings import SETTINGS, UnknownSetting, defaults


def test_test_config_overrides_defaults(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE": str(tmp_path / "a.db"), "SCHOOL_NAME": "Oak Lane"})
    assert app.config["SCHOOL_NAME"] == "Oak Lane"
    assert app.config["SESSION_IDLE_MINUTES"] == defaults()["SESSION_IDLE_MINUTES"]


def test_layers_instance_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SCHOOL_NAME = 'From File'\nSCHOOL_TIMEZONE = 'Europe/Dublin'\n")
    monkeypatch.setattr(webapp, "INSTANCE", tmp_path)
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "env.db"))
    monkeypatch.setenv("FLASK_SCHOOL_NAME", "From Environment")
    app = create_app()
    assert app.config["SCHOOL_NAME"] == "From Environment"     # environment beats the file
    assert app.config["SCHOOL_TIMEZONE"] == "Europe/Dublin"    # the file beats the defaults
    assert app.config["DATABASE"] == str(tmp_path / "env.db")


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.setattr(webapp, "INSTANCE", tmp_path)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "k.db"))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert len(first) >= 64 and first == second == key_file.read_text().strip()
    assert key_file.stat().st_mode & 0o077 == 0


def test_relative_paths_resolve_inside_the_project(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE": "instance/other.db"})
    assert app.config["DATABASE"] == str(webapp.ROOT / "instance" / "other.db")


def test_every_setting_is_documented_in_the_readme():
    readme = (webapp.ROOT / "README.md").read_text()
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in readme]
    assert not missing, f"README.md does not document: {missing}"


def test_every_setting_has_help():
    assert all(s.help.strip().endswith(".") or s.help.strip().endswith(")") for s in SETTINGS)
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)


def test_a_misspelt_setting_in_the_instance_file_stops_the_start_and_names_it(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SCHOOL_NAME = 'Oak Lane'\nSESSION_IDLE_MINUTE = 10\n")
    monkeypatch.setattr(webapp, "INSTANCE", tmp_path)
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "a.db"))
    with pytest.raises(UnknownSetting) as refused:
        create_app()
    message = str(refused.value)
    assert "instance/config.py sets SESSION_IDLE_MINUTE" in message
    assert "Did you mean SESSION_IDLE_MINUTES?" in message


def test_a_flask_variable_that_is_not_a_setting_stops_the_start_and_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(webapp, "INSTANCE", tmp_path)
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "a.db"))
    monkeypatch.setenv("FLASK_SMTP_HOTS", "mail.school.invalid")
    with pytest.raises(UnknownSetting, match="FLASK_SMTP_HOTS is set, but SMTP_HOTS is not a setting"):
        create_app()


def test_the_flask_commands_own_variables_and_flasks_settings_are_let_through(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SERVER_NAME = 'school.example'\n")
    monkeypatch.setattr(webapp, "INSTANCE", tmp_path)
    for name, value in [("FLASK_APP", "webapp"), ("FLASK_DEBUG", "0"), ("FLASK_RUN_PORT", "5001"),
                        ("FLASK_DATABASE", str(tmp_path / "a.db"))]:
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["SERVER_NAME"] == "school.example" and "RUN_PORT" not in app.config

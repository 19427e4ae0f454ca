"""Backups a school can trust: `backup`, `verify-backup` and `restore` (DESIGN.md section 7)."""
from . import cli


def init_app(app):
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.verify_backup_command)
    app.cli.add_command(cli.restore_command)

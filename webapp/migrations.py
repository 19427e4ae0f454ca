"""Apply every domain's append-only migration set, in dependency order."""
import importlib

# Each domain keeps its own sqlite_utils.Migrations in <domain>/schema.py.
DOMAINS = ["auth", "concerns", "permissions", "governance", "sync", "mail"]


def migration_sets():
    """Return the Migrations object of each domain that has one."""
    sets = []
    for name in DOMAINS:
        try:
            module = importlib.import_module(f"webapp.{name}.schema")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(f"webapp.{name}"):
                raise
            continue
        sets.append(module.migrations)
    return sets


def migrate(db):
    """Apply pending migrations; return how many were applied."""
    count = 0
    for migrations in migration_sets():
        pending = migrations.pending(db)
        migrations.apply(db)
        count += len(pending)
    return count

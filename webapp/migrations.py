"""Apply every domain's append-only migration set, in dependency order."""


def migration_sets():
    """Return the Migrations object of each domain that keeps tables, in the order of DOMAINS."""
    from .domains import DOMAINS
    return [domain.migrations for domain in DOMAINS if domain.migrations is not None]


def migrate(db):
    """Apply pending migrations; return how many were applied."""
    count = 0
    for migrations in migration_sets():
        pending = migrations.pending(db)
        migrations.apply(db)
        count += len(pending)
    return count

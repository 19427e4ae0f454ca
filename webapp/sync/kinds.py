"""Find each domain's sync module: the kinds of item it accepts and the changes it reports."""
import importlib

# Domains that may have a `sync.py` with KINDS and changes_since (see DESIGN.md section 4).
DOMAINS = ("concerns", "permissions", "governance")


def domain_sync_modules():
    """Import and return `webapp.<domain>.sync` for every domain that has one."""
    modules = []
    for name in DOMAINS:
        try:
            modules.append(importlib.import_module(f"webapp.{name}.sync"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"webapp.{name}", f"webapp.{name}.sync"):
                raise
    return modules


def init_app(app):
    """Collect handlers into app.extensions: `sync_kinds` (kind -> accept) and `sync_sources`."""
    kinds, sources = {}, []
    for module in domain_sync_modules():
        kinds.update(getattr(module, "KINDS", {}))
        if hasattr(module, "changes_since"):
            sources.append(module.changes_since)
    app.extensions["sync_kinds"] = kinds
    app.extensions["sync_sources"] = sources

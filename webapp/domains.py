"""Every domain of the app, listed once: one that fails to import stops the start, loudly.

Each domain is a package offering:
- `init_app(app)`: registers its blueprint, commands, synced kinds and pull source
  (`sync.handoff.register`);
- `migrations`: its append-only `sqlite_utils` Migrations, or None if it keeps no tables;
- `seed_demo(db, people)`: writes its demo records for `flask seed-demo`, or None.

They are listed in the order their tables depend on each other (users first).
"""
from . import (actions, audit, auth, concerns, exports, governance, installation, learners, mail, openapi,
               permissions, pwa, safeguarding, school_phones, sync)

DOMAINS = (auth, audit, concerns, permissions, governance, sync, mail, installation, pwa, learners, safeguarding,
           actions, exports, school_phones, openapi)

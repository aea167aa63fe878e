"""The local store: one SQLite file per store profile, migrated on open, written in transactions.

No Qt here. ``open_store`` gives a ``Store`` whose ``write()`` context manager is the only way the
domain writes, so a change and its outbox entry always commit together.
"""

from associate_app.store.database import Store, open_store

__all__ = ["Store", "open_store"]

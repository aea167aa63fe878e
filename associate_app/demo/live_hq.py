"""The demo's HQ: the real reference server, seeded with a demo chain, on a loopback port in this process.

``associate-app --demo`` starts one, points a throw-away profile folder at it and signs a demo account
in, so a newcomer sees a console that really syncs. Qt-free; the tests use it the same way.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from associate_app.domain.vocabulary import Role
from associate_app.settings import Options

DEMO_PASSWORD = "demo-2026"
DEMO_STORE = "SH001"
DEMO_ACCOUNTS: dict[Role, str] = {Role.ADVISOR: "A001", Role.CASHIER: "C001", Role.MANAGER: "M001"}


@dataclass
class DemoHQ:
    """A running demo HQ; ``stop()`` ends its server thread and closes its database."""

    url: str
    folder: Path
    _server: object
    _db: object

    def options(self, role: Role = Role.ADVISOR, **overrides: object) -> Options:
        """Settings for a demo account of ``role`` at the demo store (syncing every minute)."""
        values = {"hq_url": self.url, "store_code": DEMO_STORE, "staff_no": DEMO_ACCOUNTS[role],
                  "sync_interval_seconds": 60, "device_name": "演示收银台"}
        values.update(overrides)
        return Options(**values)  # type: ignore[arg-type]

    def stop(self) -> None:
        self._server.stop()  # type: ignore[attr-defined]
        self._db.close()  # type: ignore[attr-defined]


def start_demo_hq(folder: Path, members: int = 2000, *, fresh: bool = True) -> DemoHQ:
    """Seed (when ``fresh`` or missing) an HQ database under ``folder`` and serve it on 127.0.0.1."""
    from hq.embedded import EmbeddedHQ  # the server's imports cost ~0.3 s: only the demo pays them
    from hq.seed import seed
    from hq.service import open_hq

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hq.db"
    if fresh:
        for stale in folder.glob("hq.db*"):
            stale.unlink()
    new = not path.exists()
    db = open_hq(f"sqlite:///{path}")
    try:
        if new:
            seed(db, members=members, password=DEMO_PASSWORD)
        server = EmbeddedHQ(db).start()
    except BaseException:
        db.close()
        raise
    return DemoHQ(server.url, folder, server, db)


def reset_profiles(home: Path) -> None:
    """A fresh demo starts from empty store databases (they belong to the previous demo HQ)."""
    shutil.rmtree(home / "profiles", ignore_errors=True)

"""The benchmark store: 200,000 members and about 1.6 million member-tag rows, built once and cached.

``python -m bench.dataset`` builds it (about half a minute); every benchmark calls ``bench_store()``
which copies the cached file so runs never disturb each other.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import time
from pathlib import Path

import associate_app
from associate_app.demo.generator import StorePlan
from associate_app.demo.seed import seed_store
from associate_app.store import Store, open_store

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_MEMBERS = 200_000


# The cached file is named after the code that shapes it, so a schema or generator change rebuilds it.
_SHAPING = ["store/migrations.py", "store/hq_data.py", "lookup/name_keys.py", "demo/generator.py", "demo/seed.py"]


def _fingerprint() -> str:
    package = Path(associate_app.__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _SHAPING:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:10]


def cached_path(members: int = DEFAULT_MEMBERS) -> Path:
    return OUT / f"store-{members}-{_fingerprint()}.db"


def build(members: int = DEFAULT_MEMBERS, *, force: bool = False) -> Path:
    path = cached_path(members)
    if path.exists() and not force:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for leftover in OUT.glob(tmp.name + "*"):
        leftover.unlink()
    for outdated in OUT.glob(f"store-{members}*.db"):
        outdated.unlink()  # built by older code: its schema or data no longer match
    started = time.perf_counter()
    store = open_store(tmp)
    counts = seed_store(store, StorePlan(members=members, seed=2026))
    store.conn.execute("ANALYZE")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    tmp.rename(path)
    print(f"built {path.name}: {counts} in {time.perf_counter() - started:.1f} s")
    return path


def bench_store(members: int = DEFAULT_MEMBERS, workdir: Path | None = None) -> Store:
    """A private copy of the cached benchmark store, opened and migrated."""
    source = build(members)
    target_dir = workdir or OUT / "run"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    for stale in target_dir.glob(source.name + "*"):
        stale.unlink()
    shutil.copyfile(source, target)
    return open_store(target)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    print(build(args.members, force=args.force))

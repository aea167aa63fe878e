"""A power cut at any moment loses nothing the user was told was saved, and never splits a change
from its outbox entry: the process is killed with SIGKILL mid-work, then the store is reopened."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from associate_app.store import open_store

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 12


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_work_loses_nothing_and_never_splits_a_change_from_its_outbox_entry(demo_store, tmp_path):
    path = demo_store.path
    seeded = {r["id"] for r in demo_store.all("SELECT id FROM interactions")}
    demo_store.close()
    rng = random.Random(11)
    confirmed: list[tuple[str, str]] = []
    for round_no in range(KILLS):
        child = subprocess.Popen([sys.executable, str(WORKER), str(path), str(round_no)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.02, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        confirmed += [tuple(line.split()[1:3]) for line in out.splitlines() if line.startswith("ok ")]

        store = open_store(path)
        try:
            assert store.scalar("PRAGMA integrity_check") == "ok"
            outbox = {r["mutation_id"]: r["kind"] for r in store.all("SELECT mutation_id, kind FROM outbox")}
            interactions = {r["id"] for r in store.all("SELECT id FROM interactions")}
            for kind, ident in confirmed:
                if kind == "tag":
                    assert ident in outbox, "a tag change the user saw saved has no outbox entry"
                else:
                    assert ident in interactions, "an interaction the user saw saved is gone"
            # every queued change exists, and every change made here is queued: never one without the other
            assert store.scalar("SELECT count(*) FROM tag_history") == sum(
                1 for k in outbox.values() if k.startswith("tag."))
            logged = {r["id"] for r in store.all(
                "SELECT json_extract(payload, '$.id') AS id FROM outbox WHERE kind = 'interaction.log'")}
            assert interactions - seeded == logged
        finally:
            store.close()
    assert len(confirmed) > KILLS, "the worker should have committed work before most kills"

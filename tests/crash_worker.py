"""Child process for test_crash_safety: performs user actions until it is killed.

After each action commits it prints ``ok <kind> <id>`` (flushed), so the parent knows which actions
the user was told were saved when the power went.
"""

from __future__ import annotations

import random
import sys

from associate_app.domain.actor import Actor
from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import toggle_tag
from associate_app.domain.vocabulary import Role
from associate_app.store import open_store


def main(path: str, seed: int) -> None:
    store = open_store(path)
    actor = Actor("A001", Role.ADVISOR, "SH001")
    rng = random.Random(seed)
    members = [r["id"] for r in store.all("SELECT id FROM members WHERE advisor_id = 'A001'")]
    print("ready", flush=True)
    while True:
        member = rng.choice(members)
        if rng.random() < 0.6:
            change = toggle_tag(store, actor, member, rng.choice([101, 102, 103, 201, 202, 203]))
            print(f"ok tag {change.mutation_ids[0]}", flush=True)
        else:
            note = "回访 " * rng.randrange(1, 300)
            logged = log_interaction(store, actor, member, "call", outcome="reached", note=note)
            print(f"ok interaction {logged.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

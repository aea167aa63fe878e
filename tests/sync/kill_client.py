"""Child process for the SIGKILL sync harness: a console device that edits and syncs until it is killed.

    python -m tests.sync.kill_client STORE_PATH HQ_URL [--seed N] [--page-limit 20] [--final | --zygote]

The bearer token comes in ``KILL_CLIENT_TOKEN`` (the parent signed in once with this store's device id).
With ``--zygote`` it imports once and forks a fresh device process per ``run <seed>`` line on stdin
(reporting ``pid N`` and, once reaped, ``exit N CODE``): a kill every few hundred milliseconds would
otherwise spend most of its time importing.

One line per step on stdout, written before the step it names (the parent reads the last one to know
where a kill landed): ``ready``, ``edit``, ``push>`` and ``push<`` around the HTTP push (after ``push<``
the answer is being settled; ``answered <status>=<n> ...`` follows), ``pull>`` and ``pull<`` around each
page (after ``pull<`` it is being applied), ``page`` once a page committed, ``cycle <outcome>``.
``edited <kind> <mutation_id> [<interaction id>]`` is printed only after the edit's transaction
committed, so the parent's list of reported edits can undercount, never lie.

``--sabotage`` breaks the engine on purpose, only to prove the harness would notice (the test's own
self-check and the soak's option): a cursor committed before its page, outbox rows dropped before HQ
has them, a resend under new mutation ids.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter
from typing import Any

from associate_app.domain.actor import Actor
from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import toggle_tag
from associate_app.domain.tasks import record_outcome
from associate_app.domain.vocabulary import Role
from associate_app.errors import AssociateError
from associate_app.ids import uuid7
from associate_app.store import Store, open_store
from associate_app.sync import replica
from associate_app.sync.client import HQClient
from associate_app.sync.engine import CURSOR, HIGH_WATER, SyncEngine
from associate_app.sync.results import DOWNLOADING, SyncProgress
from associate_app.sync.retry import RetryPolicy

TOKEN_ENV = "KILL_CLIENT_TOKEN"
NOTE_PREFIX = "kill "  # every interaction this device logs has a unique note starting with it
OUTCOMES = ("reached", "not_reachable", "interested", "declined")
SABOTAGE = ("cursor-first", "drop-outbox", "new-ids")


def say(line: str) -> None:
    """One marker line, straight to the pipe (no buffer a SIGKILL could lose or delay)."""
    os.write(1, (line + "\n").encode())


class MarkedClient:
    """The real HQClient, with a marker before and after each push and pull (instrumentation only)."""

    def __init__(self, client: HQClient) -> None:
        self._client = client

    def push(self, mutations: list[dict[str, Any]]) -> Any:
        say("push>")
        answer = self._client.push(mutations)
        say("push<")
        results = answer.get("results") if isinstance(answer, dict) else None
        statuses = Counter(r.get("status") for r in results if isinstance(r, dict)) if isinstance(results, list) else {}
        say("answered " + " ".join(f"{status}={n}" for status, n in sorted(statuses.items())))
        return answer

    def pull(self, cursor: str, limit: int, *, with_remaining: bool = False) -> Any:
        say("pull>")
        page = self._client.pull(cursor, limit, with_remaining=with_remaining)
        say("pull<")
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def edit(store: Store, actor: Actor, rng: random.Random, label: str) -> None:
    """One user action through the domain functions, reported once it has committed."""
    members = [r["id"] for r in store.all("SELECT id FROM members WHERE advisor_id = ? ORDER BY id",
                                          (actor.staff_id,))]
    if not members:
        return  # the first download has not brought this advisor's members yet
    say("edit")
    roll = rng.random()
    try:
        if roll < 0.45:
            logged = log_interaction(store, actor, rng.choice(members), "call", outcome="reached",
                                     note=f"{NOTE_PREFIX}{label} " + "回访" * rng.randrange(1, 200))
            say(f"edited interaction {logged.mutation_id} {logged.id}")
        elif roll < 0.85:
            tags = [r["id"] for r in store.all(
                "SELECT t.id FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE g.kind = 'manual' "
                "AND t.retired = 0 AND g.retired = 0 AND g.roles LIKE '%advisor%' ORDER BY t.id")]
            change = toggle_tag(store, actor, rng.choice(members), rng.choice(tags))
            for mutation_id in change.mutation_ids:
                say(f"edited tag {mutation_id}")
        else:
            targets = store.all(
                "SELECT tt.task_id, tt.member_id FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                "WHERE tt.advisor_id = ? AND t.status IN ('pending', 'in_progress') ORDER BY 1, 2",
                (actor.staff_id,))
            if targets:
                target = rng.choice(targets)
                done = record_outcome(store, actor, target["task_id"], target["member_id"], rng.choice(OUTCOMES))
                say(f"edited outcome {done.mutation_id}")
    except AssociateError as exc:  # e.g. HQ closed the task meanwhile: the app would say so, nothing queued
        say(f"refused {exc.code}")


def sabotage(engine: SyncEngine, mode: str) -> None:
    """Break the engine in one known way (to prove the harness fails when the engine is wrong)."""
    store, real_push = engine.store, engine.client.push
    if mode == "cursor-first":
        def apply(page: Any, resync: bool) -> None:
            with store.write():
                store.set_state(CURSOR, page.cursor)
                store.set_state(HIGH_WATER, str(page.high_water))
            with store.write():
                replica.apply_page(store, page, track_seen=resync)
        engine._apply = apply  # type: ignore[method-assign]
    elif mode == "drop-outbox":
        def push(mutations: list[dict[str, Any]]) -> Any:
            with store.write():
                store.conn.executemany("DELETE FROM outbox WHERE mutation_id = ?",
                                       [(m["mutation_id"],) for m in mutations])
            return real_push(mutations)
        engine.client.push = push  # type: ignore[method-assign]
    elif mode == "new-ids":
        def push(mutations: list[dict[str, Any]]) -> Any:
            fresh = {uuid7(): m["mutation_id"] for m in mutations}
            answer = real_push([{**m, "mutation_id": new} for new, m in zip(fresh, mutations, strict=True)])
            for result in answer.get("results", []):
                result["mutation_id"] = fresh.get(result.get("mutation_id"), result.get("mutation_id"))
            return answer
        engine.client.push = push  # type: ignore[method-assign]


def progress(step: SyncProgress) -> None:
    if step.phase == DOWNLOADING:
        say("page")


def run(args: argparse.Namespace) -> int:
    store = open_store(args.path)
    client = HQClient(args.url, token=lambda: os.environ[TOKEN_ENV],
                      retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05), timeout=(2.0, 10.0))
    engine = SyncEngine(store, MarkedClient(client), page_limit=args.page_limit)  # type: ignore[arg-type]
    if args.sabotage:
        sabotage(engine, args.sabotage)
    actor = Actor(args.staff, Role.ADVISOR, args.store_code)
    rng = random.Random(args.seed)
    say("ready")
    if args.final:  # no new edits: finish what is queued and catch up, as a device restarted for good
        for _ in range(20):
            result = engine.run_cycle()
            if result.ok and result.pending == 0:
                say(f"final {result.summary()}")
                return 0
        say(f"final {result.summary()}")
        return 1
    made = 0
    while True:
        for _ in range(rng.randrange(1, 5)):
            made += 1
            edit(store, actor, rng, f"{args.seed}.{made}")
        result = engine.run_cycle(progress)
        say(f"cycle {result.outcome}")


def zygote(args: argparse.Namespace) -> int:
    """Import once, then fork a fresh device process per ``run <seed>`` line on stdin (until EOF).

    Nothing is opened before the fork (no store, no socket, one thread), so each child starts as cold as a
    new interpreter, only without paying the imports again; the parent kills the child, this reaps it.
    """
    say("loaded")
    for line in sys.stdin:
        if not line.startswith("run "):
            continue
        args.seed = int(line.split()[1])
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = run(args)
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("url")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--page-limit", type=int, default=20)
    parser.add_argument("--staff", default="A001")
    parser.add_argument("--store-code", default="SH001")
    parser.add_argument("--final", action="store_true", help="no edits: sync until the outbox is empty, then exit")
    parser.add_argument("--zygote", action="store_true", help="fork one device process per 'run <seed>' line")
    parser.add_argument("--sabotage", choices=SABOTAGE)
    args = parser.parse_args(argv)
    return zygote(args) if args.zygote else run(args)


if __name__ == "__main__":
    sys.exit(main())

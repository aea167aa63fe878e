"""The sync engine end to end against the reference HQ on loopback: initial sync, idle cycle, pushing the outbox.

``python -m bench.bench_sync [--members 200000] [--keep] [--json] [--profile]``. HQ runs as its own process
(``python -m hq serve``) on a private copy of bench_hq's cached store (one store, 200,000 members, ~1.6 million
member tags); the device is a second process (an empty store database, signed in as advisor A001), so its peak
memory is its own (VmHWM) and nothing of HQ's code is loaded in it.

1. Initial sync: one ``run_cycle`` downloading the whole store. Target ≤ 20 s and peak RSS ≤ 300 MB. The time
   is broken down by wrapping the engine's steps with timers in the device process (the engine is unchanged):
   HTTP (including HQ's own time), gzip inflate, orjson, validation, the SQLite write and its commit.
2. Idle cycle: ``run_cycle`` with nothing to push or pull, repeated. Target p95 ≤ 20 ms.
3. Push: 1,000 changes queued through the domain (tag toggles and logged calls across members), then one
   ``run_cycle`` that pushes them (and pulls HQ's resulting member updates). Target ≤ 2 s.
``--profile`` runs the initial sync under cProfile instead (times inflated) and prints where it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.stats import percentile

OUT = Path(__file__).resolve().parent / "out"
WORKDIR = OUT / "run-sync"
ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 200_000
SYNC_TARGET_S, MEMORY_TARGET_MB, IDLE_P95_TARGET_MS, PUSH_TARGET_S = 20.0, 300.0, 20.0, 2.0
IDLE_CYCLES, PUSHES = 200, 1000
PASSWORD = "demo-2026"  # hq.seed's DEMO_PASSWORD, not imported: the device process loads no HQ code
TOGGLED_TAGS = (*range(201, 208), *range(401, 405), *range(501, 505))  # multi-choice groups advisors may use


# The device process ------------------------------------------------------------------------------

def maxrss_mb() -> float:
    """This process's peak resident memory. Linux's ru_maxrss also counts the parent's memory at fork/exec
    (the child starts as a copy of it), which would overstate the device, so VmHWM is read where it exists."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


class Timers:
    """Seconds and calls per step, by replacing functions with timed wrappers (the engine's code is unchanged)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        original = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1

        setattr(owner, attr, timed)

    def take(self) -> dict[str, dict[str, float]]:
        """The figures so far, then start again from zero."""
        taken = {k: {"seconds": v, "calls": self.calls[k]} for k, v in self.seconds.items()}
        self.seconds.clear()
        self.calls.clear()
        return taken


def instrument() -> Timers:
    import urllib3.response

    from associate_app.sync import client, engine, overlay, replica

    timers = Timers()
    timers.wrap(client.HQClient, "pull", "pull")
    timers.wrap(client.HQClient, "push", "push")
    timers.wrap(client, "_decode", "orjson")
    timers.wrap(urllib3.response.GzipDecoder, "decompress", "gzip")
    timers.wrap(engine, "check_page", "validate")
    timers.wrap(engine.SyncEngine, "_apply", "write")
    timers.wrap(replica, "apply_page", "apply_page")
    timers.wrap(overlay, "reapply", "overlay")
    timers.wrap(engine.SyncEngine, "_push_all", "push_phase")
    timers.wrap(engine.SyncEngine, "_pull_all", "pull_phase")
    return timers


def queue_changes(store: Any, actor: Any, count: int) -> None:
    """``count`` outbox rows made the way the UI makes them: half tag toggles, half logged calls."""
    from associate_app.domain.interactions import log_interaction
    from associate_app.domain.tags import toggle_tag

    rng = random.Random(2026)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM members WHERE id > 0")]
    members = rng.sample(ids, count) if count <= len(ids) else rng.choices(ids, k=count)
    for n, member in enumerate(members):
        if n % 2:
            toggle_tag(store, actor, member, rng.choice(TOGGLED_TAGS))
        else:
            log_interaction(store, actor, member, "call", outcome="reached", note="bench: 电话回访")


def device(url: str, path: Path, result_path: Path, idle_cycles: int, pushes: int, profile: bool) -> None:
    """The measured client: initial sync, idle cycles, then a push of queued changes; figures to ``result_path``."""
    from associate_app.domain.actor import Actor
    from associate_app.domain.vocabulary import Role
    from associate_app.store import open_store
    from associate_app.sync.auth import device_id, sign_in
    from associate_app.sync.client import HQClient
    from associate_app.sync.engine import SyncEngine
    from associate_app.sync.retry import RetryPolicy

    store = open_store(path)
    client = HQClient(url, retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05), timeout=(5.0, 60.0))
    signed = sign_in(client, "SH001", "A001", PASSWORD, device_id(store))
    client.token = lambda: signed.token
    engine = SyncEngine(store, client, page_limit=1000, push_batch=250)
    timers = None if profile else instrument()
    out: dict[str, Any] = {"rss_before_mb": maxrss_mb()}

    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(engine.run_cycle)
        profiler.dump_stats(path.with_name("initial-sync.prof"))
        for order in ("cumulative", "tottime"):
            print(f"\n---- initial sync under cProfile, top 25 by {order}", flush=True)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(25)
    else:
        result = engine.run_cycle()
    out["initial"] = {"seconds": time.perf_counter() - started, "ok": result.ok, "summary": result.summary(),
                      "pages": result.pages, "documents": result.pulled, "rss_mb": maxrss_mb(),
                      "steps": timers.take() if timers else {},
                      "members": store.scalar("SELECT count(*) FROM members"),
                      "member_tags": store.scalar("SELECT count(*) FROM member_tags")}
    if profile or not result.ok:
        result_path.write_text(json.dumps(out))
        return

    samples, unexpected = [], []
    for n in range(idle_cycles + 5):  # the first five warm up
        started = time.perf_counter()
        result = engine.run_cycle()
        took = (time.perf_counter() - started) * 1000
        if not result.ok or result.pulled or result.pushed:
            unexpected.append(result.summary())
        elif n >= 5:
            samples.append(took)
    out["idle"] = {"samples_ms": samples, "unexpected": unexpected[:3]}

    actor = Actor(signed.staff["id"], Role(signed.staff["role"]), "SH001")
    started = time.perf_counter()
    queue_changes(store, actor, pushes)
    queued_s, queued = time.perf_counter() - started, store.scalar("SELECT count(*) FROM outbox")
    timers.take()
    started = time.perf_counter()
    result = engine.run_cycle()
    out["push"] = {"seconds": time.perf_counter() - started, "queue_seconds": queued_s, "queued": queued,
                   "ok": result.ok, "summary": result.summary(), "pushed": result.pushed, "pending": result.pending,
                   "applied": result.applied, "merged": result.merged, "rejected": result.rejected,
                   "pulled": result.pulled, "steps": timers.take()}
    result_path.write_text(json.dumps(out))


# The benchmark (HQ process, device process, report) ----------------------------------------------

def hq_database(members: int, keep: bool) -> str:
    """A private copy of bench_hq's cached HQ store (kept from the last run with ``keep``)."""
    from bench.bench_hq import cached_hq

    source = cached_hq(members)
    target = WORKDIR / source.name
    if not (keep and target.exists()):
        WORKDIR.mkdir(parents=True, exist_ok=True)
        for stale in [*WORKDIR.glob("hq-*.db*")]:
            stale.unlink()
        shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def run_device(url: str, args: argparse.Namespace) -> dict[str, Any]:
    store, result = WORKDIR / "device.db", WORKDIR / "device-result.json"
    for stale in [*WORKDIR.glob("device.db*"), result]:
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.bench_sync", "--device", url, "--store", str(store),
               "--result", str(result), "--idle-cycles", str(args.idle_cycles), "--pushes", str(args.pushes)]
    subprocess.run([*command, *(["--profile"] if args.profile else [])], cwd=ROOT, check=True,
                   stdout=sys.stderr if args.json else None, env={**os.environ, "PYTHONUTF8": "1"})
    return json.loads(result.read_text())


def verdict(value: float, target: float) -> str:
    return f"target ≤{target:g}  ratio={value / target:5.2f}  {'OK' if value <= target else 'MISSED'}"


def breakdown(steps: dict[str, dict[str, float]], total: float) -> list[tuple[str, float]]:
    """Busy time per step. The engine fetches the next page on a helper thread while it writes one, so
    the fetching steps overlap the writing ones: the parts add up to more than the wall time, and the
    last line (wall time minus their sum) is negative by how much was overlapped."""
    s = {k: v["seconds"] for k, v in steps.items()}
    g = lambda k: s.get(k, 0.0)  # noqa: E731
    parts = [("HTTP wait + transfer (incl. HQ's own time)", g("pull") - g("orjson") - g("gzip")),
             ("gzip inflate (urllib3)", g("gzip")), ("orjson decode", g("orjson")),
             ("validate.check_page", g("validate")), ("replica.apply_page (SQLite writes)", g("apply_page")),
             ("overlay.reapply", g("overlay")),
             ("cursor, index rebuild at the end, COMMIT", g("write") - g("apply_page") - g("overlay"))]
    return [*parts, ("overlapped (-) or other (+)", total - sum(v for _, v in parts))]


def report(data: dict[str, Any], say: Any) -> dict[str, bool]:
    ini = data["initial"]
    say(f"initial sync: {ini['summary']}")
    say(f"  replica: {ini['members']:,} members, {ini['member_tags']:,} member tags")
    met = {"initial_ok": ini["ok"], "initial_s": ini["ok"] and ini["seconds"] <= SYNC_TARGET_S,
           "memory": ini["rss_mb"] <= MEMORY_TARGET_MB}
    say(f"{'initial sync wall time':<40} {ini['seconds']:8.2f} s   {verdict(ini['seconds'], SYNC_TARGET_S)}")
    say(f"{'device peak RSS (VmHWM)':<40} {ini['rss_mb']:8.1f} MB  {verdict(ini['rss_mb'], MEMORY_TARGET_MB)}"
        f"  (before the sync: {data['rss_before_mb']:.1f} MB)")
    say(f"{'':<40} {ini['pages'] / ini['seconds']:8.1f} pages/s   {ini['documents'] / ini['seconds']:,.0f} documents/s")
    if ini["steps"]:
        say("    busy time per step (fetching runs on a helper thread while pages are written):")
        for label, seconds in breakdown(ini["steps"], ini["seconds"]):
            say(f"    {label:<44} {seconds:7.2f} s  {100 * seconds / ini['seconds']:5.1f} %")
    if "idle" in data:
        idle = data["idle"]["samples_ms"]
        p95 = percentile(idle, 95)
        met["idle"] = not data["idle"]["unexpected"] and p95 <= IDLE_P95_TARGET_MS
        say(f"{'idle cycle (nothing to do)':<40} n={len(idle)}  median={statistics.median(idle):6.2f} ms  "
            f"p95={p95:6.2f} ms  max={max(idle):6.2f} ms  {verdict(p95, IDLE_P95_TARGET_MS)}")
        for text in data["idle"]["unexpected"]:
            say(f"    an idle cycle did something: {text}")
    if "push" in data:
        push = data["push"]
        met["push"] = push["ok"] and push["pending"] == 0 and push["seconds"] <= PUSH_TARGET_S
        steps = {k: v["seconds"] for k, v in push["steps"].items()}
        say(f"push: {push['queued']} changes queued through the domain in {push['queue_seconds']:.2f} s; "
            f"{push['summary']}")
        say(f"{'cycle pushing them':<40} {push['seconds']:8.2f} s   {verdict(push['seconds'], PUSH_TARGET_S)}"
            f"  {push['pushed'] / push['seconds']:,.0f} mutations/s")
        say(f"    push phase {steps.get('push_phase', 0):.2f} s (HTTP incl. HQ applying: "
            f"{steps.get('push', 0):.2f} s),"
            f" pulling HQ's resulting updates {steps.get('pull_phase', 0):.2f} s ({push['pulled']} documents)")
    return met


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--keep", action="store_true", help="reuse the HQ database copy of the last run")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object on stdout")
    parser.add_argument("--profile", action="store_true", help="profile the initial sync (cProfile, top 25)")
    parser.add_argument("--idle-cycles", type=int, default=IDLE_CYCLES)
    parser.add_argument("--pushes", type=int, default=PUSHES)
    parser.add_argument("--device", help=argparse.SUPPRESS)  # the device process: HQ's URL
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.device:
        device(args.device, args.store, args.result, args.idle_cycles, args.pushes, args.profile)
        return True

    from bench.bench_hq import serving

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    database = hq_database(args.members, args.keep)
    with serving(["-m", "hq", "serve", "--database", database, "--host", "127.0.0.1"],
                 "bench-sync-hq-server.log") as url:
        say(f"HQ on SQLite ({args.members:,} members) at {url}; device in its own process")
        data = run_device(url, args)
    met = report(data, say)
    if args.json:
        print(json.dumps({"members": args.members, "met": met, "profiled": args.profile,
                          "targets": {"initial_s": SYNC_TARGET_S, "rss_mb": MEMORY_TARGET_MB,
                                      "idle_p95_ms": IDLE_P95_TARGET_MS, "push_s": PUSH_TARGET_S}, **data}))
    return all(met.values())


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)

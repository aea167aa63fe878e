"""The SIGKILL harness: a device process edits and syncs, and is killed at random moments, again and again.

Shared by tests/sync/test_kill_sync.py (CI) and bench/soak_sync_kill.py (the long soak). HQ runs in the
caller's process; meanwhile a churn thread keeps changing the store on HQ (CRM edits of members, tag and
outcome pushes from a manager's device, targets taken off and put back), so every cycle has pages to
pull, and now and then makes the device download everything again (a new epoch, purged tombstones).
Kill moments come from timing alone, never from hooks in the engine: a seeded random delay, or a few
random milliseconds after the worker announced a step (see _start_and_wait); its marker lines tell in
which step each kill landed. After every kill the store is reopened and checked (kill_checks.py); at the
end one clean run, in a fresh interpreter and never killed, must leave the device and HQ equal.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from associate_app.clock import utc_now_iso
from associate_app.ids import uuid7
from associate_app.store import open_store
from associate_app.sync.auth import device_id, sign_in
from associate_app.sync.client import HQClient
from hq.admin import members as hq_members
from hq.admin import tasks as hq_tasks
from hq.db import Database
from hq.maintenance import purge_tombstones, rotate_epoch
from tests.sync.kill_checks import Reported, check_after_kill, check_final
from tests.sync.kill_client import TOKEN_ENV

PASSWORD = "demo-2026"
ROOT = Path(__file__).resolve().parents[2]
AIMS = ("edit", "push>", "push<", "pull<")
RESETS = ("epoch", "purge")  # what makes the device download everything again: a restore, a tombstone purge
PHASES = {"edit": "local write", "push>": "push: request", "push<": "push: settling the answer",
          "pull>": "pull: request", "pull<": "pull: applying a page"}


@dataclass
class KillReport:
    seed: int
    kills: int = 0
    phases: Counter = field(default_factory=Counter)
    in_download: int = 0  # kills that left a first download or a re-download unfinished
    reported_edits: int = 0
    mutations: int = 0  # what the device made: its outbox sequence at the end
    answers: Counter = field(default_factory=Counter)  # HQ's answers as the device received them
    churn: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        phases = ", ".join(f"{name} {n}" for name, n in sorted(self.phases.items()))
        return (f"seed {self.seed}: {self.kills} kills in {self.seconds:.1f} s ({phases}; {self.in_download} of "
                f"them left a whole download unfinished); the device made "
                f"{self.mutations} mutations ({self.reported_edits} reported saved before a kill); answers "
                f"received {dict(self.answers)} (a duplicate: sent again after a kill or a lost answer); "
                f"HQ churn {dict(self.churn)}; {len(self.violations)} violations")


class Churn(threading.Thread):
    """HQ keeps changing the store while the device syncs (every change lands in the device's feed)."""

    def __init__(self, hq: Database, url: str, store_code: str, advisor: str, seed: int, period: float,
                 reset_every: float, resets: tuple[str, ...]) -> None:
        super().__init__(name="hq-churn", daemon=True)
        self.hq, self.store_code, self.advisor, self.period = hq, store_code, advisor, period
        self.resets = resets
        self.reset_ticks = max(1, round(reset_every / period)) if reset_every and resets else 0
        self.rng = random.Random(seed)
        self.counts: Counter = Counter()
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.client = HQClient(url)
        signed = sign_in(self.client, store_code, "M001", PASSWORD, f"kill-churn-{seed}")
        self.client.token = lambda: signed.token
        self.seq = 0
        with hq.read() as tx:
            self.members = [r[0] for r in tx.all("SELECT id FROM members WHERE store_code = ?", (store_code,))]
            self.own = [r[0] for r in tx.all("SELECT id FROM members WHERE advisor_id = ?", (advisor,))]
            self.tags = [(t, g) for t, g in tx.all("SELECT t.id, t.group_id FROM tags t JOIN tag_groups g ON "
                                                   "g.id = t.group_id WHERE g.kind = 'manual'")]
            self.targets = tx.all("SELECT t.id, tt.member_id, tt.advisor_id FROM task_targets tt JOIN tasks t ON "
                                  "t.id = tt.task_id WHERE t.store_code = ? AND t.status IN ('pending', "
                                  "'in_progress') AND tt.outcome IS NULL", (store_code,))
        self.away: list[tuple[int, int, str]] = []

    def run(self) -> None:
        tick = 0
        try:
            while not self.stopping.wait(self.period * self.rng.uniform(0.5, 1.5)):
                tick += 1
                self._edit_members()
                if tick % 3 == 0:
                    self._push()
                if tick % 20 == 0:
                    self._move_targets()
                if self.reset_ticks and tick % self.reset_ticks == 0:
                    self._force_download(tick // self.reset_ticks)
        except BaseException as exc:  # reported by stop(): a broken churn must fail the run, not hide
            self.error = exc

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
        self.client.close()
        if self.error is not None:
            raise RuntimeError(f"the HQ churn thread failed: {self.error!r}") from self.error

    def _edit_members(self) -> None:
        with self.hq.write() as tx:
            for member in self.rng.sample(self.members, 6):
                hq_members.update_member_tx(tx, member, {"points": self.rng.randrange(0, 20000)})
        self.counts["member edits"] += 6

    def _push(self) -> None:
        """A manager's device on the advisor's members: tags (conflicting with the advisor's) and outcomes."""
        now, mutations = utc_now_iso(), []
        for _ in range(self.rng.randrange(1, 4)):
            tag, group = self.rng.choice(self.tags)
            kind = self.rng.choice(("tag.apply", "tag.remove"))
            payload = {"member": self.rng.choice(self.own), "tag_id": tag, "group_id": group, "at": now}
            mutations.append((kind, payload | ({"replaces": []} if kind == "tag.apply" else {})))
        mine = [t for t in self.targets if t[2] == self.advisor]
        if mine and self.rng.random() < 0.3:
            task, member, _ = self.rng.choice(mine)
            mutations.append(("task_target.outcome", {"task_id": task, "member": member, "outcome": "reached",
                                                      "note": None, "at": now}))
        sent = []
        for kind, payload in mutations:
            self.seq += 1
            sent.append({"mutation_id": uuid7(), "device_seq": self.seq, "kind": kind, "staff_id": "M001",
                         "created_at": now, "payload": payload})
        for result in self.client.push(sent)["results"]:
            self.counts[f"manager {result['status']}"] += 1

    def _force_download(self, n: int) -> None:
        """A restore (new epoch: every cursor resets) or a tombstone purge (cursors behind it reset)."""
        if self.resets[(n - 1) % len(self.resets)] == "epoch":
            rotate_epoch(self.hq)
            self.counts["new epochs"] += 1
        else:
            purge_tombstones(self.hq)
            self.counts["tombstone purges"] += 1

    def _move_targets(self) -> None:
        """Take an open target of another advisor off its task, or put one back: tombstones in the feed."""
        if self.away and (len(self.away) > 3 or self.rng.random() < 0.5):
            task, member, advisor = self.away.pop(0)
            hq_tasks.add_targets(self.hq, task, [{"member_id": member, "advisor_id": advisor}])
            self.counts["targets back"] += 1
            return
        others = [t for t in self.targets if t[2] != self.advisor and t not in self.away]
        target = self.rng.choice(others)
        hq_tasks.remove_targets(self.hq, target[0], [target[1]])
        self.away.append(target)
        self.counts["targets off"] += 1


class Run:
    """One device process forked by the zygote: its marker lines, and events the parent waits on."""

    def __init__(self, aim: tuple[str, int] | None) -> None:
        self.lines: list[str] = []
        self.pid: int | None = None
        self.code: int | None = None
        self.aim = aim  # (marker, occurrence): ``aimed`` is set when that marker is printed
        self.ready, self.aimed, self.exited = threading.Event(), threading.Event(), threading.Event()

    def take(self, line: str) -> None:
        if line.startswith("pid "):
            self.pid = int(line.split()[1])
            return
        if line.startswith("exit "):
            self.code = int(line.split()[2])
            self.exited.set()
            self.ready.set()
            self.aimed.set()
            return
        self.lines.append(line)
        if line == "ready":
            self.ready.set()
        if self.aim and line == self.aim[0]:
            self.aim = (line, self.aim[1] - 1) if self.aim[1] > 1 else None
            if self.aim is None:
                self.aimed.set()

    def phase(self) -> str:
        """The step the process was in when it died: the last marker it printed."""
        marks = [PHASES.get(line, "between steps") for line in self.lines
                 if line.split(" ", 1)[0] in (*PHASES, "ready", "edited", "page", "cycle", "refused")]
        return marks[-1] if marks else "starting"

    def output(self) -> str:
        return "\n".join(self.lines[-40:])


def _command(path: Path, url: str, page_limit: int, extra: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "tests.sync.kill_client", str(path), url, "--page-limit", str(page_limit), *extra]


class Zygote:
    """kill_client --zygote: imports once, forks a device process per run (see kill_client.zygote)."""

    def __init__(self, path: Path, url: str, token: str, page_limit: int, extra: tuple[str, ...]) -> None:
        self.proc = subprocess.Popen(_command(path, url, page_limit, ("--zygote", *extra)), cwd=ROOT,
                                     env=_env(token), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.run: Run | None = None
        self.loaded = threading.Event()
        self.reader = threading.Thread(target=self._read, name="kill-client-reader", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            if line == "loaded":
                self.loaded.set()
            elif self.run is not None:
                self.run.take(line)
        self.loaded.set()
        if self.run is not None:
            self.run.take("exit 0 -1")  # the zygote itself is gone: nobody waits forever

    def start(self, seed: int, aim: tuple[str, int] | None = None, timeout: float = 60.0) -> Run:
        if not self.loaded.wait(timeout) or self.proc.poll() is not None:
            raise RuntimeError("the kill_client zygote did not start")
        self.run = run = Run(aim)
        self.proc.stdin.write(f"run {seed}\n".encode())
        self.proc.stdin.flush()
        if not run.ready.wait(timeout) or run.exited.is_set():
            raise RuntimeError("the device process did not start:\n" + run.output())
        return run

    def kill(self, run: Run, timeout: float = 60.0) -> int:
        """SIGKILL the run's process (unless it already ended) and wait until the zygote has reaped it."""
        if not run.exited.is_set() and run.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(run.pid, signal.SIGKILL)
        if not run.exited.wait(timeout):
            raise RuntimeError(f"device process {run.pid} was not reaped")
        return run.code if run.code is not None else -1

    def abandon(self) -> None:
        """On the way out after an error: no device process or zygote of ours is left running."""
        run = self.run
        if run is not None and run.pid is not None and not run.exited.is_set():
            with contextlib.suppress(ProcessLookupError):
                os.kill(run.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)
        self.reader.join(timeout=10)
        self.proc.stdout.close()


def _env(token: str) -> dict[str, str]:
    return {**os.environ, TOKEN_ENV: token, "PYTHONPATH": str(ROOT)}


def _tally(lines: list[str], report: KillReport, reported: Reported) -> None:
    """What the device said it saved (after the commit) and the answers it received from HQ."""
    for line in lines:
        if line.startswith("edited "):
            _, _kind, mutation_id, *interaction = line.split(" ")
            reported.mutations.add(mutation_id)
            reported.interactions.update(interaction)
        elif line.startswith("answered "):
            report.answers.update({k: int(n) for k, n in (w.split("=") for w in line.split()[1:])})


def _start_and_wait(zygote: Zygote, seed: int, rng: random.Random, max_delay: float) -> tuple[Run, str]:
    """Start a device process and return when it is time to kill it: half the time after a random delay,
    half just after it printed a chosen marker (the narrow steps: settling an answer, applying a page, a
    local write) plus a few random milliseconds: the parent's reaction, never a hook in the engine."""
    if rng.random() < 0.5:
        run = zygote.start(seed)
        delay = rng.uniform(0, max_delay)
        time.sleep(delay)
        return run, f"after {delay * 1000:.0f} ms"
    marker, nth, extra = rng.choice(AIMS), rng.randrange(1, 3), rng.uniform(0, 0.004)
    run = zygote.start(seed, (marker, nth))
    run.aimed.wait(max_delay * 4)
    time.sleep(extra)
    return run, f"{nth}. {marker!r} + {extra * 1000:.1f} ms"


def run_kills(hq: Database, url: str, workdir: Path, kills: int, seed: int, *, store_code: str = "SH001",
              advisor: str = "A001", page_limit: int = 20, max_delay: float = 0.3, churn_period: float = 0.05,
              reset_every: float = 6.0, resets: tuple[str, ...] = RESETS, sabotage: str | None = None,
              log: Callable[[str], None] = print) -> KillReport:
    """Kill the device ``kills`` times, checking after each; then a clean run and the final checks."""
    started, report = time.monotonic(), KillReport(seed)
    rng, reported = random.Random(seed), Reported()
    path = workdir / "device.db"
    store = open_store(path)
    device = device_id(store)
    store.close()
    client = HQClient(url)
    try:
        token = sign_in(client, store_code, advisor, PASSWORD, device).token
    finally:
        client.close()
    extra = ("--staff", advisor, "--store-code", store_code)
    churn = Churn(hq, url, store_code, advisor, seed, churn_period, reset_every, resets)
    zygote = Zygote(path, url, token, page_limit, extra + (("--sabotage", sabotage) if sabotage else ()))
    churn.start()
    last_seq: int | None = None
    first_done = False  # the first download finished (some kill found the device caught up since)
    try:
        for k in range(kills):
            run, moment = _start_and_wait(zygote, seed * 100_000 + k, rng, max_delay)
            code = zygote.kill(run)
            phase = run.phase()
            report.kills += 1
            report.phases[phase] += 1
            _tally(run.lines, report, reported)
            bad, last_seq, stand = check_after_kill(path, hq, device, store_code, reported, last_seq)
            first_done = first_done or stand == "caught up"
            report.in_download += stand == "re-download" or not first_done
            if code != -signal.SIGKILL:
                bad.append(f"the device process ended by itself ({code}) before the kill")
            if bad:
                report.violations += [f"kill {k + 1} ({phase}; {moment}): {v}" for v in bad]
                log(f"kill {k + 1}: {len(bad)} violations; the device's last lines:\n{run.output()}")
                break
            if (k + 1) % 50 == 0:
                log(f"{k + 1} kills, cursor at seq {last_seq}: {dict(report.phases)}")
        zygote.close()
        churn.stop()
        if not report.violations:  # a cold start, no kill: it must finish and leave HQ and device equal
            final = subprocess.run(_command(path, url, page_limit, ("--final", *extra)), cwd=ROOT, env=_env(token),
                                   capture_output=True, text=True, timeout=300)
            _tally(final.stdout.splitlines(), report, reported)
            if final.returncode != 0:
                said = [line for line in final.stdout.splitlines() if line.startswith("final ")]
                report.violations.append(f"the last, unkilled run did not finish cleanly: {said[-1:]}; it logged:\n"
                                         + "\n".join(final.stderr.splitlines()[-8:]))
            report.violations += [f"at the end: {v}" for v in check_final(path, hq, device, store_code, reported)]
    finally:
        churn.stopping.set()
        zygote.abandon()
    report.reported_edits = len(reported.mutations)
    report.churn = churn.counts
    store = open_store(path)
    report.mutations = int(store.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") or 0)
    store.close()
    report.seconds = time.monotonic() - started
    return report

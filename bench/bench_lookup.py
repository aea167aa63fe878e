"""Member lookup on the 200,000-member store: every kind of query the entry box takes.

``python -m bench.bench_lookup``. Queries are drawn from real members of the store (a fixed random
sample), half typed by an advisor (who owns 1 in 80 members) and half by a cashier (who owns none,
so own-members tiers are skipped). Target: p99 ≤ 1 ms per lookup.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.lookup.member_code import PUBLIC_KEY_STATE, generate_signing_key, issue_code
from associate_app.lookup.name_keys import name_syllables
from associate_app.lookup.search import lookup
from bench.dataset import OUT, bench_store
from bench.stats import measure, report

TARGET_MS = 1.0
QUERIES = 1500  # per kind
SAMPLE = 5000  # members the queries are drawn from


def query_sets(members: list[dict], private_pem: bytes, expires: dt.datetime) -> dict[str, list[str]]:
    """For each lookup kind, what a user would type to find one of ``members``."""
    def prefix(name: str) -> str:  # surname pinyin plus the first letter of the given name: "zhangx"
        syllables, surname = name_syllables(name)
        return "".join(syllables[:surname]) + syllables[surname][0]

    names = [m["name"] for m in members]
    return {
        "full phone": [m["phone"] for m in members],
        "last 4 digits": [m["phone_last4"] for m in members],
        "card number": [m["card_no"] for m in members],
        "member code": [issue_code(private_pem, m["id"], expires) for m in members[:QUERIES]],
        "2-char name": [n for n in names if len(n) == 2],
        "3-char name": [n for n in names if len(n) == 3],
        "single surname char": [n[0] for n in names],
        "pinyin full": ["".join(name_syllables(n)[0]) for n in names],
        "pinyin initials": ["".join(s[0] for s in name_syllables(n)[0]) for n in names],
        "pinyin prefix": [prefix(n) for n in names],
    }


def main(argv: list[str] | None = None) -> bool:
    store = bench_store(workdir=OUT / "run-lookup")  # a private copy: other benchmarks may run at once
    rng = random.Random(2026)
    ids = rng.sample([r["id"] for r in store.all("SELECT id FROM members")], SAMPLE)
    rows = store.all("SELECT id, name, phone, phone_last4, card_no FROM members WHERE id IN "
                     "(SELECT value FROM json_each(?))", (str(ids),))
    rng.shuffle(rows)
    private_pem, public_b64 = generate_signing_key()
    with store.write():
        store.set_state(PUBLIC_KEY_STATE, public_b64)
    advisors = [r["id"] for r in store.all("SELECT id FROM staff WHERE role = 'advisor' ORDER BY id")]
    actors = [Actor(a, Role.ADVISOR, "SH001") for a in rng.sample(advisors, 8)] + [
        Actor("C001", Role.CASHIER, "SH001")] * 8
    moment = clock.now()
    ok = True
    with clock.frozen(moment):
        for kind, texts in query_sets(rows, private_pem, moment + dt.timedelta(minutes=5)).items():
            work = itertools.cycle([(actors[i % len(actors)], t) for i, t in enumerate(texts[:QUERIES])])
            found = []

            def one(work=work, found=found) -> None:
                actor, text = next(work)
                found.append(bool(lookup(store, actor, text).hits))

            samples = measure(one, runs=QUERIES)
            assert all(found), f"{kind}: some queries drawn from real members found nobody"
            ok &= report(f"lookup {kind} ({len(set(texts[:QUERIES]))} distinct)", samples, target_ms=TARGET_MS)
    store.close()
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)

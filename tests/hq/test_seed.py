"""``hq-server seed``: a realistic demo chain, its accounts printed once, member codes that verify."""

from __future__ import annotations

import re
from collections import Counter

import orjson

from associate_app.lookup.member_code import verify_code
from hq.cli import main as hq_cli
from hq.service import open_hq
from hq.timeutil import now_utc


def test_seed_prints_accounts_and_member_codes_a_store_can_verify(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    assert hq_cli(["seed", "--database", url, "--members", "120"]) == 0
    out = capsys.readouterr().out
    assert out.count("demo-2026") == 1  # the password, once
    assert re.search(r"SH001\s+A001\s+advisor", out) and re.search(r"HQ\s+HQ001\s+hq_admin", out)
    codes = re.findall(r"^\s+(\d+)\s+(KWM1\.\S+)$", out, re.MULTILINE)
    assert len(codes) == 3
    db = open_hq(url)
    with db.read() as tx:  # the public key as stores receive it through the feed
        doc = tx.scalar("SELECT doc FROM sync_rows WHERE entity = 'setting' AND key = 'member_code_public_key'")
    public_key = orjson.loads(doc)["value"]
    for member_id, code in codes:
        assert verify_code(public_key, code, now_utc()) == int(member_id)
    assert hq_cli(["seed", "--database", url]) == 2  # never twice into the same database


def test_the_demo_chain_looks_like_a_mother_and_baby_chain(hq_db):
    with hq_db.read() as tx:
        stores = tx.all("SELECT code, name FROM stores ORDER BY code")
        roles = Counter(r[0] for r in tx.all("SELECT role FROM staff"))
        with_children = tx.scalar("SELECT count(DISTINCT member_id) FROM children")
        members = tx.scalar("SELECT count(*) FROM members")
        stage_slots = tx.all("SELECT mt.member_id, count(*) FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
                             " WHERE t.group_id = 1 AND mt.present = 1 GROUP BY mt.member_id")
        stage_names = {r[0] for r in tx.all("SELECT name FROM tags WHERE group_id = 1")}
        kinds = {r[0] for r in tx.all("SELECT kind FROM tasks")}
        summaries = [orjson.loads(r[0]) for r in tx.all("SELECT purchase_summary FROM members LIMIT 20")]
    assert [s[0] for s in stores] == ["SH001", "SH002"] and all(s[1] for s in stores)
    assert roles["advisor"] >= 6 and roles["cashier"] == 4 and roles["manager"] == 2 and roles["hq_admin"] == 1
    assert with_children > members * 0.8
    assert stage_slots and all(count == 1 for _, count in stage_slots)  # family stage is single-choice
    assert {"备孕", "孕期", "0-6月", "6-12月", "1-3岁", "3-6岁", "6岁+"} == stage_names
    assert {"product_launch", "birthday_care", "wake_dormant"} <= kinds
    assert all(s["orders_12m"] > 0 and s["top_categories"] for s in summaries)

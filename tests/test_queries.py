""""My members", follow-ups and push-task lists, checked against plain Python over every row of the demo store."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.domain.queries import (
    ORDER_BY,
    MemberFilter,
    count_my_members,
    follow_ups,
    members_by_ids,
    my_member_ids,
    my_members,
)
from associate_app.domain.task_lists import my_tasks, task_targets
from associate_app.domain.tasks import next_open_target
from associate_app.errors import InvalidInput, NotPermitted, UnknownTag, UnknownTask
from associate_app.lookup.name_keys import sort_key
from associate_app.store import hq_data

LEVEL_ORDER = ["regular", "silver", "gold", "black_gold"]
LIFECYCLE_ORDER = ["new", "active", "dormant", "lost"]
OPEN_OUTCOMES = (None, "not_reachable")


def months_old(birthday: str, today: dt.date) -> int:
    born = dt.date.fromisoformat(birthday)
    return (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)


def in_band(child: dict, band: str, today: dt.date) -> bool:
    if band == "pregnant":  # an expected baby: due in the future, or so lately that the birth may not be recorded
        return child["due_date"] is not None and child["birthday"] is None \
            and dt.date.fromisoformat(child["due_date"]) >= today - dt.timedelta(days=30)
    if child["birthday"] is None or dt.date.fromisoformat(child["birthday"]) > today:
        return False
    low, high = {"0-6m": (0, 6), "6-12m": (6, 12), "1-3y": (12, 36), "3-6y": (36, 72), "6y+": (72, 10**6)}[band]
    return low <= months_old(child["birthday"], today) < high


def expected_ids(store, advisor_id: str | None, *, tags=(), level=None, lifecycle=None, band=None,
                 open_task=False, follow_up_due=False) -> set[int]:
    """The filter's meaning, computed the slow obvious way over all rows."""
    today = clock.today()
    members = store.all("SELECT * FROM members")
    tag_map: dict[int, set[int]] = {}
    for r in store.all("SELECT member_id, tag_id FROM member_tags"):
        tag_map.setdefault(r["member_id"], set()).add(r["tag_id"])
    kids: dict[int, list[dict]] = {}
    for r in store.all("SELECT * FROM children"):
        kids.setdefault(r["member_id"], []).append(r)
    live = {r["id"] for r in store.all("SELECT id FROM tasks WHERE status IN ('pending', 'in_progress')")}
    with_open = {r["member_id"] for r in store.all("SELECT * FROM task_targets")
                 if r["task_id"] in live and r["outcome"] in OPEN_OUTCOMES}
    return {
        m["id"] for m in members
        if (advisor_id is None or m["advisor_id"] == advisor_id)
        and set(tags) <= tag_map.get(m["id"], set())
        and (level is None or m["level"] == level)
        and (lifecycle is None or m["lifecycle"] == lifecycle)
        and (band is None or any(in_band(c, band, today) for c in kids.get(m["id"], [])))
        and (not open_task or m["id"] in with_open)
        and (not follow_up_due or (m["next_follow_up"] is not None and m["next_follow_up"] <= today.isoformat()))
    }


def all_pages(store, actor, flt=None, page=37, **kw) -> list:
    rows, offset = [], 0
    while True:
        chunk = my_members(store, actor, flt, limit=page, offset=offset, **kw)
        rows += chunk
        if len(chunk) < page:
            return rows
        offset += page


def set_follow_ups(store, dates: dict[int, str | None]) -> None:
    with store.write():
        store.conn.executemany("UPDATE members SET next_follow_up = ? WHERE id = ?",
                               [(d, mid) for mid, d in dates.items()])


# ------------------------------------------------------------------------------------------------ scope
def test_advisor_sees_exactly_own_members_with_full_phone(demo_store, advisor):
    rows = all_pages(demo_store, advisor)
    assert {r.id for r in rows} == expected_ids(demo_store, "A001")
    assert count_my_members(demo_store, advisor) == len(rows) == 100
    phones = {r["id"]: r["phone"] for r in demo_store.all("SELECT id, phone FROM members")}
    assert all(r.phone == phones[r.id] for r in rows)


def test_manager_sees_the_whole_store(demo_store, manager):
    assert count_my_members(demo_store, manager) == 300
    assert {r.id for r in all_pages(demo_store, manager, page=100)} == expected_ids(demo_store, None)


def test_cashier_gets_no_member_lists(demo_store, cashier):
    for call in (lambda: my_members(demo_store, cashier), lambda: count_my_members(demo_store, cashier),
                 lambda: follow_ups(demo_store, cashier), lambda: my_tasks(demo_store, cashier),
                 lambda: task_targets(demo_store, cashier, 500)):
        with pytest.raises(NotPermitted):
            call()


# ---------------------------------------------------------------------------------------------- filters
FILTERS = [
    {"tags": (1202,)},
    {"tags": (1202, 201)},
    {"level": "gold"},
    {"lifecycle": "dormant"},
    {"band": "pregnant"},
    {"band": "0-6m"},
    {"band": "6-12m"},
    {"band": "1-3y"},
    {"band": "3-6y"},
    {"band": "6y+"},
    {"open_task": True},
    {"follow_up_due": True},
    {"tags": (1202,), "level": "silver", "band": "1-3y"},
    {"tags": (201,), "lifecycle": "active", "open_task": True},
    {"band": "3-6y", "follow_up_due": True},
]


def as_filter(spec: dict) -> MemberFilter:
    return MemberFilter(tag_ids=spec.get("tags", ()), level=spec.get("level"), lifecycle=spec.get("lifecycle"),
                        child_age_band=spec.get("band"), has_open_task=spec.get("open_task", False),
                        follow_up_due=spec.get("follow_up_due", False))


@pytest.mark.parametrize("spec", FILTERS, ids=lambda s: "+".join(f"{k}={v}" for k, v in s.items()))
def test_each_filter_and_combination_narrows_to_exactly_the_matching_members(demo_store, advisor, manager, spec):
    set_follow_ups(demo_store, {1_000_000 + i: (clock.today() + dt.timedelta(days=i % 7 - 3)).isoformat()
                                for i in range(0, 300, 4)})
    for actor, scope in ((advisor, "A001"), (manager, None)):
        expected = expected_ids(demo_store, scope, **spec)
        assert {r.id for r in all_pages(demo_store, actor, as_filter(spec))} == expected
        assert count_my_members(demo_store, actor, as_filter(spec)) == len(expected)
        assert 0 < len(expected) < len(expected_ids(demo_store, scope))  # the filter really narrowed something


def test_child_age_band_edges_follow_the_calendar_month(demo_store, manager):
    """A baby exactly six months old today has left the 0-6 month band; one day younger has not. A due date
    that passed weeks ago with no birth recorded is still an expected baby; one that passed years ago is not
    a pregnancy (HQ never heard of the birth) and must not draw pregnancy offers."""
    with clock.frozen(dt.datetime(2026, 8, 31, 12).astimezone()):
        with demo_store.write():
            demo_store.conn.execute("DELETE FROM children")
            demo_store.conn.executemany(
                "INSERT INTO children(id, member_id, birthday, due_date) VALUES (?, ?, ?, ?)",
                [(1, 1_000_000, "2026-02-28", None), (2, 1_000_001, "2026-03-01", None),
                 (3, 1_000_002, None, "2026-12-01"), (4, 1_000_003, "2020-08-31", None),
                 (5, 1_000_004, "2020-09-01", None), (6, 1_000_005, "2026-09-05", None),
                 (7, 1_000_006, None, "2026-08-10"), (8, 1_000_007, None, "2024-05-01")])
        bands = {band: {r.id - 1_000_000 for r in my_members(demo_store, manager, MemberFilter(child_age_band=band))}
                 for band in ("pregnant", "0-6m", "6-12m", "3-6y", "6y+")}
        pregnant = count_my_members(demo_store, manager, MemberFilter(child_age_band="pregnant"))
    assert bands == {"pregnant": {2, 6}, "0-6m": {1}, "6-12m": {0}, "3-6y": {4}, "6y+": {3}}
    assert pregnant == 2


def test_bad_filter_and_paging_values_are_refused(demo_store, advisor):
    for bad in ({"level": "diamond"}, {"lifecycle": "asleep"}, {"child_age_band": "teen"}, {"tag_ids": ("201",)}):
        with pytest.raises(InvalidInput):
            MemberFilter(**bad)
    with pytest.raises(UnknownTag):
        my_members(demo_store, advisor, MemberFilter(tag_ids=(201, 99999)))
    for kwargs in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": True}, {"order_by": "phone"},
                   {"order_by": "name; DROP TABLE members"}):
        with pytest.raises(InvalidInput):
            my_members(demo_store, advisor, **kwargs)
    assert demo_store.scalar("SELECT count(*) FROM members") == 300


# ------------------------------------------------------------------------------------ ordering and paging
def sort_value(key: str, row: dict):
    value = row[key]
    if key == "name":  # Chinese lists sort by pinyin
        return sort_key(value)
    if key == "level":
        return LEVEL_ORDER.index(value)
    if key == "lifecycle" and value is not None:
        return LIFECYCLE_ORDER.index(value)
    return value


@pytest.mark.parametrize("key", sorted(ORDER_BY))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_are_disjoint_complete_and_in_business_order(demo_store, advisor, key, descending):
    set_follow_ups(demo_store, {1_000_000 + i: f"2026-12-{i % 28 + 1:02d}" for i in range(0, 300, 2)})
    with demo_store.write():  # some unknown dates: they must sort last either way
        demo_store.conn.execute("UPDATE members SET join_date = NULL WHERE id % 7 = 0")
    members = {r["id"]: r for r in demo_store.all("SELECT * FROM members WHERE advisor_id = 'A001'")}
    pages = [my_members(demo_store, advisor, order_by=key, descending=descending, limit=30, offset=o)
             for o in range(0, 120, 30)]
    ids = [r.id for page in pages for r in page]
    assert len(ids) == len(set(ids)) == 100 and set(ids) == set(members)
    assert [len(p) for p in pages] == [30, 30, 30, 10]
    known = [i for i in ids if members[i][key] is not None]
    assert ids[: len(known)] == known  # NULLs last
    expected = sorted(known, key=lambda i: (sort_value(key, members[i]), i), reverse=descending)
    assert known == expected
    # the windowed table's way: the ordered ids once, then any page by id, gives the very same rows
    assert my_member_ids(demo_store, advisor, order_by=key, descending=descending) == ids
    assert members_by_ids(demo_store, advisor, ids[60:90]) == pages[2]


def test_rows_by_id_keep_the_readers_scope_and_masking(demo_store, advisor, manager):
    others = [r["id"] for r in demo_store.all("SELECT id FROM members WHERE advisor_id <> 'A001' LIMIT 5")]
    own = my_member_ids(demo_store, advisor)[:5]
    assert [r.id for r in members_by_ids(demo_store, advisor, [*others, *own])] == own  # not another's members
    assert [r.id for r in members_by_ids(demo_store, manager, others)] == others
    assert my_member_ids(demo_store, manager, MemberFilter(level="gold")) == [
        r["id"] for r in demo_store.all("SELECT id FROM members WHERE level = 'gold' ORDER BY name_sort, id")]


def test_names_sort_by_pinyin_syllable_by_syllable(demo_store, advisor, manager):
    names = {3_000_001: "李娜", 3_000_002: "李安娜", 3_000_003: "阿明", 3_000_004: "李娜"}  # two of 李娜: by id
    with demo_store.write():
        demo_store.conn.execute("DELETE FROM members")
        hq_data.upsert_members(demo_store, [{"id": i, "name": n, "advisor_id": "A001"} for i, n in names.items()])
    for actor in (advisor, manager):
        rows = my_members(demo_store, actor, order_by="name")
        assert [(r.name, r.id) for r in rows] == [("阿明", 3_000_003), ("李安娜", 3_000_002), ("李娜", 3_000_001),
                                                  ("李娜", 3_000_004)]
        backwards = my_members(demo_store, actor, order_by="name", descending=True)
        assert [r.id for r in backwards] == [3_000_004, 3_000_001, 3_000_002, 3_000_003]


def test_name_order_walks_an_index_instead_of_sorting(demo_store, advisor, manager):
    """The first page costs the same on a 200,000-member store: no temporary B-tree for ORDER BY."""
    statements: list[str] = []
    demo_store.conn.set_trace_callback(statements.append)
    for actor in (advisor, manager):
        my_members(demo_store, actor, order_by="name")
    demo_store.conn.set_trace_callback(None)
    listing = [s for s in statements if "FROM members m" in s]
    for sql in listing:
        plan = " | ".join(row[3] for row in demo_store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "TEMP B-TREE" not in plan, plan
        assert "members_advisor" in plan or "members_name_sort" in plan, plan


def test_rows_carry_children_ages_youngest_first(demo_store, advisor):
    today = clock.today()
    for row in my_members(demo_store, advisor, limit=100):
        kids = demo_store.all("SELECT * FROM children WHERE member_id = ?", (row.id,))
        assert len(row.children) == len(kids)
        born = [c for c in row.children if c.birthday]
        assert [c.months for c in born] == sorted(months_old(c.birthday, today) for c in born)
        assert all(c.label == f"预产期 {c.due_date}" for c in row.children if not c.birthday)


# -------------------------------------------------------------------------------------------- query plans
def test_tag_filter_never_scans_member_tags(demo_store, advisor, manager):
    statements: list[str] = []
    demo_store.conn.set_trace_callback(statements.append)
    flt = MemberFilter(tag_ids=(1202, 201), child_age_band="1-3y", has_open_task=True)
    for actor in (advisor, manager):
        my_members(demo_store, actor, flt)
        count_my_members(demo_store, actor, flt)
        count_my_members(demo_store, actor, MemberFilter(tag_ids=(201,)))
    demo_store.conn.set_trace_callback(None)
    listing = [s for s in statements if "FROM members m" in s]
    assert len(listing) == 6
    for sql in listing:
        plan = demo_store.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        detail = {row[0]: row[3] for row in plan}
        tag_steps = [(row[3], detail.get(row[1], "")) for row in plan if row[3].split()[1] in ("mt", "member_tags")]
        assert tag_steps, plan
        for step, parent in tag_steps:
            assert step.startswith("SEARCH"), plan
            if parent.startswith("CORRELATED"):  # probed once per member: must be a point look-up
                assert "member_id=?" in step and "tag_id=?" in step, plan


# ----------------------------------------------------------------------------------------------- follow-ups
def test_follow_ups_split_today_and_overdue_for_own_members(demo_store, advisor, manager):
    today = clock.today()
    dates = {1_000_000 + i: (today + dt.timedelta(days=i % 9 - 5)).isoformat() for i in range(300)}
    set_follow_ups(demo_store, dates)
    mine = {r["id"] for r in demo_store.all("SELECT id FROM members WHERE advisor_id = 'A001'")}
    result = follow_ups(demo_store, advisor)
    assert {r.member_id for r in result.today} == {m for m in mine if dates[m] == today.isoformat()}
    assert {r.member_id for r in result.overdue} == {m for m in mine if dates[m] < today.isoformat()}
    assert [r.due for r in result.overdue] == sorted(r.due for r in result.overdue)  # most overdue first
    assert all(r.days_overdue == (today - dt.date.fromisoformat(r.due)).days for r in result.overdue)
    everyone = follow_ups(demo_store, manager)
    assert len(everyone.today) + len(everyone.overdue) == sum(d <= today.isoformat() for d in dates.values())


# ------------------------------------------------------------------------------------------------ tasks
def test_my_tasks_progress_counts_only_my_targets(demo_store, advisor, manager):
    with demo_store.write():
        demo_store.conn.execute("UPDATE tasks SET due_date = '2020-01-01' WHERE id = 502")
        demo_store.conn.execute("UPDATE tasks SET status = 'done' WHERE id = 500")
    targets = demo_store.all("SELECT * FROM task_targets")
    tasks = my_tasks(demo_store, advisor)
    assert [t.id for t in tasks] == [502, 501, 503, 500]  # open first, by priority then due date; done last
    for task in tasks:
        mine = [t for t in targets if t["task_id"] == task.id and t["advisor_id"] == "A001"]
        assert task.progress.total == len(mine)
        assert task.progress.open == sum(t["outcome"] in OPEN_OUTCOMES for t in mine)
        assert task.progress.closed == len(mine) - task.progress.open
        assert task.progress.converted == sum(t["outcome"] == "converted" for t in mine)
    assert [t.overdue for t in tasks] == [True, False, False, False]
    assert "{advisor}" not in tasks[-1].script and "李娜" in tasks[-1].script
    assert {t.id: t.progress.total for t in my_tasks(demo_store, manager)} == {
        i: sum(t["task_id"] == i for t in targets) for i in (500, 501, 502, 503)}


def test_task_targets_lists_my_targets_in_hq_order(demo_store, advisor, manager):
    rows = task_targets(demo_store, advisor, 501)
    expected = demo_store.all("SELECT member_id, outcome FROM task_targets WHERE task_id = 501 AND advisor_id = 'A001' "
                              "ORDER BY sort_order")
    assert [(r.member_id, r.outcome) for r in rows] == [(e["member_id"], e["outcome"]) for e in expected]
    assert all(r.advisor_id == "A001" and r.phone and "*" not in r.phone for r in rows)
    assert len(task_targets(demo_store, manager, 501)) == demo_store.scalar(
        "SELECT count(*) FROM task_targets WHERE task_id = 501")
    with pytest.raises(UnknownTask):
        task_targets(demo_store, advisor, 999)
    with pytest.raises(InvalidInput):
        task_targets(demo_store, advisor, "501")


def test_the_unassigned_targets_an_advisor_may_work_are_in_their_list_and_progress(demo_store, advisor):
    """next_open_target leads an advisor to unassigned targets and record_outcome lets them close them:
    the target list and the progress must show the same set, or "next" jumps to a member not on the list."""
    with demo_store.write():
        hq_data.upsert_tasks(demo_store, [{"id": 900, "title": "全店任务", "status": "in_progress"}])
        hq_data.upsert_task_targets(demo_store, [
            {"task_id": 900, "member_id": 1_000_000, "advisor_id": "A001", "sort_order": 0},
            {"task_id": 900, "member_id": 1_000_001, "advisor_id": None, "sort_order": 1},
            {"task_id": 900, "member_id": 1_000_002, "advisor_id": "A002", "sort_order": 2}])
    listed = [r.member_id for r in task_targets(demo_store, advisor, 900)]
    walked = [next_open_target(demo_store, advisor, 900).member_id]
    walked.append(next_open_target(demo_store, advisor, 900, walked[-1]).member_id)
    assert listed == walked == [1_000_000, 1_000_001]
    progress = {t.id: t.progress for t in my_tasks(demo_store, advisor)}[900]
    assert (progress.total, progress.open) == (2, 2)

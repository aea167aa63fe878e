"""``hq-server admin …`` against a SQLite file, as an operator at the server runs it; devices see the results."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from associate_app.lookup.member_code import verify_code
from hq.cli import main
from hq.embedded import EmbeddedHQ
from hq.seed import seed
from hq.service import open_hq
from tests.hq.api import Api

HEADER = "card_no,phone,name,gender,birthday,level,points,store_code,advisor_id,join_date"
GOOD = ["880090000001,13912340001,新会员甲,F,1991-03-04,silver,120,SH001,A002,2026-01-05",
        "880090000002,13912340002,新会员乙,M,,regular,,SH001,,"]
BAD = "880090000003,1391234000,新会员丙,F,1990-02-30,gold,50,SH001,A002,2026-01-05"


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    db = open_hq(url)
    seed(db, members=30, stores=2)
    db.close()
    return url


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["admin", *args, "--database", url])
    out, err = capsys.readouterr()
    return code, out, err


def _pull(url: str, store: str, staff_no: str) -> dict:
    db = open_hq(url)
    try:
        with EmbeddedHQ(db) as hq:
            return Api(hq.url).login(store, staff_no).pull_all()[0]
    finally:
        db.close()


def test_a_csv_file_with_a_bom_imports_all_or_nothing(capsys, url, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes("\r\n".join([HEADER, GOOD[0], BAD, GOOD[1]]).encode("utf-8-sig"))
    code, out, err = run(capsys, url, "members", "import", str(path))
    assert code == 2 and out == ""
    assert err.splitlines()[0].startswith("hq-server: 1 row has errors, nothing was imported: line 3 (phone):")
    assert [line.split(":")[0].strip() for line in err.splitlines()[1:]] == ["line 3 (phone)", "line 3 (birthday)"]
    assert "880090000001" not in {m["card_no"] for m in _pull(url, "SH001", "A002")["member"].values()}
    path.write_bytes("\r\n".join([HEADER, *GOOD]).encode("utf-8-sig"))
    code, out, err = run(capsys, url, "members", "import", str(path))
    assert (code, err) == (0, "")
    assert "created: 2" in out and "updated: 0" in out
    members = {m["card_no"]: m for m in _pull(url, "SH001", "A002")["member"].values()}
    assert members["880090000001"]["advisor_id"] == "A002" and members["880090000002"]["advisor_id"] is None


def test_skip_bad_and_files_that_are_not_utf8(capsys, url, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes("\r\n".join([HEADER, BAD, GOOD[0]]).encode("utf-8-sig"))
    code, out, _ = run(capsys, url, "members", "import", str(path), "--skip-bad")
    assert code == 0 and "created: 1" in out
    skipped = out.split("skipped:\n")[1].splitlines()
    assert skipped[0].split() == ["line", "column", "message"]
    assert [row.split()[:2] for row in skipped[1:]] == [["2", "phone"], ["2", "birthday"]]
    path.write_bytes("\n".join([HEADER, GOOD[1]]).encode("gbk"))
    code, out, err = run(capsys, url, "members", "import", str(path))
    assert code == 2 and "not UTF-8" in err and len(err.splitlines()) == 1


def test_catalogue_tasks_and_reassigning_reach_the_store(capsys, url):
    code, out, _ = run(capsys, url, "tag-groups", "create", "--name", "到店目的", "--roles", "advisor,cashier",
                       "--choice", "single", "--json")
    group = json.loads(out)
    assert code == 0 and (group["id"], group["roles"]) == (13, ["advisor", "cashier"])
    assert run(capsys, url, "tags", "create", "13", "--name", "买奶粉")[0] == 0
    assert run(capsys, url, "tags", "retire", "101")[0] == 0
    code, out, _ = run(capsys, url, "tasks", "create", "--store", "SH001", "--title", "会员日邀约",
                       "--member", "1000001,1000002:A001", "--member", "1000004", "--due", "2099-01-31", "--json")
    task = json.loads(out)
    assert code == 0 and task["targets"] == 3
    assert run(capsys, url, "tasks", "cancel", str(task["id"]))[0] == 0
    code, out, _ = run(capsys, url, "members", "reassign", "--to", "A003", "--members", "1000000,1000003")
    assert code == 0 and "moved: 2" in out
    state = _pull(url, "SH001", "A001")
    assert state["tag_group"]["13"]["choice"] == "single" and state["tag"]["1301"]["name"] == "买奶粉"
    assert state["tag"]["101"]["retired"] is True
    assert state["task"][str(task["id"])]["status"] == "cancelled"
    assert state["task_target"][f"{task['id']}:1000002"]["advisor_id"] == "A001"
    assert {state["member"][m]["advisor_id"] for m in ("1000000", "1000003")} == {"A003"}
    code, out, _ = run(capsys, url, "tasks", "list", "--store", "SH001")
    assert code == 0 and "会员日邀约" in out and "cancelled" in out


def test_a_code_issued_on_the_command_line_verifies_at_the_till(capsys, url):
    code, out, _ = run(capsys, url, "members", "code", "1000005", "--ttl", "90", "--json")
    issued = json.loads(out)
    key = _pull(url, "SH001", "C001")["setting"]["member_code_public_key"]["value"]
    assert code == 0 and verify_code(key, issued["code"], dt.datetime.now(dt.UTC)) == 1000005


def test_staff_accounts_on_the_command_line(capsys, url):
    code, out, _ = run(capsys, url, "staff", "create", "A009", "--store", "SH001", "--name", "新导购",
                       "--role", "advisor", "--password", "welcome-2026")
    assert code == 0 and "A009" in out
    assert _pull(url, "SH001", "M001")["staff"]["A009"]["active"] is True
    assert run(capsys, url, "staff", "deactivate", "A009")[0] == 0
    assert _pull(url, "SH001", "M001")["staff"]["A009"]["active"] is False
    code, out, _ = run(capsys, url, "staff", "list", "--store", "SH001")
    assert code == 0 and out.splitlines()[0].split()[:4] == ["id", "store_code", "name", "role"]


@pytest.mark.parametrize(("args", "status", "message"), [
    (["members", "edit", "999", "--set", "level=gold"], 1, "member 999 does not exist"),
    (["members", "edit", "1000001", "--set", "level=diamond"], 2, "level"),
    (["members", "edit", "1000001", "--set", "shoe_size=38"], 2, "shoe_size"),
    (["members", "code", "1000001", "--ttl", "0"], 2, "ttl_seconds"),
    (["staff", "create", "A010", "--store", "SH001", "--name", "x", "--role", "advisor", "--password", "short"], 2,
     "password"),
    (["tasks", "create", "--store", "SH001", "--title", "x", "--member", "11000001"], 2, "not in store SH001"),
    (["tasks", "remove-targets", "500", "--member", "abc"], 2, "member_ids"),
    (["tag-groups", "update", "2", "--choice", "single"], 1, "cannot become single-choice"),
    (["corrections", "accept", "nope"], 1, "correction nope does not exist"),
    (["leads", "merge", "1000001", "--into", "1000002"], 1, "not a lead"),
])
def test_errors_print_one_line_and_exit_non_zero(capsys, url, args, status, message):
    code, out, err = run(capsys, url, *args)
    assert (code, out) == (status, "")
    assert len(err.splitlines()) == 1 and err.startswith("hq-server: ") and message in err


def test_empty_review_queues_say_so(capsys, url):
    assert run(capsys, url, "corrections", "list") == (0, "(none)\n", "")
    assert run(capsys, url, "leads", "list") == (0, "(none)\n", "")

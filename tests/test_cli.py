"""The ``associate-app`` command as a newcomer runs it."""

from __future__ import annotations

import io

import pytest

from associate_app import cli
from associate_app.demo.text_console import run
from associate_app.domain.vocabulary import Role


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSOCIATE_APP_HOME", str(tmp_path / "home"))


def test_demo_shows_tasks_follow_ups_lookups_and_an_offline_tag(tmp_path):
    out = io.StringIO()
    assert run(tmp_path / "demo.db", 60, Role.ADVISOR, out, interactive=False) == 0
    text = out.getvalue()
    assert "李娜（导购 A001）" in text
    assert "新品上市" in text and "完成" in text
    for kind in ("[phone_last4]", "[name]", "[card]", "[member_code]"):
        assert kind in text
    assert "待上传 1 条" in text


def test_demo_for_a_cashier_masks_phones(tmp_path):
    out = io.StringIO()
    run(tmp_path / "demo.db", 60, Role.CASHIER, out, interactive=False)
    lookups = [line for line in out.getvalue().splitlines() if "→ [" in line]
    assert lookups and all("****" in line for line in lookups)


def test_demo_lookup_prompt_answers_and_explains(tmp_path, monkeypatch):
    answers = iter(["12345", "zzzzzz", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    out = io.StringIO()
    run(tmp_path / "demo.db", 60, Role.ADVISOR, out, interactive=True)
    tail = out.getvalue().split("直接回车退出")[1]
    assert tail.strip(), "each query must get an answer line"
    assert "Traceback" not in tail


def test_bad_arguments_get_one_clear_line(capsys):
    assert cli.main(["--demo", "--members", "3"]) == 2
    err = capsys.readouterr().err
    assert "between 10 and 500000" in err and "Traceback" not in err

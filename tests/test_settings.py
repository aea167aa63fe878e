"""Options: typed, validated, kept in an INI file that configparser and Qt's QSettings read the same way."""

from __future__ import annotations

import configparser
import os
from dataclasses import replace
from pathlib import Path

import pytest

from associate_app import settings
from associate_app.errors import InvalidInput, StorageError
from associate_app.settings import Options, load, save, validate_hq_url


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ASSOCIATE_APP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def ca_file(tmp_path) -> Path:
    path = tmp_path / "retailer ca.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    return path


@pytest.fixture
def full(ca_file) -> Options:
    return Options(hq_url="https://hq.example.com:8443/api/", store_code="sh001", staff_no="a001",
                   device_name='@前台, "left"; till=2 \\ back', sync_interval_seconds=45, language="en",
                   auto_lock_minutes=0, ca_bundle=str(ca_file))


def test_no_file_gives_defaults_and_no_problems(home) -> None:
    assert settings.settings_file() == home / "settings.ini"
    loaded = load()
    assert loaded.options == Options() and loaded.problems == []
    assert Options().sync_interval_seconds == 300 and Options().language == "zh_CN"
    assert Options().auto_lock_minutes == 10 and not Options().is_set_up


def test_round_trip(full, home) -> None:
    assert (full.store_code, full.staff_no, full.hq_url) == ("SH001", "A001", "https://hq.example.com:8443/api")
    save(full)
    assert load() == (full, [])
    assert [p.name for p in home.iterdir()] == ["settings.ini"]  # no temp file left behind


def test_the_file_is_plain_ini_for_configparser(full) -> None:
    save(replace(full, device_name="Till 2"))
    parser = configparser.ConfigParser(interpolation=None)
    assert parser.read(settings.settings_file(), encoding="utf-8")
    assert parser.sections() == ["sync", "ui"]
    assert dict(parser["sync"]) == {"hq_url": "https://hq.example.com:8443/api", "store_code": "SH001",
                                    "staff_no": "A001", "device_name": "Till 2", "sync_interval_seconds": "45",
                                    "ca_bundle": full.ca_bundle}
    assert dict(parser["ui"]) == {"language": "en", "auto_lock_minutes": "0", "checkout_reset_seconds": "20"}


def test_qsettings_reads_what_we_write_and_we_read_what_it_writes(full) -> None:
    qtcore = pytest.importorskip("PySide6.QtCore")
    path = settings.settings_file()
    save(full)
    qs = qtcore.QSettings(str(path), qtcore.QSettings.Format.IniFormat)
    assert qs.value("sync/device_name") == full.device_name
    assert qs.value("sync/ca_bundle") == full.ca_bundle
    assert int(qs.value("ui/auto_lock_minutes")) == 0
    qs.setValue("sync/device_name", " C:\\till, 2=二 ")
    qs.setValue("ui/language", "zh_CN")
    qs.setValue("window/geometry", "800x600")
    qs.sync()
    del qs
    loaded = load()
    assert loaded.problems == []
    assert loaded.options == replace(full, device_name="C:\\till, 2=二", language="zh_CN")
    save(replace(loaded.options, sync_interval_seconds=600))  # the UI's own keys survive our save
    again = qtcore.QSettings(str(path), qtcore.QSettings.Format.IniFormat)
    assert again.value("window/geometry") == "800x600"
    assert again.value("sync/device_name") == "C:\\till, 2=二"
    assert again.value("sync/sync_interval_seconds") == "600"


BAD_VALUES = [
    ("sync", "sync_interval_seconds", "soon"),
    ("sync", "sync_interval_seconds", "29"),
    ("sync", "sync_interval_seconds", "3601"),
    ("ui", "auto_lock_minutes", "-1"),
    ("ui", "auto_lock_minutes", "241"),
    ("ui", "auto_lock_minutes", "1.5"),
    ("ui", "checkout_reset_seconds", "-1"),
    ("ui", "checkout_reset_seconds", "601"),
    ("ui", "language", "fr"),
    ("sync", "hq_url", "http://hq.example.com"),
    ("sync", "hq_url", "hq.example.com"),
    ("sync", "hq_url", "https://[::1"),
    ("sync", "store_code", "SH/001"),
    ("sync", "staff_no", "A 001"),
    ("sync", "device_name", "x" * 65),
    ("sync", "ca_bundle", "/no/such/ca.pem"),
    ("sync", "ca_bundle", "relative/ca.pem"),
    ("sync", "device_name", "C:\\till"),  # QSettings would read a mangled value
    ("sync", "device_name", "till 2, left"),  # QSettings would read a list
    ("sync", "device_name", '"till 2'),
]


@pytest.mark.parametrize(("section", "key", "raw"), BAD_VALUES)
def test_a_bad_value_falls_back_to_its_default_and_says_so(full, section, key, raw) -> None:
    save(full)
    path = settings.settings_file()
    text = path.read_text(encoding="utf-8")
    lines = [f"{key}={raw}" if line.startswith(f"{key}=") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load()
    assert getattr(loaded.options, key) == getattr(Options(), key)
    assert loaded.options == replace(full, **{key: getattr(Options(), key)})  # everything else still read
    [problem] = loaded.problems
    assert f"[{section}] {key}" in problem and repr(raw) in problem and "default" in problem


def test_boundaries_comments_and_lenient_spelling_are_accepted(home) -> None:
    home.mkdir()
    (home / "settings.ini").write_text(
        "; written by IT\n[sync]\nsync_interval_seconds = 3600 ; one hour\nstore_code = sh002\n"
        "hq_url = http://localhost:8000/\n[ui]\nlanguage = zh-cn\nauto_lock_minutes = 240\n", encoding="utf-8")
    loaded = load()
    assert loaded.problems == []
    assert loaded.options == Options(hq_url="http://localhost:8000", store_code="SH002", sync_interval_seconds=3600,
                                     language="zh_CN", auto_lock_minutes=240)
    assert Options(sync_interval_seconds=30).sync_interval_seconds == 30


def test_an_unreadable_file_gives_defaults_and_one_problem(home) -> None:
    home.mkdir()
    (home / "settings.ini").write_text("hq_url = https://hq.example.com\n", encoding="utf-8")  # no section
    loaded = load()
    assert loaded.options == Options()
    [problem] = loaded.problems
    assert "settings.ini" in problem


@pytest.mark.parametrize(("text", "expected"), [
    ("https://hq.example.com/", "https://hq.example.com"),
    (" HTTPS://HQ.Example.COM:8443/api/v1// ", "https://hq.example.com:8443/api/v1"),
    ("https://10.0.0.5", "https://10.0.0.5"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://[::1]:8000/", "http://[::1]:8000"),
    ("http://localhost", "http://localhost"),
])
def test_hq_url_accepted(text, expected) -> None:
    assert validate_hq_url(text) == expected


@pytest.mark.parametrize("text", [
    "", "hq.example.com", "http://hq.example.com", "http://10.0.0.5", "ftp://hq.example.com", "https://",
    "https://user:secret@hq.example.com", "https://hq.example.com/?store=1", "https://hq.example.com/#x",
    "https://hq example.com", "https://hq.example.com:99999", "https://hq.example.com:0", "https://hq_1.example.com",
    "https://-hq.example.com", "https://hq..example.com", "https://[::1",
])
def test_hq_url_refused(text) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_hq_url(text)
    assert refused.value.code == "invalid_input" and "HQ address" in refused.value.message


def test_options_refuse_bad_values_and_know_their_database(home) -> None:
    with pytest.raises(InvalidInput):
        Options(sync_interval_seconds=10)
    with pytest.raises(InvalidInput):
        Options(store_code="../etc")
    with pytest.raises(InvalidInput):
        Options(language="de")
    with pytest.raises(InvalidInput):
        Options().database_path  # noqa: B018
    assert Options(store_code="sh001").database_path == home / "profiles" / "SH001.db"


def test_tls_verify_is_the_ca_bundle_or_the_system(full) -> None:
    assert Options().tls_verify is True
    assert full.tls_verify == full.ca_bundle


@pytest.mark.parametrize("fault", ["fsync", "replace"])
def test_a_failed_save_leaves_the_old_file_whole_and_no_debris(full, home, monkeypatch, fault) -> None:
    save(full)
    before = settings.settings_file().read_bytes()

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(StorageError, match="No space left"):
        patch.setattr(os, fault, broken)
        save(replace(full, language="zh_CN"))
    assert settings.settings_file().read_bytes() == before
    assert [p.name for p in home.iterdir()] == ["settings.ini"]

"""Search as you type and "my members" on the 200,000-member store, measured to the pixels on screen.

``python -m bench.bench_ui_search [--runs 200]``. An offscreen window holds the real SearchBox and
MembersView over a private copy of the bench store (advisor A001 owns 2,500 members; the manager sees all
200,000). Search: what was typed before the last key is already looked up (as when typing); the clock then
runs from the last key event (a key press; for a Chinese name the input method's commit) through the
debounce, the lookup on the reader thread and the list update to the popup repainted. "no debounce" times
the same from a direct call. Members: the view built, counted, first page read and painted; then a jump
to the last row (an uncached page) painted, for a store manager also sorted by points. Target: p99 ≤ 50 ms for each.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from bench.stats import report

TARGET_MS = 50.0


def context(store, role: str, staff_id: str):
    """An AppContext over ``store``, offline (a closed loopback port), without a keyring."""
    from keyring.backends import null

    from associate_app.credentials import CredentialStore
    from associate_app.domain.actor import Actor
    from associate_app.domain.vocabulary import Role
    from associate_app.session import Session
    from associate_app.settings import Options
    from associate_app.sync.client import HQClient
    from associate_app.ui.context import AppContext

    options = Options(hq_url="http://127.0.0.1:9", store_code="SH001", staff_no=staff_id)
    session = Session(options, store, Actor(staff_id, Role(role), "SH001"), staff_id,
                      HQClient(options.hq_url, lambda: None), CredentialStore(backend=null.Keyring()))
    return AppContext(session)


def queries(store, rng: random.Random, runs: int) -> dict[str, list[str]]:
    from associate_app.lookup.name_keys import name_syllables

    rows = store.all("SELECT name, phone, phone_last4 FROM members WHERE id IN "
                     "(SELECT id FROM members ORDER BY random() LIMIT ?)", (runs * 3,))
    rng.shuffle(rows)
    two = [r["name"] for r in rows if len(r["name"]) == 2]
    return {"last 4 digits": [r["phone_last4"] for r in rows][:runs], "2-char name (IME)": two[:runs],
            "pinyin (full)": ["".join(name_syllables(r["name"])[0]) for r in rows][:runs],
            "full phone": [r["phone"] for r in rows][:runs]}


def bench_search(app, ctx, texts: dict[str, list[str]], label: str) -> bool:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from associate_app.ui.search_box import SearchBox

    host = QWidget()
    box = SearchBox(ctx)
    layout = QVBoxLayout(host)
    layout.addWidget(box)
    layout.addStretch(1)
    host.resize(1366, 768)
    host.show()
    app.processEvents()
    loop = QEventLoop()
    done: list[float] = []

    def painted() -> None:  # the answer came back from the reader thread and the list is filled
        box.popup.repaint()
        done.append(time.perf_counter())
        loop.quit()

    box.answered.connect(painted)
    ok = True
    for kind, items in texts.items():
        typed, direct = [], []
        for text in items:
            head, last = text[:-1], text[-1]
            if kind.endswith("(IME)"):
                head, last = "", text
            if head:
                box.search_for(head)
                loop.exec()
            else:
                box.edit.clear()
            app.processEvents()
            started = time.perf_counter()
            if kind.endswith("(IME)"):
                commit = QInputMethodEvent("", [])
                commit.setCommitString(last)
                app.sendEvent(box.edit, commit)
            else:
                QTest.keyClick(box.edit, last)
            loop.exec()
            typed.append((done[-1] - started) * 1000)
            assert box.results.count() or box.message.text(), f"nothing shown for {text!r}"
            started = time.perf_counter()
            box.search_for(text)
            loop.exec()
            direct.append((done[-1] - started) * 1000)
        ok &= report(f"{label} {kind}: key → list painted", typed, target_ms=TARGET_MS)
        report(f"{label} {kind}: same, no debounce", direct)
    host.close()
    return ok


def wait_ready(app, model) -> None:
    """Turn the event loop until the model's id list has come back from the reader thread."""
    while not model.ready:
        app.processEvents()
        time.sleep(0.0005)


def bench_members(app, ctx, label: str, runs: int, order_by: str = "name") -> bool:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from associate_app.ui.members_view import MembersView

    host = QWidget()
    layout = QVBoxLayout(host)
    host.resize(1366, 768)
    host.show()
    app.processEvents()
    opened, reachable, bottom, middle = [], [], [], []
    rng = random.Random(7)
    for run in range(runs + 1):  # the first run warms Qt's caches (fonts, styles) and is not counted
        started = time.perf_counter()
        view = MembersView(ctx)
        layout.addWidget(view)
        view.show()  # counts and reads the first page
        if order_by != "name":
            view.model.set_query(view.current_filter(), order_by, True)
        layout.activate()
        view.repaint()
        if run:
            opened.append((time.perf_counter() - started) * 1000)
        wait_ready(app, view.model)
        if run:
            reachable.append((time.perf_counter() - started) * 1000)
        rows = view.model.rowCount()
        for _ in range(5):
            for samples, row in ((bottom, rows - 1 - rng.randrange(50)), (middle, rng.randrange(rows))):
                view.model.refresh()  # nothing cached: the jump reads its pages
                wait_ready(app, view.model)
                started = time.perf_counter()
                view.table.scrollTo(view.model.index(row, 0))
                view.table.viewport().repaint()
                if run:
                    samples.append((time.perf_counter() - started) * 1000)
        layout.removeWidget(view)
        view.hide()
        view.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # processEvents() alone leaves it alive
    ok = report(f"{label} ({rows:,} rows, by {order_by}): open, first page painted", opened, target_ms=TARGET_MS)
    report(f"{label}: open → every row's id known (reader thread; the window stays live)", reachable)
    ok &= report(f"{label}: jump to the last row, painted", bottom, target_ms=TARGET_MS)
    ok &= report(f"{label}: jump to a random row, painted", middle, target_ms=TARGET_MS)
    host.close()
    return ok


def offscreen_app(workdir: str):
    """The QApplication as the console sets it up (zh_CN, its style) and a private copy of the bench store
    (other benchmarks may run at once)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from associate_app.ui import i18n
    from associate_app.ui.style import STYLE
    from bench.dataset import OUT, bench_store

    app = QApplication.instance() or QApplication([])
    i18n.install(app, "zh_CN")
    app.setStyleSheet(STYLE)
    return app, bench_store(workdir=OUT / workdir)


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="queries per kind (members view: a tenth)")
    args = parser.parse_args(argv or [])
    app, store = offscreen_app("run-ui-search")
    texts = queries(store, random.Random(2026), args.runs)
    ok = True
    contexts = [context(store, role, staff) for role, staff in
                (("advisor", "A001"), ("cashier", "C001"), ("manager", "M001"))]
    advisor, cashier, manager = contexts
    ok &= bench_search(app, advisor, texts, "search, advisor")
    ok &= bench_search(app, cashier, texts, "search, cashier")
    members_runs = max(5, args.runs // 10)
    ok &= bench_members(app, advisor, "my members, advisor", members_runs)
    ok &= bench_members(app, manager, "my members, manager", members_runs)
    ok &= bench_members(app, manager, "my members, manager", members_runs, order_by="points")
    for ctx in contexts:
        ctx.close()
    store.close()
    return ok


if __name__ == "__main__":
    import sys

    sys.exit(0 if main(sys.argv[1:]) else 1)

"""Checkout at the till on the 200,000-member store: the scan's Enter to the member shown, a tag key to saved.

``python -m bench.bench_checkout [--runs 200]``. An offscreen CheckoutView, signed in as cashier C001 over a
private copy of the bench store. Each run scans a random member's card (or types a phone's last 4 digits, or
the full number): the clock runs from the Enter key event through the lookup on the reader thread and the
member's quick tags to the view repainted. Then one tag key: from the key event through the write on the
writer thread (its own connection, synchronous=FULL, the outbox row) and the answer back on the UI thread
to the buttons repainted.
Target: ≤ 30 ms each (median and p95 are printed; the target is checked on p95).

The last two lines: the same tag key in the whole window, where the app-wide scanner listener holds a lone
printable key to tell it from the start of a scan: 35 ms before it has seen a scan, then the gap it learned
from real bursts sent through it (15 ms at least; the target is checked on that one).
"""

from __future__ import annotations

import argparse
import random
import time

from bench.stats import report

TARGET_MS = 30.0


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="scans (and tag keys) per kind")
    args = parser.parse_args(argv or [])
    from bench.bench_ui_search import context, offscreen_app

    app, store = offscreen_app("run-checkout")
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from associate_app.ui.checkout_parts import TAG_KEYS
    from associate_app.ui.checkout_view import MEMBER, CheckoutView
    from associate_app.ui.scanner import ScannerListener
    ctx = context(store, "cashier", "C001")
    view = CheckoutView(ctx)
    view.set_reset_seconds(0)
    view.resize(600, 720)
    view.show()
    app.processEvents()
    rng = random.Random(2026)
    rows = store.all("SELECT card_no, phone, phone_last4 FROM members WHERE id IN "
                     "(SELECT id FROM members ORDER BY random() LIMIT ?)", (args.runs * 3,))
    rng.shuffle(rows)
    loop = QEventLoop()
    view.saved.connect(lambda _change: loop.quit())
    keys = [key for key, _name in TAG_KEYS]

    def answered() -> None:
        """The lookup runs on the reader thread: turn the event loop until its answer is on screen."""
        while view.looking_up:
            app.processEvents()
            time.sleep(0.0002)

    def scan(text: str) -> float:
        view.clear()
        view.input.setText(text)  # the scanner's characters; the clock starts at its Enter
        started = time.perf_counter()
        QTest.keyClick(view.input, Qt.Key.Key_Return)
        answered()
        view.repaint()
        return (time.perf_counter() - started) * 1000

    def tag(key) -> float:
        started = time.perf_counter()
        QTest.keyClick(view.input, key)
        loop.exec()
        view.card.repaint()
        return (time.perf_counter() - started) * 1000

    for row in rows[:20]:  # warm Qt's caches (fonts, styles) and SQLite's pages: not counted
        scan(row["card_no"])
        tag(keys[rng.randrange(9)])
    ok = True
    for kind, column in (("card scanned", "card_no"), ("last 4 digits", "phone_last4"), ("full phone", "phone")):
        shown, saved = [], []
        for row in rows[:args.runs]:
            shown.append(scan(row[column]))
            if view.state == MEMBER:
                saved.append(tag(keys[rng.randrange(min(len(view.card.keys), 9))]))
        ok &= report(f"{kind}: Enter → member shown", shown, target_ms=TARGET_MS, pct=95)
        if saved:
            ok &= report(f"{kind}: tag key → saved, shown", saved, target_ms=TARGET_MS, pct=95)

    listener = ScannerListener()
    listener.scanned.connect(view.take_scan)  # as the main window routes a scan to the checkout view
    app.installEventFilter(listener)
    typed, learned = [], []
    for row in rows[:10]:  # no scan seen yet (a number typed by hand): a lone key is held the full 35 ms
        scan(row["card_no"])
        typed.append(tag(keys[rng.randrange(9)]))
    for row in rows[10:max(30, args.runs // 5)]:
        view.clear()
        QTest.keyClicks(view.input, row["card_no"])  # a real burst through the listener, USB-scanner fast
        QTest.keyClick(view.input, Qt.Key.Key_Return)
        answered()
        if view.state == MEMBER:
            learned.append(tag(keys[rng.randrange(min(len(view.card.keys), 9))]))
    app.removeEventFilter(listener)
    report("whole window, before any scan (hold 35 ms): tag key → saved", typed)
    report(f"whole window, after scans (hold learned: {listener.max_gap * 1000:.0f} ms): tag key → saved", learned,
           target_ms=TARGET_MS, pct=95)
    view.close()
    ctx.close()
    store.close()
    return ok


if __name__ == "__main__":
    import sys

    sys.exit(0 if main(sys.argv[1:]) else 1)

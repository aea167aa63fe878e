#!/usr/bin/env python3
"""Smoke test of the PyInstaller bundle (``python3 dev.py build``): does the folder that ships really run?

    python3 scripts/smoke_bundle.py [--bundle dist/associate-app] [--keep DIR]

Runs the bundle's own executable, offscreen, from an empty folder with a fresh HOME and ASSOCIATE_APP_HOME and no
Python variables, so nothing from this checkout or its .venv can stand in for what the bundle lacks:

1. ``associate-app --version`` (the frozen interpreter starting: the bare start time);
2. ``associate-app --demo --screenshot FILE``: the embedded reference HQ seeds a demo chain, the demo advisor signs
   in and syncs, and the console renders "my members" to a PNG;
3. ``associate-app --demo --role manager --view dashboard --screenshot FILE``: the manager's dashboard (QtCharts);
4. where Xvfb is installed (CI installs it), step 2 again in a real X11 window through the bundle's xcb plugin, the
   one a Linux counter PC uses (``--require-xcb`` makes a missing Xvfb a failure).

Each PNG must be a real image of the console: PNG signature, at least 1024×600, decodable, and not blank (many
distinct colours, no single colour covering almost all of it). Prints the bundle's size and the start times; exits
non-zero on any failure. Standard library only, so CI runs it with the system's python3.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # seconds for one run: a 2,000-member demo store takes ~10 s on a busy 2-core machine


def bundle_size(folder: Path) -> tuple[int, int]:
    """Bytes and files of the folder, symlinks counted as links (as a copy to a counter PC would store them)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or path.is_file():
            total += path.lstat().st_size
            files += 1
    return total, files


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the pixel rows (8-bit RGB or RGBA, unfiltered) of a non-interlaced PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG (bad signature)")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        raise ValueError("no IHDR or IDAT chunk")
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        elif kind != 0:
            raise ValueError(f"bad PNG filter type {kind} in row {y}")
        previous = bytes(line)
        rows.append(previous if bpp == 3 else bytes(b for i, b in enumerate(previous) if i % 4 != 3))
    return width, height, rows


def check_png(path: Path) -> str:
    """A one-line description of the image, or ValueError saying why it is not a picture of the console."""
    if not path.is_file():
        raise ValueError(f"{path.name} was not written")
    width, height, rows = read_png(path)
    if width < 1024 or height < 600:
        raise ValueError(f"{width}×{height} is too small for the console's window")
    colours: collections.Counter[bytes] = collections.Counter()
    for row in rows:
        colours.update(row[i:i + 3] for i in range(0, len(row), 3))
    top = colours.most_common(1)[0][1] / (width * height)
    if len(colours) < 32 or top > 0.95:
        raise ValueError(f"looks blank: {len(colours)} colours, the commonest covers {top:.0%}")
    return f"{width}×{height}, {path.stat().st_size // 1024} KiB, {len(colours)} colours (commonest {top:.0%})"


def start_xvfb(work: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    """A private X server (display number chosen by Xvfb itself); None if it does not come up."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
                               "-auth", "/dev/null"], pass_fds=(write,), cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()  # Xvfb writes the display number once it accepts connections
    if not number.isdigit():
        server.terminate()
        server.wait(timeout=10)
        print("smoke: Xvfb did not start: the xcb platform plugin is not tried", flush=True)
        return None
    return server, f":{number}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "associate-app")
    parser.add_argument("--keep", type=Path, help="copy the screenshots and the logs here")
    parser.add_argument("--require-xcb", action="store_true", help="fail when Xvfb is missing (no xcb check)")
    args = parser.parse_args()
    exe = args.bundle / ("associate-app.exe" if os.name == "nt" else "associate-app")
    if not exe.is_file():
        print(f"smoke: no bundle at {exe}: build it with `python3 dev.py build`", file=sys.stderr)
        return 1
    size, files = bundle_size(args.bundle)
    print(f"smoke: bundle {args.bundle.relative_to(ROOT) if args.bundle.is_relative_to(ROOT) else args.bundle}: "
          f"{size / 1_000_000:.0f} MB in {files} files", flush=True)

    failures = []
    with tempfile.TemporaryDirectory(prefix="associate-smoke-") as scratch:
        work = Path(scratch)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "QT_", "ASSOCIATE_")) and k not in ("VIRTUAL_ENV", "DISPLAY",
                                                                                 "WAYLAND_DISPLAY")}
        env.update(HOME=str(work / "home"), ASSOCIATE_APP_HOME=str(work / "data"), QT_QPA_PLATFORM="offscreen",
                   XDG_RUNTIME_DIR=str(work / "run"), XDG_DATA_HOME=str(work / "home" / ".local" / "share"),
                   XDG_CONFIG_HOME=str(work / "home" / ".config"), XDG_CACHE_HOME=str(work / "home" / ".cache"))
        for folder in ("home", "run"):
            (work / folder).mkdir(mode=0o700)

        def launch(name: str, *arguments: str, display: str | None = None
                   ) -> tuple[float, subprocess.CompletedProcess[str] | None]:
            started = time.monotonic()
            run_env = {**env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"} if display else env
            try:
                done = subprocess.run([str(exe), *arguments], cwd=work, env=run_env, stdin=subprocess.DEVNULL,
                                      capture_output=True, text=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                failures.append(f"{name}: no exit within {TIMEOUT} s")
                return time.monotonic() - started, None
            seconds = time.monotonic() - started
            if done.returncode != 0:
                failures.append(f"{name}: exit {done.returncode}\n{done.stdout}{done.stderr}".rstrip())
            return seconds, done

        seconds, done = launch("--version", "--version")
        if done is not None:
            print(f"smoke: `associate-app --version` -> {done.stdout.strip()!r} in {seconds:.2f} s", flush=True)

        runs = [("advisor, my members", "members.png", (), None),
                ("manager, dashboard (QtCharts)", "dashboard.png", ("--role", "manager", "--view", "dashboard"), None)]
        xvfb = start_xvfb(work) if shutil.which("Xvfb") else None
        if xvfb is not None:
            runs.append(("advisor, in an X11 window (xcb)", "members-xcb.png", (), xvfb[1]))
        elif args.require_xcb:
            failures.append("xcb: Xvfb is not installed (apt-get install xvfb), so the xcb plugin was not tried")
        else:
            print("smoke: Xvfb not installed: the xcb platform plugin is not tried", flush=True)
        for name, file, extra, display in runs:
            target = work / file
            seconds, done = launch(name, "--demo", *extra, "--screenshot", str(target), display=display)
            if done is None or done.returncode != 0:
                continue
            try:
                described = check_png(target)
            except ValueError as exc:
                failures.append(f"{name}: {exc}")
                continue
            print(f"smoke: start to screenshot ({name}, demo HQ seeded and synced): {seconds:.1f} s -> {described}",
                  flush=True)

        if xvfb is not None:
            xvfb[0].terminate()
            xvfb[0].wait(timeout=10)
        log = work / "data" / "logs" / "associate-app.log"
        errors = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                  if " ERROR " in line or " CRITICAL " in line] if log.exists() else []
        for line in errors:
            print(f"smoke: logged: {line}", flush=True)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in [*work.glob("*.png"), *(work / "data" / "logs").glob("*.log*")]:
                shutil.copy2(path, args.keep / path.name)

    for failure in failures:
        print(f"smoke: FAILED {failure}", file=sys.stderr)
    checks = len(runs) + 1
    print(f"smoke test {'failed' if failures else 'passed'}: {checks - len(failures)} of {checks} checks good",
          flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

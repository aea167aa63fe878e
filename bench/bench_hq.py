"""The reference HQ on loopback (SQLite): pull pages served per second, and the idle sync under load.

``python -m bench.bench_hq [--devices 200] [--interval 1.0] [--seconds 15] [--postgres URL]``. HQ runs as its own
process (``python -m hq serve``), as in a deployment, on a private copy of a cached HQ database with
one store of 200,000 members (built once by ``hq.seed``; rebuilt when the code that shapes it changes).

1. Pull throughput: one device downloads its whole store, 1,000 members a page, as fast as HQ serves
   it; with gzip and without. The client reads only the page envelope (cursor, has_more), so the
   figure is HQ's. Target ≥ 150 pages/s. A server answering one pre-encoded page through the same
   middleware (no database, no auth) gives the raw ceiling for comparison.
2. Idle sync: 200 devices (threads, one keep-alive session each) poll "anything new?" with a cursor
   that is up to date, each about once per ``--interval`` seconds. Target p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import requests
from fastapi import Request  # module level: FastAPI resolves the raw server's annotations from here

import associate_app
import hq
from bench.stats import percentile, report
from hq.protocol import PROTOCOL_MAX, VERSION_HEADER
from hq.seed import DEMO_PASSWORD

OUT = Path(__file__).resolve().parent / "out"
MEMBERS = 200_000
PAGE = 1000
PAGES_TARGET = 150.0
IDLE_P95_TARGET_MS = 50.0
ACCOUNTS = [f"A{n:03d}" for n in range(1, 11)]  # sign-in is argon2 (slow on purpose): devices share tokens
_ENVELOPE = re.compile(rb'^\{"protocol":\d+,"cursor":"([^"]+)","has_more":(true|false)')
# The cached database is named after the code that shapes it, so a schema, feed or seed change rebuilds it.
_SHAPING = [Path(hq.__file__).parent / n for n in ("schema.py", "render.py", "feed.py", "seed.py", "service.py",
                                                     "db.py")]
_SHAPING += [Path(associate_app.__file__).parent / "demo" / n for n in ("generator.py", "catalogue.py", "seed.py")]


def _shaping_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in _SHAPING)).hexdigest()[:10]


def cached_hq(members: int = MEMBERS) -> Path:
    path = OUT / f"hq-{members}-{_shaping_digest()}.db"
    if path.exists():
        return path
    from hq.seed import seed
    from hq.service import open_hq

    OUT.mkdir(parents=True, exist_ok=True)
    for outdated in [*OUT.glob(f"hq-{members}-*.db*"), *OUT.glob(f"{path.name}.building*")]:
        outdated.unlink()
    started = time.perf_counter()
    tmp = path.with_name(path.name + ".building")
    db = open_hq(f"sqlite:///{tmp}")
    seed(db, members=members, stores=1)
    with db.write() as tx:
        tx.execute("ANALYZE")
    db.close()  # the last connection to close checkpoints the WAL into the file
    tmp.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(args: list[str], log_name: str) -> Iterator[str]:
    """A server process started with ``python <args> --port N``; yields its base URL once it answers."""
    port = _free_port()
    log = (OUT / log_name).open("w")
    proc = subprocess.Popen([sys.executable, *args, "--port", str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/v1/hello", timeout=1)
                break
            except requests.ConnectionError:
                if proc.poll() is not None:
                    raise RuntimeError(f"the server exited; see {log.name}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def hq_process(database_url: str) -> contextlib.AbstractContextManager[str]:
    """HQ serving ``database_url`` in its own process, as ``hq-server serve`` runs it."""
    return serving(["-m", "hq", "serve", "--database", database_url, "--host", "127.0.0.1"], "bench-hq-server.log")


def cached_postgres(server_url: str, members: int) -> str:
    """The same store in a PostgreSQL schema named after the shaping code (seeded once, ~1 min for 200,000)."""
    import psycopg

    from hq.seed import seed
    from hq.service import open_hq

    schema = f"bench_hq_{members}_{_shaping_digest()}"
    url = f"{server_url}{'&' if '?' in server_url else '?'}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        ready = conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s"
                             " AND table_name = 'bench_ready'", (schema,)).fetchone()
        if ready:
            return url
        for (outdated,) in conn.execute("SELECT schema_name FROM information_schema.schemata"
                                        " WHERE schema_name LIKE %s", (f"bench_hq_{members}_%",)).fetchall():
            conn.execute(f"DROP SCHEMA {outdated} CASCADE")  # built by older code: never read again
        conn.execute(f"CREATE SCHEMA {schema}")
    started = time.perf_counter()
    db = open_hq(url)
    seed(db, members=members, stores=1)
    db.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
        conn.execute("CREATE TABLE bench_ready (done integer)")
    print(f"seeded PostgreSQL schema {schema} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def serve_raw(body_file: Path, port: int) -> None:
    """The raw ceiling: HQ's app and middleware, but /v1/pull answers one pre-encoded page, no DB, no auth."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import Response
    from starlette.middleware.gzip import GZipMiddleware

    from hq.app import GZIP_LEVEL, compressed_json
    from hq.limits import BodySizeLimit

    body = body_file.read_bytes()
    app = FastAPI()
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=GZIP_LEVEL)
    app.add_middleware(BodySizeLimit)
    app.add_api_route("/v1/hello", lambda: Response(b"{}", media_type="application/json"))
    def pull(request: Request) -> Response:
        return compressed_json(body, request)  # the same compression as HQ's /v1/pull

    app.add_api_route("/v1/pull", pull)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def sign_in(url: str, staff_no: str) -> str:
    r = requests.post(f"{url}/v1/auth/login", json={"store_code": "SH001", "staff_no": staff_no,
                                                     "password": DEMO_PASSWORD, "device_id": f"bench-{staff_no}"})
    r.raise_for_status()
    return r.json()["token"]


class Puller:
    """A keep-alive connection that downloads pages and reads only their envelope."""

    def __init__(self, url: str, token: str, gzip: bool) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", VERSION_HEADER: str(PROTOCOL_MAX),
                        "Accept-Encoding": "gzip" if gzip else "identity"}
        self.wire_bytes = 0

    def get(self, path: str) -> bytes:
        """The first bytes of the answer (decompressed if need be); the rest is read and not parsed."""
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
        self.wire_bytes += len(body)
        if response.getheader("Content-Encoding") == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, 512)
        return body[:512]

    def page(self, cursor: str) -> tuple[str, bool]:
        head = self.get(f"/v1/pull?limit={PAGE}&cursor={cursor}")
        match = _ENVELOPE.match(head)
        if match is None:
            raise RuntimeError(f"not a pull page: {head[:120]!r}")
        return match.group(1).decode(), match.group(2) == b"true"


def download(url: str, token: str, gzip: bool, pages: int | None = None) -> tuple[float, int, int, str]:
    """Pull to the end (or ``pages`` pages); returns (pages per second, pages, bytes on the wire, last cursor)."""
    puller = Puller(url, token, gzip)
    cursor, more, count = "", True, 0
    started = time.perf_counter()
    while more if pages is None else count < pages:
        cursor, more = puller.page(cursor)
        count += 1
    return count / (time.perf_counter() - started), count, puller.wire_bytes, cursor


def bench_pages(url: str, token: str, label: str, pages: int | None = None, target: bool = True) -> tuple[bool, str]:
    """Pages per second downloading the store, without and with gzip; True when both meet the target."""
    ok, cursor = True, ""
    for gzip in (False, True):
        download(url, token, gzip, min(pages or 50, 50))  # warm the page cache and the server's code paths
        rate, count, wire, cursor = download(url, token, gzip, pages)
        line = (f"{label + (', gzip' if gzip else ', identity'):<34} {count} pages of {PAGE} "
                f"({wire / count / 1024:6.1f} KiB each on the wire)  {rate:6.1f} pages/s")
        if target:
            met = rate >= PAGES_TARGET
            ok &= met
            line += f"  target ≥{PAGES_TARGET:g}  ratio={rate / PAGES_TARGET:5.2f}  {'OK' if met else 'MISSED'}"
        print(line, flush=True)
    return ok, cursor


def bench_raw(url: str, token: str, workdir: Path, pages: int) -> None:
    """The same page bytes from a server that does nothing else: what HTTP and the middleware cost alone."""
    r = requests.get(f"{url}/v1/pull", params={"limit": PAGE}, timeout=60, headers={
        "Authorization": f"Bearer {token}", VERSION_HEADER: str(PROTOCOL_MAX), "Accept-Encoding": "identity"})
    body = workdir / "page.json"
    body.write_bytes(r.content)
    with serving(["-m", "bench.bench_hq", "--serve-raw", str(body)], "bench-hq-raw.log") as raw_url:
        bench_pages(raw_url, token, "raw ceiling (pre-encoded page)", pages, target=False)


def bench_idle(url: str, tokens: list[str], cursor: str, devices: int, interval: float, seconds: float) -> bool:
    """Devices poll with an up-to-date cursor; every answer must be "nothing new"."""
    samples: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    measuring = threading.Event()
    lock = threading.Lock()

    def device(n: int) -> None:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {tokens[n % len(tokens)]}",
                                VERSION_HEADER: str(PROTOCOL_MAX)})
        rng = random.Random(n)
        stop.wait(rng.uniform(0, interval))  # devices do not all start at once
        while not stop.is_set():
            started = time.perf_counter()
            r = session.get(f"{url}/v1/pull", params={"cursor": cursor}, timeout=30)
            took = (time.perf_counter() - started) * 1000
            if r.status_code != 200 or r.json()["count"] != 0:
                with lock:
                    errors.append(f"{r.status_code} {r.text[:100]}")
            elif measuring.is_set():
                with lock:
                    samples.append(took)
            stop.wait(max(0.0, rng.uniform(0.5, 1.5) * interval - took / 1000))

    threads = [threading.Thread(target=device, args=(n,), daemon=True) for n in range(devices)]
    for t in threads:
        t.start()
    time.sleep(min(5.0, interval * 3))  # warm-up: every device has polled a few times
    measuring.set()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=35)
    if errors:
        print(f"idle sync: {len(errors)} unexpected answers, e.g. {errors[0]}")
        return False
    label = f"idle sync, {devices} devices every ~{interval:g} s"
    ok = report(label, samples, target_ms=IDLE_P95_TARGET_MS, pct=95)
    print(f"{'':<44} {len(samples) / seconds:.0f} polls/s served; p50={percentile(samples, 50):.1f} ms")
    return ok


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between one device's polls")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long the idle-sync load is measured")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw-bytes ceiling")
    parser.add_argument("--postgres", metavar="URL", help="measure HQ on this PostgreSQL server instead of SQLite")
    parser.add_argument("--serve-raw", type=Path, help=argparse.SUPPRESS)  # the ceiling's server process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.serve_raw:
        serve_raw(args.serve_raw, args.port)
        return True
    workdir = OUT / "run-hq"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    if args.postgres:
        database_url = cached_postgres(args.postgres, args.members)
        print("HQ on PostgreSQL")
    else:
        source = cached_hq(args.members)
        shutil.copyfile(source, workdir / source.name)
        database_url = f"sqlite:///{workdir / source.name}"
        print("HQ on SQLite")
    with hq_process(database_url) as url:
        tokens = [sign_in(url, staff_no) for staff_no in ACCOUNTS]
        pages_ok, cursor = bench_pages(url, tokens[0], "pull pages")
        if not args.no_raw:
            bench_raw(url, tokens[0], workdir, pages=200)
        idle_ok = bench_idle(url, tokens, cursor, args.devices, args.interval, args.seconds)
    return pages_ok and idle_ok


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)

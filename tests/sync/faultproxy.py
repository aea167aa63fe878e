"""A fault-injecting HTTP proxy between a sync client and the reference HQ, for the sync tests.

The network is the part of sync that fails in the field, and it cannot be made to fail on cue: this
proxy is a real TCP server on loopback that forwards each request to HQ (http.client) and applies one
fault per request, from a plan or a rule, so a test can lose a request, lose an answer after HQ
committed, repeat a request, stall, cut a body short or answer something HQ never said.

    with FaultProxy(hq.url) as proxy:
        proxy.plan(["drop_response", "pass"])
        ...  # point the client at proxy.url
        assert proxy.log[0] == ("POST", "/v1/push", "drop_response", 200)
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import urlsplit

BodyMaker = Callable[[bytes, dict[str, str]], bytes]
FAULTS = ("pass", "drop_request", "drop_response", "duplicate", "delay", "late", "truncate", "status", "replace")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade"}
ERROR_CODES = {429: "too_many_attempts", 500: "internal", 502: "bad_gateway", 503: "busy"}


@dataclass(frozen=True)
class Fault:
    """One fault for one request; ``Fault.parse("status:503:2")`` builds one from its short form.

    ``seconds``: for delay (sleep, then forward) and late (forward, then sleep before answering).
    ``status``/``retry_after``: for status (answered without forwarding) and replace.
    ``body``: for replace: bytes, or ``f(decoded_original_body, original_headers) -> bytes`` (called with
    ``b"", {}`` when not forwarding); None keeps HQ's decoded body. ``headers`` are added to the answer.
    """

    name: str = "pass"
    seconds: float = 0.0
    status: int | None = None
    retry_after: str | None = None
    body: bytes | BodyMaker | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    forward: bool = True

    def __post_init__(self) -> None:
        if self.name not in FAULTS:
            raise ValueError(f"unknown fault {self.name!r}; known: {', '.join(FAULTS)}")
        if self.name in ("status", "replace") and self.status is None:
            raise ValueError(f"fault {self.name!r} needs a status")

    @classmethod
    def parse(cls, spec: str | Fault) -> Fault:
        """``pass``, ``delay:0.2``, ``late:1``, ``status:503``, ``status:429:2``, ``replace:500`` ..."""
        if isinstance(spec, Fault):
            return spec
        name, *args = spec.split(":")
        if name in ("delay", "late") and len(args) == 1:
            return cls(name, seconds=float(args[0]))
        if name == "status" and len(args) in (1, 2):
            return cls(name, status=int(args[0]), retry_after=args[1] if len(args) == 2 else None)
        if name == "replace" and len(args) == 1:
            return cls(name, status=int(args[0]))
        if args or name in ("delay", "late", "status", "replace"):
            raise ValueError(f"bad fault spec {spec!r}")
        return cls(name)


PASS = Fault()


class LogEntry(NamedTuple):
    method: str
    path: str  # the request target, query included
    fault: str
    upstream_status: int | None  # HQ's status, None when HQ was not asked (or did not answer)


class _Answer(NamedTuple):
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


class FaultProxy:
    """A threaded HTTP/1.1 proxy on 127.0.0.1 (random port) in front of ``upstream_url``."""

    def __init__(self, upstream_url: str, host: str = "127.0.0.1", port: int = 0, timeout: float = 30.0) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.timeout = timeout
        self.connections = 0  # client connections accepted: keep-alive reuse shows as fewer connections
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._plan: deque[Fault] = deque()
        self._rule: Callable[[str, str], Fault | str | None] | None = None
        self._prefix: str | None = None
        self._log: list[LogEntry] = []
        self._inflight = 0
        self._open: set[socket.socket] = set()
        self._closing = threading.Event()
        self._server = _Server((host, port), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"faultproxy-{self.port}", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what to do ---------------------------------------------------------------------------------------------

    def plan(self, faults: Iterable[str | Fault]) -> None:
        """Replace the plan: one fault per matching request, in order, then "pass"."""
        parsed = [Fault.parse(f) for f in faults]  # a typo fails here, in the test, not in a proxy thread
        with self._lock:
            self._plan = deque(parsed)

    def rule(self, decide: Callable[[str, str], Fault | str | None] | None) -> None:
        """``decide(method, path)`` picks each matching request's fault before the plan; None from it defers to
        the plan. ``rule(None)`` removes it."""
        with self._lock:
            self._rule = decide

    def only(self, prefix: str | None) -> None:
        """Apply faults (rule and plan) only to paths starting with ``prefix``; others pass. None: all paths."""
        with self._lock:
            self._prefix = prefix

    @property
    def pending(self) -> int:
        """Faults left in the plan."""
        with self._lock:
            return len(self._plan)

    @property
    def log(self) -> list[LogEntry]:
        """A copy of (method, path, fault_name, upstream_status) per request handled so far."""
        with self._lock:
            return list(self._log)

    def wait_log(self, count: int, timeout: float = 30.0) -> list[LogEntry]:
        """Wait until ``count`` requests are logged (a delayed one logs after the client gave up)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._log) >= count, timeout):
                raise TimeoutError(f"the proxy logged {len(self._log)} requests, not {count}")
            return list(self._log)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until no request is being handled."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._inflight == 0, timeout):
                raise TimeoutError("the proxy is still handling a request")

    def _choose(self, method: str, path: str) -> Fault:
        with self._lock:
            if self._prefix is not None and not path.startswith(self._prefix):
                return PASS
            decide = self._rule
        chosen = decide(method, path) if decide else None  # outside the lock: a rule may read proxy.log
        if chosen is not None:
            return Fault.parse(chosen)
        with self._lock:
            return self._plan.popleft() if self._plan else PASS

    def _record(self, method: str, path: str, fault: Fault, status: int | None) -> None:
        with self._changed:
            self._log.append(LogEntry(method, path, fault.name, status))
            self._changed.notify_all()

    def _busy(self, delta: int) -> None:
        with self._changed:
            self._inflight += delta
            self._changed.notify_all()

    def _track(self, conn: socket.socket, opened: bool) -> None:
        with self._lock:
            if opened:
                self.connections += 1
                self._open.add(conn)
            else:
                self._open.discard(conn)

    # -- talking to HQ --------------------------------------------------------------------------------------------

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> _Answer:
        conn = http.client.HTTPConnection(*self.upstream, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return _Answer(resp.status, resp.reason, resp.getheaders(), resp.read())
        finally:
            conn.close()

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting, cut open keep-alive connections (their threads end) and release the port."""
        self._closing.set()
        if self._thread.is_alive():
            self._server.shutdown()
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    proxy: FaultProxy

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a machine without DNS
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()
        self.server_name, self.server_port = self.server_address[:2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like requests.Session expects
    timeout = 60  # an idle keep-alive connection is dropped after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.proxy._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.proxy._track(self.connection, False)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the proxy's log is proxy.log
        pass

    def _handle(self) -> None:
        proxy = self.server.proxy
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True  # requests sends Content-Length; chunked bodies are not supported
            self._send(501, "Not Implemented", [("Content-Type", "application/json")], _envelope("not_implemented"))
            return
        length = self.headers.get("Content-Length")
        body = self.rfile.read(int(length)) if length is not None else None
        fault = proxy._choose(self.command, self.path)
        proxy._busy(+1)
        try:
            self._apply(proxy, fault, body)
        except OSError:  # the client went away (a timeout, a closed session): nothing left to answer
            self.close_connection = True
        finally:
            proxy._busy(-1)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def _apply(self, proxy: FaultProxy, fault: Fault, body: bytes | None) -> None:
        method, path, name = self.command, self.path, fault.name
        if name == "drop_request":
            proxy._record(method, path, fault, None)
            self.close_connection = True
            return
        if name == "status":
            proxy._record(method, path, fault, None)
            extra = [("Retry-After", fault.retry_after)] if fault.retry_after is not None else []
            payload = _envelope(ERROR_CODES.get(fault.status, "injected"), fault.retry_after)
            self._send(fault.status, _phrase(fault.status), [("Content-Type", "application/json"), *extra], payload)
            return
        if name == "delay" and proxy._closing.wait(fault.seconds):
            self.close_connection = True  # the proxy is closing: do not reach HQ after the test ended
            return
        answer = None
        if fault.forward or name != "replace":
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
            try:
                answer = proxy._forward(method, path, headers, body)
                if name == "duplicate":
                    answer = proxy._forward(method, path, headers, body)
            except (OSError, http.client.HTTPException) as exc:
                proxy._record(method, path, fault, None)
                self._send(502, "Bad Gateway", [("Content-Type", "application/json")],
                           _envelope("bad_gateway", message=f"HQ did not answer: {exc}"))
                return
        proxy._record(method, path, fault, answer.status if answer else None)
        if name == "drop_response":
            self.close_connection = True
            return
        if name == "late":
            proxy._closing.wait(fault.seconds)
        if name == "replace":
            self._send(*_replaced(fault, answer))
            return
        headers = [(k, v) for k, v in answer.headers if k.lower() not in HOP_BY_HOP]
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(len(answer.body))))
        if name == "truncate":
            self.close_connection = True
            self._send(answer.status, answer.reason, headers, answer.body[: len(answer.body) // 2], length=False)
            return
        self._send(answer.status, answer.reason, headers, answer.body, length=False)

    def _send(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes, length: bool = True) -> None:
        """Write one answer exactly as given (no Server/Date added); ``length`` adds a Content-Length."""
        lines = [f"HTTP/1.1 {status} {reason}".rstrip(), *(f"{k}: {v}" for k, v in headers)]
        if length:
            lines.append(f"Content-Length: {len(body)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + body)
        self.wfile.flush()


def _replaced(fault: Fault, answer: _Answer | None) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """The answer a "replace" fault sends: its status and body, uncompressed, with a correct length."""
    original, headers = b"", {}
    if answer is not None:
        headers = {k: v for k, v in answer.headers}
        original = answer.body
        encoding = next((v for k, v in answer.headers if k.lower() == "content-encoding"), "")
        if encoding.lower() == "gzip":
            original = gzip.decompress(original)
    body = fault.body(original, headers) if callable(fault.body) else fault.body
    if body is None:
        body = original
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
    extra = dict(fault.headers)
    if fault.retry_after is not None:
        extra.setdefault("Retry-After", fault.retry_after)
    out = [("Content-Type", content_type)] if not any(k.lower() == "content-type" for k in extra) else []
    return fault.status, _phrase(fault.status), [*out, *extra.items()], body


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _envelope(code: str, retry_after: str | None = None, message: str = "injected") -> bytes:
    error: dict[str, object] = {"code": code, "message": message}
    if retry_after is not None:
        error["retry_after"] = int(retry_after) if retry_after.isdigit() else retry_after
    return json.dumps({"error": error}).encode()

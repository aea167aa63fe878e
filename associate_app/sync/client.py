"""The HTTP client for HQ: timeouts, gzip, retries with back-off, a size cap, typed errors.

Every call has a connect and a read timeout (a shop's Wi-Fi hangs rather than fails). Connection
errors, timeouts, cut-off answers and 5xx are retried with jittered back-off, 429/503 after the
Retry-After HQ gives; pushes are safe to retry because HQ applies each mutation id once. TLS is
always verified (against the system's CAs or a retailer's own CA bundle). Answers are read with a
size cap and decoded with orjson; anything unreadable is a ProtocolError, never a traceback.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import requests

from associate_app.sync.errors import (
    AuthRequired,
    BodyTooLarge,
    CertificateError,
    Forbidden,
    Offline,
    ProtocolError,
    RequestRefused,
    ResetRequired,
    ServerBusy,
    ServerError,
    UpdateRequired,
)
from associate_app.sync.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a 5,000-document page is ~5 MB; far beyond that is not HQ
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
             requests.exceptions.ContentDecodingError)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any  # decoded JSON (None for an empty body)


class HQClient:
    """One HQ, one ``requests.Session`` (keep-alive), used from one thread at a time."""

    def __init__(self, base_url: str, token: Callable[[], str | None] | None = None, *,
                 timeout: tuple[float, float] = (5.0, 30.0), retry: RetryPolicy | None = None,
                 verify: bool | str = True, max_answer_bytes: int = MAX_ANSWER_BYTES,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token or (lambda: None)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.max_answer_bytes = max_answer_bytes
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.session = requests.Session()
        # Passed on every request: a session-level setting would lose to REQUESTS_CA_BUNDLE (a requests quirk).
        self.verify: bool | str = verify if verify not in ("", None, False) else True  # never switched off
        self.session.headers.update({"Accept-Encoding": "gzip", "User-Agent": "associate-app"})

    def close(self) -> None:
        self.session.close()

    # The protocol's calls ------------------------------------------------------------------------

    def hello(self) -> dict[str, Any]:
        return self._json_object(self.call("GET", "/v1/hello", auth=False))

    def pull(self, cursor: str, limit: int, *, with_remaining: bool = False) -> Any:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if with_remaining:
            params["remaining"] = "true"
        return self.call("GET", "/v1/pull", params=params).body

    def push(self, mutations: list[dict[str, Any]]) -> Any:
        return self.call("POST", "/v1/push", body=orjson.dumps({"mutations": mutations})).body

    # Transport ------------------------------------------------------------------------------------

    def call(self, method: str, path: str, *, params: dict | None = None, body: bytes | None = None,
             auth: bool = True, retry: RetryPolicy | None = None) -> Answer:
        """One request with retries; a 2xx Answer, or the SyncError that says what went wrong."""
        policy = retry or self.retry
        headers = {"X-Protocol-Version": str(PROTOCOL_VERSION)}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if auth:
            token = self.token()
            if not token:
                raise AuthRequired("Not signed in: sign in to sync with HQ.", hq_code="token_missing")
            headers["Authorization"] = f"Bearer {token}"
        last: Exception | None = None
        for attempt in range(1, policy.attempts + 1):
            if attempt > 1:
                self.sleep(self._wait(last, attempt - 1, policy))
            try:
                status, answer_headers, raw = self._send(method, path, params, body, headers)
            except requests.exceptions.SSLError as exc:
                raise CertificateError("HQ's certificate could not be verified, so nothing was sent: the address "
                                       "may be wrong, or the retailer's certificate authority is not set up on "
                                       "this computer.", cause=str(exc)[:300]) from exc
            except TRANSIENT as exc:
                last = Offline(f"HQ could not be reached ({type(exc).__name__}).", cause=str(exc)[:300])
                log.info("%s %s: transport failure, try %d of %d: %s", method, path, attempt, policy.attempts, exc)
                continue
            try:
                return self._answer(status, answer_headers, raw)
            except (ServerBusy, ServerError) as exc:
                last = exc
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None and retry_after > policy.max_retry_after:
                    raise
                log.info("%s %s: HQ answered %s, try %d of %d", method, path, status, attempt, policy.attempts)
        assert last is not None
        raise last

    def _wait(self, error: Exception | None, retry: int, policy: RetryPolicy) -> float:
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, policy.max_retry_after)
        return policy.backoff(retry, self.rng)

    def _send(self, method: str, path: str, params: dict | None, body: bytes | None,
              headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Send and read the whole answer, decompressed, refusing one larger than the cap."""
        with self.session.request(method, self.base_url + path, params=params, data=body, headers=headers,
                                  timeout=self.timeout, stream=True, allow_redirects=False,
                                  verify=self.verify) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_answer_bytes:
                raise ProtocolError(f"HQ's answer is too large ({int(declared):,} bytes); nothing was applied.")
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=256 * 1024):
                size += len(chunk)
                if size > self.max_answer_bytes:
                    raise ProtocolError(f"HQ's answer is larger than {self.max_answer_bytes:,} bytes; "
                                        "nothing was applied.")
                chunks.append(chunk)
            return response.status_code, dict(response.headers), b"".join(chunks)

    def _answer(self, status: int, headers: dict[str, str], raw: bytes) -> Answer:
        body = _decode(raw, status)
        if 200 <= status < 300:
            return Answer(status, headers, body)
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        code = error.get("code") if isinstance(error.get("code"), str) else None
        message = error.get("message") if isinstance(error.get("message"), str) else f"HQ answered {status}"
        if status == 401:
            raise AuthRequired("HQ no longer accepts this sign-in: sign in again.", hq_code=code)
        if status == 403:
            raise Forbidden(f"This account may not sync: {message}", hq_code=code)
        if status == 410:
            reason = error.get("reason") if isinstance(error.get("reason"), str) else None
            raise ResetRequired(message, reason=reason)
        if status == 413:
            raise BodyTooLarge(message, status=status, hq_code=code)
        if status == 426:
            raise UpdateRequired(_version_message(code), hq_code=code, supported=error.get("supported"))
        if status in (429, 503):
            raise ServerBusy(f"HQ is busy ({status}); trying again later.",
                             retry_after=parse_retry_after(headers.get("Retry-After")), hq_code=code)
        if status >= 500:
            raise ServerError(f"HQ failed ({status}): {message}", hq_code=code)
        raise RequestRefused(f"HQ refused the request ({status} {code}): {message}", status=status, hq_code=code)

    @staticmethod
    def _json_object(answer: Answer) -> dict[str, Any]:
        if not isinstance(answer.body, dict):
            raise ProtocolError("HQ's answer is not a JSON object.")
        return answer.body


def _decode(raw: bytes, status: int) -> Any:
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if status >= 500 or status in (429, 503):
            return None  # a proxy's HTML error page: the status says enough
        raise ProtocolError(f"HQ's answer is not valid JSON ({exc}); nothing was applied.") from exc


def _version_message(code: str | None) -> str:
    if code == "client_too_new":
        return "HQ is older than this app and cannot sync with it yet: HQ must be upgraded."
    return "This app is too old for HQ: update the app to sync again."

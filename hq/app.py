"""The FastAPI application: routes are thin, the work is in hq.auth, hq.pull, hq.push and hq.admin.

Responses are encoded with orjson (pulls are pre-encoded bytes), large ones gzip-compressed at a
moderate level. Every error, including request validation, answers ``{"error": {...}}`` with a
stable code; an unexpected one is logged with its traceback and answered 500 without details.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated, Any

import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from hq import auth, pull
from hq.admin_api import install_admin_routes
from hq.api_models import HelloResponse, LoginRequest, LoginResponse, MeResponse, PullResponse
from hq.compression import gzip_bytes
from hq.db import Database, OperationalError
from hq.deps import Caller, ProtocolVersion
from hq.errors import HQError
from hq.limits import BodySizeLimit
from hq.protocol import DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, PROTOCOL_MAX, PROTOCOL_MIN
from hq.push_api import install_push_routes
from hq.schema import get_meta
from hq.timeutil import iso, now_utc

log = logging.getLogger("hq")
GZIP_LEVEL = 4  # moderate: most of the size gain for a fraction of level 9's CPU


class JSONBytes(JSONResponse):
    """orjson, or bytes already encoded (pulls); a JSONResponse so OpenAPI shows the real models."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else orjson.dumps(content)


def create_app(db: Database) -> FastAPI:
    app = FastAPI(title="Reference HQ", version=f"protocol {PROTOCOL_MIN}-{PROTOCOL_MAX}",
                  default_response_class=JSONBytes,
                  description="The chain's side of the Store Associate Console sync protocol "
                              "(docs/sync-protocol.md).")
    app.state.db = db
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=GZIP_LEVEL)
    app.add_middleware(BodySizeLimit)
    _install_error_handlers(app)

    @app.get("/v1/hello", response_model=HelloResponse, tags=["sync"])
    def hello() -> Any:
        """Which protocol versions this server speaks; devices call this before syncing."""
        with db.read() as tx:
            epoch = get_meta(tx, "epoch")
        return JSONBytes({"server": "reference-hq", "protocol": {"min": PROTOCOL_MIN, "max": PROTOCOL_MAX},
                          "server_time": iso(now_utc()), "epoch": epoch})

    @app.post("/v1/auth/login", response_model=LoginResponse, tags=["auth"])
    def login(body: LoginRequest, request: Request) -> Any:
        address = request.client.host if request.client else ""
        return JSONBytes(auth.login(db, body.store_code, body.staff_no, body.password, body.device_id, address))

    @app.post("/v1/auth/logout", status_code=204, tags=["auth"])
    def logout(caller: Caller) -> Response:
        auth.logout(db, caller)
        return Response(status_code=204)

    @app.get("/v1/auth/me", response_model=MeResponse, tags=["auth"])
    def me(caller: Caller) -> Any:
        return JSONBytes({"id": caller.staff_id, "store_code": caller.store_code, "role": caller.role,
                          "name": caller.name, "device_id": caller.device_id})

    @app.get("/v1/pull", response_model=PullResponse, tags=["sync"])
    def pull_changes(
        request: Request,
        caller: Caller,
        version: ProtocolVersion,
        cursor: Annotated[str | None, Query(max_length=120, description="from the previous page; empty: start")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
        remaining: Annotated[bool, Query(description="also count the documents after this page")] = False,
    ) -> Any:
        """The next page of changes in the caller's scope (store, and the cashier's view for cashiers)."""
        return compressed_json(pull.pull_page(db, caller, cursor, limit, with_remaining=remaining), request)

    install_push_routes(app)
    install_admin_routes(app)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``hq-server serve`` worker processes: database from HQ_DATABASE, housekeeping on."""
    from hq.housekeeping import Housekeeper
    from hq.service import open_hq

    db = open_hq(os.environ["HQ_DATABASE"])
    app = create_app(db)
    app.state.housekeeper = Housekeeper(db, float(os.environ.get("HQ_HOUSEKEEPING_SECONDS", "600"))).start()
    return app


def compressed_json(body: bytes, request: Request) -> Response:
    """A pull page, gzipped here in the worker thread (hq.compression: ISA-L, several times zlib's speed).

    GZipMiddleware leaves a response that already has a Content-Encoding alone.
    """
    if len(body) < 1024 or "gzip" not in request.headers.get("accept-encoding", ""):
        return JSONBytes(body)
    return JSONBytes(gzip_bytes(body), headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HQError)
    def hq_error(_request: Request, exc: HQError) -> Response:
        return JSONBytes(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, f"http_{exc.status_code}")
        return JSONBytes({"error": {"code": code, "message": str(exc.detail)}}, status_code=exc.status_code,
                         headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> Response:
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
                   for e in exc.errors()]
        first = details[0] if details else {"where": "", "problem": "invalid"}
        return JSONBytes({"error": {"code": "invalid_request", "message": f"{first['where']}: {first['problem']}",
                                    "details": details}}, status_code=422)

    def busy(_request: Request, exc: Exception) -> Response:
        log.warning("database busy or unavailable: %s", exc)
        return JSONBytes({"error": {"code": "busy", "message": "HQ is busy; try again shortly"}},
                         status_code=503, headers={"Retry-After": "2"})

    for kind in OperationalError:
        app.add_exception_handler(kind, busy)

    @app.exception_handler(Exception)
    def unexpected(_request: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return JSONBytes({"error": {"code": "internal", "message": "HQ hit an unexpected error; it has been logged"}},
                         status_code=500)

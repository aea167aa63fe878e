"""FastAPI dependencies shared by every route module: the database, the caller, the protocol version."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hq import auth
from hq.db import Database
from hq.errors import Forbidden
from hq.protocol import VERSION_HEADER, check_version

_bearer = HTTPBearer(auto_error=False, description="the token from POST /v1/auth/login")


def database(request: Request) -> Database:
    return request.app.state.db


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> auth.Principal:
    return auth.authenticate(database(request), credentials.credentials if credentials else None)


def admin_principal(caller: Annotated[auth.Principal, Depends(current_principal)]) -> auth.Principal:
    """HQ admin endpoints: enforced here, on the server, whatever a client shows or hides."""
    if not caller.is_admin:
        raise Forbidden("only HQ admin accounts may do this", code="admin_only")
    return caller


def protocol_version(version: Annotated[str | None, Header(alias=VERSION_HEADER)] = None) -> int:
    return check_version(version)


DB = Annotated[Database, Depends(database)]
Caller = Annotated[auth.Principal, Depends(current_principal)]
Admin = Annotated[auth.Principal, Depends(admin_principal)]
ProtocolVersion = Annotated[int, Depends(protocol_version)]

"""Run HQ in a background thread on a loopback port: for the console's demo and for the tests.

The server is the real one (uvicorn, real HTTP); only its process is shared with the caller.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from hq.app import create_app
from hq.db import Database


class EmbeddedHQ:
    """``with EmbeddedHQ(db) as hq: requests.get(hq.url + "/v1/hello")``"""

    def __init__(self, db: Database, host: str = "127.0.0.1", port: int = 0) -> None:
        self.db = db
        self.app = create_app(db)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off",
                                timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name=f"hq-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> EmbeddedHQ:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the embedded HQ server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> EmbeddedHQ:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Loopback helpers shared by the tests that start servers."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (until someone binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, proc: subprocess.Popen, timeout: float = 60) -> httpx.Response:
    """Poll ``url`` until it answers 200; fail the test if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                return response
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            stderr = proc.stderr.read() if proc.stderr else ""
            pytest.fail(f"{url} did not answer (exit code {proc.poll()}): {stderr}")
        time.sleep(0.2)

"""Helpers for race tests: callables released together by a barrier, each in its own thread
with its own connection to the server, so the requests really overlap."""

import threading
from collections.abc import Callable
from typing import TypeVar

import httpx

T = TypeVar("T")


def race(count: int, action: Callable[[int], T], *, timeout: float = 30) -> list[T]:
    """Runs action(0) ... action(count - 1) in `count` threads that start at one moment;
    returns their results in that order and raises the first exception one of them raised."""
    barrier = threading.Barrier(count)
    results: list[T | None] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout)
            results[index] = action(index)
        except BaseException as exc:  # noqa: BLE001  (handed to the test below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), "a racer did not finish in time"
    return results  # type: ignore[return-value]


def race_requests(
    base_url: str,
    count: int,
    request: Callable[[httpx.Client, int], httpx.Response],
    *,
    headers: dict[str, str] | None = None,
) -> list[httpx.Response]:
    """Sends `count` requests at one moment, each from a client (a connection) of its own,
    already connected, so that none of them waits for a connection to open."""
    clients = [
        httpx.Client(base_url=base_url, headers=headers or {}, timeout=30) for _ in range(count)
    ]
    try:
        for client in clients:
            client.get("/healthz")  # opens the connection before the start
        return race(count, lambda index: request(clients[index], index))
    finally:
        for client in clients:
            client.close()

"""SQLite's writers in one process take turns in the order they asked (SQLite's own wait polls,
and under load a newcomer often gets in before one that has waited seconds), and at most
sqlite_max_concurrent_reads reading requests are worked on at once."""

import asyncio
import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from app.db import ReadLimit, write_session


def test_writers_get_the_write_lock_in_the_order_they_asked(sqlite_engine: sa.Engine) -> None:
    order: list[int] = []

    def writer(number: int, asked: threading.Event) -> None:
        asked.set()
        with write_session(sqlite_engine) as session:
            session.execute(sa.text("SELECT 1"))  # the first statement begins the write
            order.append(number)

    threads = []
    with write_session(sqlite_engine) as holder:
        holder.execute(sa.text("SELECT 1"))
        for number in range(6):
            asked = threading.Event()
            thread = threading.Thread(target=writer, args=(number, asked))
            thread.start()
            asked.wait()
            time.sleep(0.15)  # it is waiting for the lock before the next one asks
            threads.append(thread)
    for thread in threads:
        thread.join(timeout=30)

    assert order == list(range(6))


def test_at_most_the_limit_of_reads_are_worked_on_at_once() -> None:
    busy = 0
    most = 0
    # Each request stays in until `expected` are in at once (or 5 s pass): a timed sleep
    # would let early requests finish before late ones start on a busy machine.
    expected = 2
    all_in = asyncio.Event()

    async def page(request):  # noqa: ANN001, ANN202
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        if busy >= expected:
            all_in.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_in.wait(), timeout=5)
        busy -= 1
        return PlainTextResponse("ok")

    app = ReadLimit(Starlette(routes=[Route("/", page, methods=["GET", "POST"])]), limit=2)

    async def run() -> tuple[list[int], int]:
        nonlocal most, expected
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            reads = await asyncio.gather(*(client.get("/") for _ in range(8)))
            read_most, most, expected = most, 0, 8
            all_in.clear()
            await asyncio.gather(*(client.post("/") for _ in range(8)))
        return [answer.status_code for answer in reads], read_most

    # In a thread of its own: an earlier test (the browser's) may leave a loop running here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        statuses, read_most = pool.submit(asyncio.run, run()).result()

    assert statuses == [200] * 8
    assert read_most == 2
    assert most == 8  # writes are not limited here: they take turns for the write lock

"""A webhook receiver for the crash tests: answers 204 to every POST and records each request
(webhook-id and event), repeats included. It runs in a thread of the test, or as a process of
its own (`python -m tests.crash.receiver PORT LOG DELAY`) that a test can kill."""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Receiver:
    def __init__(self, port: int = 0, *, log: Path | None = None, delay: float = 0) -> None:
        self.received: list[tuple[str, dict]] = []
        # Seconds each answer is held: a slow receiver keeps deliveries in flight.
        self.delay = delay
        self.holding = threading.Event()
        # In a process of its own, each request is appended to the log at once (one write of
        # one line), so what it received before being killed is still there.
        self._log = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND) if log else None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver._record(self.headers["webhook-id"], json.loads(body))
                receiver.holding.set()
                time.sleep(receiver.delay)
                try:
                    self.send_response(204)
                    self.end_headers()
                except OSError:
                    pass  # the sender was killed while we held its answer
                finally:
                    receiver.holding.clear()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def _record(self, webhook_id: str, event: dict) -> None:
        self.received.append((webhook_id, event))
        if self._log is not None:
            line = json.dumps({"id": webhook_id, "event": event}) + "\n"
            os.write(self._log, line.encode())

    def start(self) -> "Receiver":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def read_log(log: Path) -> list[tuple[str, dict]]:
    """Returns what a receiver process logged; a line cut short by a kill is left out."""
    if not log.exists():
        return []
    lines = log.read_text().split("\n")[:-1]  # the last piece has no newline yet, if any
    return [(entry["id"], entry["event"]) for entry in map(json.loads, lines)]


def submitted_ids(received: list[tuple[str, dict]]) -> set[str]:
    """The scorecards whose scorecard.submitted event was received."""
    return {
        event["data"]["scorecard_id"]
        for _, event in received
        if event["type"] == "scorecard.submitted"
    }


def repeats(received: list[tuple[str, dict]]) -> int:
    """How many requests were a message received before (same webhook-id)."""
    return len(received) - len({webhook_id for webhook_id, _ in received})


if __name__ == "__main__":
    port, log, delay = sys.argv[1:]
    Receiver(int(port), log=Path(log), delay=float(delay)).server.serve_forever()

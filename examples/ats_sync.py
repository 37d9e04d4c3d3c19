"""An ATS talking to smm-hire with httpx: push candidates into a vacancy, receive signed
webhooks, pull scores out. Run it against a server you started:

    python examples/ats_sync.py --base-url http://127.0.0.1:8000 --api-key smmh_... \\
        --vacancy VACANCY_ID --receiver-port 8099

The key needs the scopes candidates:read, candidates:write, scorecards:read, webhooks:read
and webhooks:write. A real receiver lives at a public https address; this one listens on
loopback, so the server must allow that (SMM_HIRE_WEBHOOKS_ALLOW_HTTP=true and
SMM_HIRE_WEBHOOKS_ALLOW_INTERNAL=true, for development only)."""

import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The Standard Webhooks check (the README's reference verifier)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return fresh and any(
        hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split()
    )


class Receiver:
    """Receives webhooks on loopback; keeps the verified events, drops repeats by webhook-id."""

    def __init__(self, port: int = 0) -> None:
        self.secret = ""
        self.events: list[dict] = []
        self.rejected = 0
        self._seen: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                ok = verify(receiver.secret, headers, body)
                if not ok:
                    receiver.rejected += 1
                elif headers["webhook-id"] not in receiver._seen:
                    receiver._seen.add(headers["webhook-id"])
                    receiver.events.append(json.loads(body))
                self.send_response(204 if ok else 401)
                self.end_headers()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/smm-hire"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def register(client: httpx.Client, receiver: Receiver) -> str:
    """Subscribes the receiver to the events an ATS needs; returns the subscription id."""
    answer = client.post(
        "/api/v1/webhooks",
        json={
            "url": receiver.url,
            "events": ["candidate.created", "application.stage_changed", "score.updated"],
            "description": "example ATS",
        },
    )
    answer.raise_for_status()
    receiver.secret = answer.json()["secret"]
    return answer.json()["id"]


def push_candidates(client: httpx.Client, vacancy_id: str, people: list[dict]) -> list[str]:
    """Adds each person (once, even when retried) and applies them to the vacancy."""
    applications = []
    for person in people:
        # The same key for the same person: a retry after a timeout creates nothing twice.
        key = f"candidate-{person['external_id']}"
        candidate = client.post("/api/v1/candidates", json=person, headers={"Idempotency-Key": key})
        candidate.raise_for_status()
        application = client.post(
            "/api/v1/applications",
            json={"vacancy_id": vacancy_id, "candidate_id": candidate.json()["id"]},
            headers={"Idempotency-Key": f"application-{vacancy_id}-{person['external_id']}"},
        )
        application.raise_for_status()
        applications.append(application.json()["id"])
    return applications


def pull_scores(client: httpx.Client, vacancy_id: str) -> dict[str, dict]:
    """Every application of the vacancy with its screening and panel scores, page by page."""
    scores, cursor = {}, None
    while True:
        params = {"vacancy_id": vacancy_id, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/applications", params=params)
        page.raise_for_status()
        for application in page.json()["items"]:
            score = client.get(f"/api/v1/applications/{application['id']}/score")
            score.raise_for_status()
            scores[application["id"]] = score.json()
        cursor = page.json()["next_cursor"]
        if not page.json()["has_more"]:
            return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--vacancy", required=True)
    parser.add_argument("--receiver-port", type=int, default=0)
    args = parser.parse_args()
    receiver = Receiver(args.receiver_port)
    with httpx.Client(
        base_url=args.base_url, headers={"Authorization": f"Bearer {args.api_key}"}, timeout=30
    ) as client:
        register(client, receiver)
        batch = uuid.uuid4().hex[:6]
        people = [
            {
                "full_name": name,
                "external_id": f"{batch}-{number}",
                "profile": {"years_in_smm": years, "platforms": ["vk", "telegram"]},
            }
            for number, (name, years) in enumerate([("Анна Пример", 3), ("Пётр Образец", 1)])
        ]
        push_candidates(client, args.vacancy, people)
        time.sleep(5)  # the server's worker delivers within a few seconds
        for application_id, score in pull_scores(client, args.vacancy).items():
            screening = score["screening"] or {}
            print(application_id, "screening:", screening.get("total"), screening.get("outcome"))
    print(f"webhooks received: {len(receiver.events)} (bad signatures: {receiver.rejected})")
    receiver.close()


if __name__ == "__main__":
    main()

"""Documents that organisations shape: a sheet template naming a local file or an address
inside the network gets neither into its PDF (WeasyPrint fetches nothing but data: URLs)."""

import os
import re
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from app.web.pdf import sheet_pdf


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (text, attachments, images) inflated."""
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    return pdf + b"".join(streams)


@pytest.fixture
def internal_server() -> list[str]:
    """A server on loopback, standing for one inside the network; lists the paths asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            asked.append(self.path)
            body = b"INTERNAL-ONLY-ANSWER"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    asked.append(f"http://127.0.0.1:{server.server_port}")
    yield asked
    server.shutdown()


def test_a_sheet_template_reads_no_file_and_no_address(
    tmp_path: Path, internal_server: list[str]
) -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"WeasyPrint cannot load its system libraries: {exc}")
    secret = tmp_path / "secret_key"
    secret.write_text("SERVER-SECRET-KEY-CONTENT")
    base = internal_server.pop(0)
    hostile = f"""<!doctype html><html><head>
        <link rel="stylesheet" href="{base}/style.css">
        <link rel="attachment" href="{secret.as_uri()}">
        <link rel="attachment" href="{base}/admin">
        </head><body><p>Лист</p><img src="{base}/pixel.png"><img src="{secret.as_uri()}">
        </body></html>"""

    pdf = pdf_text(sheet_pdf(hostile))

    assert b"SERVER-SECRET-KEY-CONTENT" not in pdf
    assert b"INTERNAL-ONLY-ANSWER" not in pdf
    assert internal_server == []  # not even asked

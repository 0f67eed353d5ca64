"""A loopback HTTP server that plays an Odoo web client for the browser tests.

Odoo is not installed here, so each test picks a fixture page (built from
Odoo's real templates, one per version and error kind) and the server answers
it at realistic URLs: every GET that is not under /fixtures/ returns the chosen
page, so `/web#model=sale.order&id=42` and `/odoo/sales/42` both work and the
extension parses real routes. JSON-RPC calls (POST) are answered from the
page's sidecar `<page>.rpc.json`: {"<path>": {"status": 200, "body": {...}}},
matched by the longest path prefix.
"""
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class FixtureServer:
    """One origin. `page` is a path relative to tests/fixtures."""

    def __init__(self, host="127.0.0.1", port=0):
        self.page = None
        self.rpc_overrides = {}
        self.requests = []  # (method, path, body) as received, for assertions
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path="/web"):
        return self.origin + path

    def use(self, page, rpc=None):
        """Serve `page` for every route; optional extra RPC answers by path."""
        if not (FIXTURES / page).is_file():
            raise FileNotFoundError(FIXTURES / page)
        self.page = page
        self.rpc_overrides = dict(rpc or {})
        self.requests.clear()

    def _rpc_answer(self, path):
        table = {}
        if self.page:
            sidecar = (FIXTURES / self.page).with_suffix(".rpc.json")
            if sidecar.is_file():
                table.update(json.loads(sidecar.read_text(encoding="utf-8")))
        table.update(self.rpc_overrides)
        matches = [p for p in table if path.split("?")[0].startswith(p)]
        if not matches:
            return 200, {"jsonrpc": "2.0", "id": None, "result": True}
        answer = table[max(matches, key=len)]
        return answer.get("status", 200), answer.get("body", {})

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass  # quiet tests

            def _send(self, status, body, content_type):
                data = body if isinstance(body, bytes) else body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                server.requests.append(("GET", self.path, None))
                path = self.path.split("?")[0]
                if path.startswith("/fixtures/"):
                    relative = Path(path[len("/fixtures/"):])
                    target = FIXTURES / relative
                    # No way out of tests/fixtures but its own links (the pages the
                    # server's demo shares: server/demo/static/).
                    if ".." not in relative.parts and not relative.is_absolute() \
                            and target.is_file():
                        kind = {
                            ".js": "text/javascript", ".css": "text/css",
                            ".json": "application/json", ".png": "image/png",
                        }.get(target.suffix, "text/html; charset=utf-8")
                        return self._send(200, target.read_bytes(), kind)
                    return self._send(404, "not found", "text/plain")
                if path.startswith("/web/assets/") and path.endswith(".css"):
                    # Pages that link Odoo's real bundle URL get the fixtures' stand-in styles.
                    css = (FIXTURES / "odoo" / "webclient.css").read_bytes()
                    return self._send(200, css, "text/css")
                if path == "/favicon.ico":
                    return self._send(404, "", "text/plain")
                if not server.page:
                    return self._send(404, "no fixture page chosen", "text/plain")
                page = (FIXTURES / server.page).read_bytes()
                return self._send(200, page, "text/html; charset=utf-8")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                server.requests.append(("POST", self.path, body))
                status, answer = server._rpc_answer(self.path)
                request_id = None
                try:
                    request_id = json.loads(body).get("id")
                except (ValueError, AttributeError):
                    pass
                if isinstance(answer, dict) and "jsonrpc" in answer:
                    answer = {**answer, "id": request_id}
                text = answer if isinstance(answer, str) else json.dumps(answer)
                self._send(status, text, "application/json")

        return Handler


@contextmanager
def production_and_staging():
    """Two origins on loopback: production 127.0.0.1 and staging 127.0.0.2, stopped after."""
    production = FixtureServer("127.0.0.1").start()
    staging = FixtureServer("127.0.0.2").start()
    try:
        yield production, staging
    finally:
        production.stop()
        staging.stop()

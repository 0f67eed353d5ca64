"""Rate limiting (flask-limiter) and CORS for the extension only (flask-cors).

One customer key is shared by every browser of a company, so reading (GET /config every few
minutes per browser, receipt polls) gets a high limit per key and endpoint, `rate_limit`.
Sending reports, POST /reports, gets `rate_limit_reports` twice: per key and per client
address, so that one looping browser cannot spend its colleagues' budget alone. Behind a
reverse proxy, `proxy_hops` says how many X-Forwarded-For entries to trust for the address.

Failed authentication is counted per client address (`rate_limit_auth_failures`), never per
presented key: a guesser cannot reset the count by changing keys, and random keys add no
entries to the limiter's storage. Counters are keyed by customer or address only, and expire
with their window, so the storage stays bounded by the customers and recent addresses.

With `memory://` storage each gunicorn worker keeps its own counters, and a client's
requests spread over the workers: so each worker allows its share of every limit (the
amount divided by the workers, rounded up), and all together never allow more than the
configured amount. The price: a client whose requests all land on one worker is limited
at that share. A shared storage (`redis://`) counts exactly.
"""
import ipaddress
import math
import re
import time

import limits
from flask import current_app, request
from flask_cors import CORS
from flask_limiter import Limit, Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from server.customers import bearer_key, find_by_key

API_PREFIX = "/api/v1/"
REPORTS_ENDPOINT = "api.create_report"


def client_address() -> str:
    """The client's address as the trusted proxies report it; IPv6 by its /64 network.

    One IPv6 host usually holds a whole /64: counting its addresses one by one would give a
    guesser 2**64 fresh budgets and the storage as many entries.
    """
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def rate_limit_key() -> str:
    """The caller's customer when its key is valid, else its address (never the key itself).

    Keying on the presented key gave each random key its own budget and storage entry.
    """
    key = bearer_key(request.headers.get("Authorization", ""))
    customer = find_by_key(current_app.config["CUSTOMERS"], key)
    if customer is not None:
        return "customer:" + customer.id
    return "addr:" + client_address()


def client_address_key() -> str:
    """The client's address, for the per-address limit on reports."""
    return "client:" + client_address()


def process_share(text: str) -> list:
    """The limits in `text` as this process enforces them: its share with per-process storage."""
    items = limits.parse_many(text)
    processes = current_app.config.get("RATE_LIMIT_PROCESSES", 1)
    if processes <= 1 or not current_app.config["RATE_LIMIT_STORAGE"].startswith("memory:"):
        return items
    return [type(item)(math.ceil(item.amount / processes), item.multiples) for item in items]


def process_share_text(text: str) -> str:
    """`process_share` in flask-limiter's notation ("60 per 1 minute; ...")."""
    return "; ".join(str(item) for item in process_share(text))


def auth_failure_limits() -> list:
    return process_share(current_app.config["RATE_LIMIT_AUTH_FAILURES"])


def auth_failures_key() -> str:
    return "osr/auth-failures:" + client_address()  # the prefix of the limiter's own keys


def auth_failures_retry_after() -> int | None:
    """Seconds until this address may try a key again, or None while it may.

    Checked before a key is compared: once over the limit even a right guess is not
    evaluated, so the 429 really stops guessing.
    """
    strategy = current_app.extensions["rate_limiter"].limiter
    key = auth_failures_key()
    waits = [strategy.get_window_stats(item, key).reset_time - time.time()
             for item in auth_failure_limits() if not strategy.test(item, key)]
    return max(1, int(max(waits)) + 1) if waits else None


def count_auth_failure() -> None:
    """One more failed authentication from this address."""
    strategy = current_app.extensions["rate_limiter"].limiter
    for item in auth_failure_limits():
        strategy.hit(item, auth_failures_key())


def is_report_post() -> bool:
    return request.endpoint == REPORTS_ENDPOINT


def is_not_report_post() -> bool:
    return request.endpoint != REPORTS_ENDPOINT


def api_limits() -> list[Limit]:
    """Reads per key and endpoint; reports per key and, separately, per client address."""
    def reports_limit():
        return process_share_text(current_app.config["RATE_LIMIT_REPORTS"])

    return [
        Limit(lambda: process_share_text(current_app.config["RATE_LIMIT"]),
              exempt_when=is_report_post),
        Limit(reports_limit, exempt_when=is_not_report_post),
        Limit(reports_limit, key_function=client_address_key, exempt_when=is_not_report_post),
    ]


def not_limited() -> bool:
    """Only the API is limited; CORS preflights never count."""
    return not request.path.startswith(API_PREFIX) or request.method == "OPTIONS"


def retry_after_seconds() -> int:
    """Whole seconds until the limit that was hit resets (at least 1)."""
    limiter = current_app.extensions.get("rate_limiter")
    current = limiter.current_limit if limiter else None
    if current is None:
        return 1
    return max(1, int(current.reset_at - time.time()))


def init_limiter(app) -> Limiter:
    """One limiter per app, so tests with their own app never share counters."""
    limiter = Limiter(
        rate_limit_key,
        app=None,
        default_limits=api_limits(),
        storage_uri=app.config["RATE_LIMIT_STORAGE"],
        headers_enabled=False,
        key_prefix="osr",
    )
    limiter.request_filter(not_limited)
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter
    return limiter


def init_cors(app) -> None:
    """CORS for the configured extension origins only: no wildcard, no credentials."""
    origins = [re.compile(pattern) for pattern in app.config["CORS_ORIGINS"]]
    CORS(
        app,
        resources={API_PREFIX + "*": {"origins": origins}},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept-Language"],
        expose_headers=["Retry-After", "Location"],
        supports_credentials=False,
        max_age=600,
        vary_header=True,
    )


def trust_proxies(app) -> None:
    """Take the client address from X-Forwarded-For when `proxy_hops` proxies set it.

    The scheme too (X-Forwarded-Proto): links the server writes, such as the update
    manifests' package URLs, say https:// behind a TLS-terminating proxy.
    """
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def init_app(app) -> None:
    trust_proxies(app)
    init_limiter(app)
    init_cors(app)

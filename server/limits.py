"""Rate limiting per customer key (flask-limiter) and CORS for the extension only (flask-cors)."""
import hashlib
import re
import time

from flask import current_app, request
from flask_cors import CORS
from flask_limiter import Limiter

from server.customers import bearer_key

API_PREFIX = "/api/v1/"


def rate_limit_key() -> str:
    """The caller's key, hashed so the limiter's storage never holds a secret; else its address."""
    key = bearer_key(request.headers.get("Authorization", ""))
    if key:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()
    return "addr:" + (request.remote_addr or "unknown")


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
        default_limits=[lambda: current_app.config["RATE_LIMIT"]],
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


def init_app(app) -> None:
    init_limiter(app)
    init_cors(app)

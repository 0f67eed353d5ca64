"""Customers: who may send reports, and where their tickets go. Keys are stored hashed."""
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

DEMO_KEY = "demo"


def hash_key(key: str) -> str:
    """The sha256 hex digest under which a customer key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class HelpdeskOptions:
    """Where tickets go in an Odoo Helpdesk (MAIL_URL odoo+https://): names or ids."""

    partner: str | int | None = None    # the customer's company partner
    team: str | int | None = None
    category: str | int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Customer:
    """One customer of the support partner, as configured."""

    id: str
    name: str
    key_hash: str
    support_address: str
    language: str = "fi"
    production_origins: tuple[str, ...] = ()
    staging_origins: tuple[str, ...] = ()
    key_user_name: str = ""
    key_user_email: str = ""
    process_guide_url: str = ""
    country: str = "FI"                 # ISO 3166-1: whose public holidays are days off (G6)
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    timezone: str = "Europe/Helsinki"
    support_hours: str = ""
    learning_mode: bool = False
    helpdesk: HelpdeskOptions = field(default_factory=HelpdeskOptions)

    @property
    def origins(self) -> tuple[str, ...]:
        """Every Odoo origin this customer declared, production first."""
        return self.production_origins + self.staging_origins

    def environment_of(self, origin: str) -> str:
        """`production`, `staging` or `unknown` for a page origin (C1)."""
        if origin in self.production_origins:
            return "production"
        if origin in self.staging_origins:
            return "staging"
        return "unknown"


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower case, default port and user info dropped."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    if not parts.scheme or not parts.hostname:
        return ""
    origin = f"{parts.scheme.lower()}://{parts.hostname.lower()}"
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        origin += f":{port}"
    return origin


def demo_customer() -> Customer:
    """The dev-mode customer: key `demo`, no Odoo origins, so any page may report."""
    return Customer(
        id="demo",
        name="Demo Customer",
        key_hash=hash_key(DEMO_KEY),
        support_address="support@example.com",
        language="fi",
        key_user_name="Demo Key User",
        key_user_email="key.user@example.com",
        process_guide_url="https://example.com/process-guide",
        support_hours="Mon-Fri 8-16 (Europe/Helsinki)",
    )


def bearer_key(authorization: str) -> str | None:
    """The key of an `Authorization: Bearer <key>` header (scheme in any case), else None."""
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key.strip() or None


def find_by_key(customers, presented_key: str | None) -> Customer | None:
    """The customer whose key this is, compared in constant time over every customer."""
    if not presented_key:
        return None
    presented_hash = hash_key(presented_key)
    found = None
    for customer in customers:
        # No early exit: the time taken does not depend on which customer matched.
        if hmac.compare_digest(presented_hash, customer.key_hash):
            found = customer
    return found

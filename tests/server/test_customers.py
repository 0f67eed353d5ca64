"""Customers: keys found by hash in constant time, origins normalized (server/customers.py)."""
import dataclasses

import pytest

from server import customers
from server.customers import bearer_key, demo_customer, find_by_key, hash_key, origin_of
from tests.server.samples import ACME, ACME_KEY


def test_every_customer_key_is_compared_whoever_matches(monkeypatch):
    """No early exit: the time taken does not tell which customer (if any) matched."""
    many = [dataclasses.replace(ACME, id=f"c{n}", key_hash=hash_key(f"key-{n}"))
            for n in range(5)]
    compared = []
    real_compare = customers.hmac.compare_digest
    monkeypatch.setattr(customers.hmac, "compare_digest",
                        lambda a, b: compared.append(b) or real_compare(a, b))
    for key in ("key-0", "key-4", "no-such-key"):
        compared.clear()
        found = find_by_key(many, key)
        assert compared == [customer.key_hash for customer in many]
        assert (found.id if found else None) == {"key-0": "c0", "key-4": "c4"}.get(key)


@pytest.mark.parametrize("header, key", [
    (f"Bearer {ACME_KEY}", ACME_KEY), (f"bearer  {ACME_KEY} ", ACME_KEY), ("Bearer ", None),
    ("Basic ZGVtbzpkZW1v", None), ("", None), (ACME_KEY, None),
])
def test_bearer_key_is_read_from_the_authorization_header(header, key):
    assert bearer_key(header) == key


def test_only_the_stored_hash_identifies_a_customer():
    assert find_by_key([demo_customer(), ACME], ACME_KEY) is ACME
    assert find_by_key([demo_customer(), ACME], ACME.key_hash) is None
    assert find_by_key([ACME], None) is None


@pytest.mark.parametrize("url, origin", [
    ("https://ERP.acme.example:443/odoo", "https://erp.acme.example"),
    ("http://erp.acme.example:8069/web#id=4", "http://erp.acme.example:8069"),
    ("https://user:pw@erp.acme.example/", "https://erp.acme.example"),
    ("https://erp.acme.example:99999/", ""), ("not a url", ""), ("", ""),
])
def test_origin_of_a_page(url, origin):
    assert origin_of(url) == origin

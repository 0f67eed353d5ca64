"""Schemathesis over our own OpenAPI document: no 5xx, and every answer is what the document says.

Generated from `/api/v1/openapi.json` of a real app (memory mail backend, temporary outbox),
with the demo customer's key, so both the authorised paths and the 4xx answers are explored.
Bounded (`max_examples`) to keep `make test` quick; the checks are schemathesis's own.
The negative cases matter most here: each must be a documented 4xx, never a 5xx.
"""
import os
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks

from server import create_app
from server.customers import DEMO_KEY, demo_customer
from tests.conftest import fuzz_examples
from tests.server.samples import ACME


def fuzzed_app(outbox):
    return create_app({
        "TESTING": True, "OUTBOX": outbox, "MAIL_URL": "memory://", "DELIVERY_WORKER": False,
        "RATE_LIMIT": "1000000 per minute", "RATE_LIMIT_REPORTS": "1000000 per minute",
        "RATE_LIMIT_AUTH_FAILURES": "1000000 per minute",
        "CUSTOMERS": [demo_customer(), ACME],
    })


# Built at import: schemathesis generates the test cases when pytest collects this module.
_OUTBOX = tempfile.TemporaryDirectory(prefix="osr-fuzz-")
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json",
                                        fuzzed_app(os.path.join(_OUTBOX.name, "outbox")))
# Valid and invalid requests alike; deterministic, so a failure in CI replays here.
schema.config.generation.update(modes=list(GenerationMode), deterministic=True)


@schema.parametrize()
@settings(max_examples=fuzz_examples(60), deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_openapi_document(case):
    # Every check but "schema-valid data is accepted": the seed rules (a generic title, the
    # error's title missing from it) refuse data that no JSON schema can describe.
    case.call_and_validate(headers={"Authorization": f"Bearer {DEMO_KEY}"},
                           excluded_checks=[checks.positive_data_acceptance])

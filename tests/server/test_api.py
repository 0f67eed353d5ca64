"""API v1: accepted reports, statuses, the customer's configuration, limits and CORS."""
import email
import email.policy
import io
import logging
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from server.customers import demo_customer
from server.validators.rules import title_rules
from server.workdays import expected_answer_by
from tests.server.images import data_url, image_bytes
from tests.server.samples import ACME_KEY, ACME_STAGING, bearer, page_context, report_body

CHROME_ORIGIN = "chrome-extension://aihjlhgbpcckfioaohgikkcghmimapib"


def post(client, body, headers):
    return client.post("/api/v1/reports", json=body, headers=headers)


def test_error_report_is_accepted_with_a_receipt(client, auth, submitted):
    response = post(client, report_body(), auth)

    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"id", "reference", "status", "expected_answer_by"}
    assert body["status"] == "queued"
    assert re.fullmatch(r"OSR-[0-9A-Z]{5}", body["reference"])
    assert response.headers["Location"] == f"/api/v1/reports/{body['id']}"
    [(customer, report)] = submitted
    assert customer.id == "demo"
    received_at = datetime.fromisoformat(report["received_at"])
    assert body["expected_answer_by"] == expected_answer_by(received_at, demo_customer())
    assert report["expected_answer_by"] == body["expected_answer_by"]


def test_status_of_an_accepted_report(client, auth):
    accepted = post(client, report_body(), auth).get_json()
    response = client.get(f"/api/v1/reports/{accepted['id']}", headers=auth)
    assert response.status_code == 200
    assert response.get_json() == {"id": accepted["id"], "reference": accepted["reference"],
                                   "status": "queued"}


def test_another_customers_report_is_not_found(client, auth, acme_auth):
    accepted = post(client, report_body(), auth).get_json()
    response = client.get(f"/api/v1/reports/{accepted['id']}", headers=acme_auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("report_id", ["01m8fdamt6vvf8ct75y2q6dmbz", "nope", "..%2F..%2Fetc"])
def test_unknown_report_is_not_found(client, auth, report_id):
    response = client.get(f"/api/v1/reports/{report_id}", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_status_needs_the_key(client, auth):
    accepted = post(client, report_body(), auth).get_json()
    response = client.get(f"/api/v1/reports/{accepted['id']}")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_same_client_report_id_is_one_ticket(client, auth):
    body = report_body()
    first = post(client, body, auth).get_json()
    again = post(client, {**body, "title": "Validation Error when confirming order S00042"},
                 auth).get_json()
    assert (again["id"], again["reference"]) == (first["id"], first["reference"])
    assert again["expected_answer_by"] == first["expected_answer_by"]


def test_hidpi_screenshot_reaches_the_outbox_as_png_at_most_1920_wide(client, auth, submitted):
    body = report_body(screenshot=data_url(image_bytes(3840, 2160)))
    assert post(client, body, auth).status_code == 202
    [(_, report)] = submitted
    assert "screenshot" not in report
    image = Image.open(io.BytesIO(report["screenshot_image"]))
    assert (image.format, image.size) == ("PNG", (1920, 1080))


def test_jpeg_screenshot_declared_as_png_is_accepted_by_its_content(client, auth, submitted):
    body = report_body(screenshot=data_url(image_bytes(1280, 720, "JPEG"), "image/png"))
    assert post(client, body, auth).status_code == 202
    image = Image.open(io.BytesIO(submitted[0][1]["screenshot_image"]))
    assert (image.format, image.size) == ("PNG", (1280, 720))


def test_report_without_screenshot_hands_none(client, auth, submitted):
    assert post(client, report_body(screenshot=None), auth).status_code == 202
    assert submitted[0][1]["screenshot_image"] is None


def test_report_is_plain_json_with_normalized_text(client, auth, submitted):
    decomposed = unicodedata.normalize("NFD", "Maija Meikäläinen")
    body = report_body(reporter={"name": decomposed, "email": "maija@acme.example"},
                            doing="Line one\r\nline two\rline three", extra_field="dropped")
    assert post(client, body, auth).status_code == 202
    report = submitted[0][1]
    assert report["reporter"]["name"] == "Maija Meikäläinen"
    assert unicodedata.is_normalized("NFC", report["reporter"]["name"])
    assert report["doing"] == "Line one\nline two\nline three"
    assert "extra_field" not in report
    assert report["context"]["occurred_at"] == "2026-11-27T10:15:00+02:00"
    assert report["client_report_id"] == body["client_report_id"]


def test_question_needs_no_error_or_steps(client, auth, submitted):
    body = report_body(kind="question", title="How do I merge two duplicate customers",
                            error=None, steps=[], result="",
                            checklist={"checked_guide": True, "tried_staging": True})
    assert post(client, body, auth).status_code == 202
    assert submitted[0][1]["checklist"] == {"checked_guide": True, "tried_staging": True,
                                            "asked_key_user": False}


def test_error_title_words_satisfy_E3_when_the_dialog_says_oops(client, auth):
    oops = {"kind": "server", "title": "Oops!", "message": "Laskun vahvistus epäonnistui: "
            "tilikausi on lukittu", "details": "Traceback ...", "exception": ""}
    body = report_body(title="Laskua ei voi vahvistaa, tilikausi lukittu", error=oops)
    assert post(client, body, auth).status_code == 202


@pytest.mark.parametrize("url", ["https://erp.acme.example/odoo/action-42",
                                 ACME_STAGING + "/web#id=42&model=sale.order"])
def test_reports_from_the_customers_own_odoo_are_accepted(client, url):
    body = report_body(context=page_context(url=url))
    assert post(client, body, bearer(ACME_KEY)).status_code == 202


def test_question_without_page_is_accepted_for_a_customer_with_origins(client, acme_auth):
    body = report_body(kind="question", title="How do I merge two duplicate customers",
                            error=None, steps=[], result="", context={})
    assert post(client, body, acme_auth).status_code == 202


def test_config_of_the_demo_customer_declares_no_origins(client, auth):
    response = client.get("/api/v1/config", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["environments"] == {"production": [], "staging": []}
    assert body["title_rules"] == title_rules()
    assert body["limits"]["title"] == 200


def test_config_of_a_customer(client, acme_auth):
    body = client.get("/api/v1/config", headers=acme_auth).get_json()
    assert body["name"] == "Acme Oy"
    assert body["language"] == "fi"
    assert body["environments"] == {"production": ["https://erp.acme.example"],
                                    "staging": [ACME_STAGING]}
    assert body["key_user"] == {"name": "Kaisa Pääkäyttäjä", "email": "kaisa@acme.example"}
    assert body["process_guide_url"] == "https://wiki.acme.example/odoo"
    assert body["support_hours"] == "ma–pe 8–16"
    assert body["learning_mode"] is False  # off by default (issue 6); test_config: TOML true
    assert "key_hash" not in body and "support_address" not in body


def test_config_needs_the_key(client):
    response = client.get("/api/v1/config", headers={"Accept-Language": "sv"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"].startswith("En giltig kundnyckel krävs")


def test_messages_fall_back_to_the_customers_language(client, acme_auth):
    response = post(client, report_body(title="Ongelma"), acme_auth)
    assert response.get_json()["error"]["message"].startswith("Ilmoitus on puutteellinen")


def test_messages_default_to_english_without_customer_or_header(client):
    response = post(client, report_body(), {})
    assert response.get_json()["error"]["message"].startswith("A valid customer key")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_a_json_405(client, auth):
    response = client.delete("/api/v1/reports", headers=auth)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_a_bug_is_a_json_500_that_reveals_nothing(app, auth, caplog):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/broken", "broken", broken)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/api/v1/broken", headers=auth)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert b"secret internals" not in response.data
    assert "secret internals" in caplog.text


def test_the_key_never_reaches_the_log(client, acme_auth, caplog):
    with caplog.at_level(logging.DEBUG):
        post(client, report_body(), acme_auth)
        post(client, report_body(title="Ongelma"), acme_auth)
        client.get("/api/v1/config", headers=bearer("wrong-" + ACME_KEY))
    assert "accepted for customer acme" in caplog.text
    assert ACME_KEY not in caplog.text


class TestRateLimit:
    """Reads per key and endpoint (`rate_limit`); reports per key and per client address
    (`rate_limit_reports`), so one customer key can serve a whole company (audit 14)."""

    @pytest.fixture
    def app_config(self):
        return {"RATE_LIMIT": "3 per minute", "RATE_LIMIT_REPORTS": "2 per minute"}

    @staticmethod
    def post_from(client, address, headers, **context):
        body = report_body(context=page_context(**context)) if context else report_body()
        return client.post("/api/v1/reports", json=body, headers=headers,
                           environ_base={"REMOTE_ADDR": address})

    def test_fourth_request_in_a_minute_is_429_with_retry_after(self, client, auth):
        for _ in range(3):
            assert client.get("/api/v1/config", headers=auth).status_code == 200
        response = client.get("/api/v1/config", headers={**auth, "Accept-Language": "fi"})
        assert response.status_code == 429
        error = response.get_json()["error"]
        assert error["code"] == "rate_limited"
        retry_after = int(response.headers["Retry-After"])
        assert 1 <= retry_after <= 61  # the window, rounded up to whole seconds
        assert error["message"] == (f"Liian monta pyyntöä; yritä uudelleen {retry_after} "
                                    "sekunnin kuluttua.")

    def test_limits_are_per_key(self, client, auth, acme_auth):
        for _ in range(3):
            client.get("/api/v1/config", headers=auth)
        assert client.get("/api/v1/config", headers=auth).status_code == 429
        assert client.get("/api/v1/config", headers=acme_auth).status_code == 200

    def test_reports_have_their_own_limit_per_key_with_retry_after(self, client, auth):
        assert [self.post_from(client, f"10.0.0.{n}", auth).status_code
                for n in (1, 2, 3)] == [202, 202, 429]  # three addresses, one key
        response = self.post_from(client, "10.0.0.4", auth)
        assert response.status_code == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 61
        # Reading is counted apart: the receipt and the config still answer.
        assert client.get("/api/v1/config", headers=auth).status_code == 200

    def test_reports_are_limited_per_client_address_too(self, client, auth, acme_auth):
        acme_page = {"url": "https://erp.acme.example/odoo/sales/42"}
        assert [self.post_from(client, "10.0.0.1", auth).status_code
                for _ in range(2)] == [202, 202]
        # Acme's key is fresh, but this address has used up its reports for the minute.
        assert self.post_from(client, "10.0.0.1", acme_auth, **acme_page).status_code == 429
        assert self.post_from(client, "10.0.0.2", acme_auth, **acme_page).status_code == 202

    def test_healthz_is_not_limited(self, client):
        assert all(client.get("/healthz").status_code == 200 for _ in range(6))


class TestRateLimitBehindAProxy:
    @pytest.fixture
    def app_config(self):
        return {"RATE_LIMIT_REPORTS": "1 per minute", "PROXY_HOPS": 1}

    def test_the_forwarded_address_is_the_client(self, client, auth, acme_auth):
        """With proxy_hops = 1 the proxy's own address is not everybody's address."""
        def post_via_proxy(client_address, headers, url):
            return client.post(
                "/api/v1/reports", json=report_body(context=page_context(url=url)),
                headers={**headers, "X-Forwarded-For": client_address},
                environ_base={"REMOTE_ADDR": "127.0.0.1"})

        acme_page = "https://erp.acme.example/odoo/sales/42"
        assert post_via_proxy("192.0.2.10", auth, acme_page).status_code == 202
        # Without proxy_hops both would be 127.0.0.1, whose one report is already spent.
        assert post_via_proxy("192.0.2.11", acme_auth, acme_page).status_code == 202


class TestCors:
    def preflight(self, client, origin):
        return client.options("/api/v1/reports", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})

    @pytest.mark.parametrize("origin", [
        CHROME_ORIGIN, "moz-extension://0b1d2c3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"])
    def test_the_extension_may_call_the_api(self, client, origin):
        response = self.preflight(client, origin)
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in response.headers

    @pytest.mark.parametrize("origin", [
        "https://evil.example", "chrome-extension://someotherextensionidxxxxxxxxxxxxx",
        CHROME_ORIGIN + ".evil.example", "null"])
    def test_other_origins_get_no_cors_headers(self, client, auth, origin):
        assert "Access-Control-Allow-Origin" not in self.preflight(client, origin).headers
        response = client.get("/api/v1/config", headers={**auth, "Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers

    def test_errors_carry_cors_headers_for_the_extension(self, client):
        response = client.get("/api/v1/config", headers={"Origin": CHROME_ORIGIN})
        assert response.status_code == 401
        assert response.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN


class TestBodyLimit:
    @pytest.fixture
    def app_config(self):
        return {"MAX_CONTENT_LENGTH": 4096}

    def test_a_body_over_the_configured_limit_is_413(self, client, auth, submitted):
        body = report_body(doing="x" * 5000)
        response = post(client, body, {**auth, "Accept-Language": "en"})
        assert response.status_code == 413
        assert response.get_json()["error"]["message"] == (
            "The request is too large (at most 4096 bytes).")
        assert submitted == []


@pytest.mark.parametrize("url, environment", [
    ("https://ERP.acme.example:443/odoo", "production"),
    ("https://someone@erp.acme.example/odoo", "production"),
    (ACME_STAGING + "/odoo", "staging"),
])
def test_the_server_decides_production_or_staging_from_the_origin(client, acme_auth, submitted,
                                                                  url, environment):
    context = page_context(url=url, environment="unknown")
    assert post(client, report_body(context=context), acme_auth).status_code == 202
    assert submitted[0][1]["context"]["environment"] == environment


@pytest.mark.parametrize("claimed", ["staging", "production"])
def test_a_question_without_a_page_is_unknown_whatever_the_client_claims(
        client, app, acme_auth, submitted, claimed):
    """C1, issue 9: for a customer with origins only the server names the environment."""
    body = report_body(kind="question", title="How do I merge two duplicate customers",
                       error=None, steps=[], result="", context={"environment": claimed})
    response = post(client, body, acme_auth)
    assert response.status_code == 202
    assert submitted[0][1]["context"]["environment"] == "unknown"
    spooled = Path(app.config["OUTBOX"]) / "queue" / response.get_json()["id"] / "message.eml"
    message = email.message_from_bytes(spooled.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("[OSR-") and "STAGING" not in message["Subject"]


def test_the_demo_customer_keeps_the_clients_environment(client, auth, submitted):
    context = page_context(environment="staging")
    assert post(client, report_body(context=context), auth).status_code == 202
    assert submitted[0][1]["context"]["environment"] == "staging"


@pytest.mark.parametrize("header, first_word", [
    ("sv-SE,en;q=0.5", "Rapporten"), ("fi-FI", "Ilmoitus"), ("de-DE,en;q=0.8", "The"),
    ("en-GB,fi;q=0.9", "The"), ("fi;q=0, sv;q=0.5", "Rapporten"),
])
def test_language_is_the_reporters_first_one_we_speak(client, auth, header, first_word):
    response = post(client, report_body(title="Ongelma"),
                    {**auth, "Accept-Language": header})
    assert response.get_json()["error"]["message"].split()[0] == first_word

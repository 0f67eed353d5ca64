"""The table of bad input (issue 2): each gets its 4xx JSON error, in the asked language,
and nothing reaches the outbox."""
import json
from datetime import UTC, datetime

import pytest

from server.config import DEFAULTS
from server.i18n import MESSAGES_BY_LANGUAGE, t
from server.validators.rules import MIN_LENGTH, MIN_WORDS
from tests.server.conftest import make_app
from tests.server.images import SVG, data_url, image_bytes, png_header_only, truncated_png
from tests.server.samples import ACME_KEY, bearer, page_context, report_body

LANGUAGES = ("fi", "en", "sv")
UNLIMITED = "100000 per minute"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module's several hundred requests, each asserting only its own answer:
    building an app per test was most of the module's time. No limit is reached in between."""
    return make_app(tmp_path_factory.mktemp("bad-input") / "outbox", RATE_LIMIT=UNLIMITED,
                    RATE_LIMIT_REPORTS=UNLIMITED, RATE_LIMIT_AUTH_FAILURES=UNLIMITED)

GENERIC_TITLES = [
    # en
    "Problem", "Error", "Error in Odoo", "ERROR IN ODOO!!!", "  bug  ", "Help", "Issue",
    "Question", "error in odoo?", "Odoo error", "It doesn't work", "Urgent problem!",
    # fi
    "Ongelma", "Vika Odoossa", "vika   odoossa!!", "VIRHE", "Apua", "Kysymys", "Ei toimi",
    "Odoo-ongelma", "Virhe Odoossa.",
    # sv
    "Fel", "Problem i Odoo", "Hjälp!", "Fråga", "Fungerar inte", "fel i odoo",
]
TOO_SHORT = ["Invoice fails", "Lasku ei", "Stock move"]
# G2/E3: titles that only repeat the error dialog's title, with that dialog (fi/en/sv).
ONLY_THE_DIALOG_TITLE = [
    ("Validation Error", "Validation Error"), ("Validation Error in Odoo", "Validation Error"),
    ("Error: Validation", "Validation Error"), ("Validation error!!!", "Validation Error"),
    ("Access Error in Odoo again", "Access Error"), ("Oops! Odoo Server Error", "Oops!"),
    ("Odoo Server Error: Oops", "Odoo Server Error"),
    ("Validointivirhe Odoossa kun", "Validointivirhe"),
    ("Valideringsfel i Odoo när", "Valideringsfel"),
]
SEED_FIELDS = {
    "error": ["title", "module", "doing", "expected", "reporter"],
    "question": ["title", "module", "doing", "expected", "reporter"],
}


def question_body(**overrides):
    body = report_body(kind="question", title="How do I merge two duplicate customers",
                            error=None, steps=[], result="", screenshot=None)
    body.update(overrides)
    return body


def case(name, body, status, code, field=None, field_key=None, headers=None, raw=None,
         content_type="application/json", **params):
    return pytest.param(body, status, code, field, field_key, params, headers or {}, raw,
                        content_type, id=name)


def cases():
    for title in GENERIC_TITLES:
        yield case(f"generic-title:{title}", report_body(title=title), 422,
                   "validation_failed", "title", "title_generic")
    for title in TOO_SHORT:
        yield case(f"short-title:{title}", report_body(title=title), 422,
                   "validation_failed", "title", "title_too_short",
                   min_words=MIN_WORDS, min_length=MIN_LENGTH)
    for title, dialog_title in ONLY_THE_DIALOG_TITLE:
        error = {"kind": "validation", "title": dialog_title, "message": "",
                 "details": "", "exception": ""}
        yield case(f"only-dialog-title:{title}", report_body(title=title, error=error), 422,
                   "validation_failed", "title", "title_only_error_title")
    yield case("E3-dialog-title-missing",
               report_body(title="Cannot confirm the sales order S00042"), 422,
               "validation_failed", "title", "title_missing_error_title",
               error_title="Validation Error")
    oops = {"kind": "server", "title": "Oops!", "message": "Lisenssiavain on vanhentunut",
            "details": "", "exception": ""}
    yield case("E3-oops-without-message-words",
               report_body(title="Myyntitilauksen vahvistus epäonnistuu", error=oops), 422,
               "validation_failed", "title", "title_missing_error_words",
               excerpt="Lisenssiavain on vanhentunut")
    for kind, names in SEED_FIELDS.items():
        factory = report_body if kind == "error" else question_body
        for name in names:
            body = factory()
            del body[name]
            yield case(f"missing-{name}-{kind}", body, 422, "validation_failed", name, "required")
    yield case("missing-result-error", report_body(result=""), 422, "validation_failed",
               "result", "result_required")
    yield case("no-steps-error", report_body(steps=[]), 422, "validation_failed",
               "steps", "steps_required")
    yield case("no-error-section", report_body(error=None), 422, "validation_failed",
               "error", "error_required")
    yield case("missing-client-report-id", {k: v for k, v in report_body().items()
                                            if k != "client_report_id"},
               422, "validation_failed", "client_report_id", "required")
    yield case("unknown-kind", report_body(kind="complaint"), 422, "validation_failed",
               "kind", "one_of", choices="error, question")
    for bad, key in (("\r", "line_break"), ("\n", "line_break"), ("\u2028", "line_break"),
                     ("\u2029", "line_break"), ("\x00", "control_character"),
                     ("\u202e", "control_character")):
        label = f"U+{ord(bad):04X}"
        yield case(f"{label}-in-title", report_body(
            title=f"Validation Error when confirming{bad}Bcc: victim@example.com"),
            422, "validation_failed", "title", key)
        yield case(f"{label}-in-reporter-name", report_body(
            reporter={"name": f"Maija{bad}Bcc: x@example.com", "email": "maija@acme.example"}),
            422, "validation_failed", "reporter.name", key)
    yield case("reporter-email-with-header", report_body(
        reporter={"name": "Maija", "email": "maija@acme.example\r\nBcc: x@example.com"}),
        422, "validation_failed", "reporter.email", "line_break")
    yield case("lone-surrogate-in-title", report_body(
        title="Validation Error \ud800 when confirming S00042"), 422, "validation_failed",
        "title", "invalid_character")
    yield case("title-not-a-string", report_body(title={"text": "Validation Error"}), 422,
               "validation_failed", "title", "invalid")
    yield case("steps-not-a-list", report_body(steps="Clicked Confirm"), 422,
               "validation_failed", "steps", "invalid")
    yield case("reporter-not-an-object", report_body(reporter="Maija"), 422,
               "validation_failed", "reporter", "invalid")
    yield case("record-id-not-a-number", report_body(
        context=page_context(record_id="42; DROP TABLE")), 422,
        "validation_failed", "context.record_id", "invalid")
    yield case("page-url-not-http", report_body(
        context=page_context(url="javascript:alert(1)")), 422,
        "validation_failed", "context.url", "invalid_url")
    yield case("occurred-at-without-zone", report_body(
        context=page_context(occurred_at="2026-11-27T10:15:00")), 422,
        "validation_failed", "context.occurred_at", "invalid_datetime")
    # Issue 9: year 1 at +14:00 passed and then overflowed while formatting (a 500).
    for name, moment in (("year-1-plus-14", "0001-01-01T00:00:00+14:00"),
                         ("year-9999-minus-14", "9999-12-31T23:59:59-14:00"),
                         ("year-1-utc", "0001-01-01T00:00:00Z"),
                         ("before-2000", "1999-12-31T23:59:59+00:00"),
                         ("next-year", f"{datetime.now(UTC).year + 1}-12-31T00:00:00+00:00")):
        yield case(f"occurred-at-{name}", report_body(context=page_context(occurred_at=moment)),
                   422, "validation_failed", "context.occurred_at", "datetime_out_of_range",
                   earliest="2000-01-01")
    yield case("reporter-email-invalid", report_body(
        reporter={"name": "Maija", "email": "maija at acme"}), 422, "validation_failed",
        "reporter.email", "invalid_email")
    yield case("client-report-id-not-uuid", report_body(client_report_id="1234"), 422,
               "validation_failed", "client_report_id", "invalid_uuid")
    yield case("title-too-long", report_body(title="Validation Error " + "x" * 300), 422,
               "validation_failed", "title", "too_long", max=200)
    yield case("too-many-steps", report_body(steps=["Clicked Confirm"] * 51), 422,
               "validation_failed", "steps", "too_many", max=50)
    screenshots = {
        "not-an-image": (data_url(b"hello, not an image", "image/png"), "screenshot_not_image"),
        "svg": (data_url(SVG, "image/svg+xml"), "screenshot_not_image"),
        "svg-declared-png": (data_url(SVG, "image/png"), "screenshot_not_image"),
        "gif": (data_url(image_bytes(20, 20, "GIF"), "image/gif"), "screenshot_not_image"),
        "truncated-png": (data_url(truncated_png()), "screenshot_truncated"),
        "not-a-data-url": ("https://evil.example/x.png", "screenshot_not_data_url"),
        "bad-base64": ("data:image/png;base64,!!!not base64!!!", "screenshot_not_data_url"),
    }
    for name, (url, key) in screenshots.items():
        yield case(f"screenshot-{name}", report_body(screenshot=url), 422,
                   "validation_failed", "screenshot", key)
    for name, (width, height) in {"bomb": (100_000, 100_000), "over-bound": (8000, 6000)}.items():
        yield case(f"screenshot-{name}", report_body(
            screenshot=data_url(png_header_only(width, height))), 422, "validation_failed",
            "screenshot", "screenshot_too_many_pixels",
            max_pixels=DEFAULTS["SCREENSHOT_MAX_PIXELS"])
    yield case("oversize-body", report_body(doing="x" * (16 * 1024 * 1024 + 1)), 413,
               "too_large", max_bytes=16 * 1024 * 1024)
    yield case("missing-key", report_body(), 401, "unauthorized",
               headers={"Authorization": None})
    yield case("wrong-key", report_body(), 401, "unauthorized", headers=bearer("nope"))
    yield case("basic-auth-scheme", report_body(), 401, "unauthorized",
               headers={"Authorization": "Basic ZGVtbzpkZW1v"})
    yield case("foreign-origin", report_body(
        context=page_context(url="https://evil.example/odoo/sales/42")),
        403, "forbidden_origin", headers=bearer(ACME_KEY))
    yield case("look-alike-origin", report_body(
        context=page_context(url="https://erp.acme.example.evil.example/")),
        403, "forbidden_origin", headers=bearer(ACME_KEY))
    yield case("error-without-page", report_body(context={}), 403, "forbidden_origin",
               headers=bearer(ACME_KEY))
    yield case("text-plain", None, 415, "unsupported_media_type",
               raw=json.dumps(report_body()), content_type="text/plain")
    yield case("form-encoded", None, 415, "unsupported_media_type", raw="title=Ongelma",
               content_type="application/x-www-form-urlencoded")
    yield case("malformed-json", None, 400, "malformed_json", raw='{"title": "Validation')
    yield case("json-nested-too-deep", None, 400, "malformed_json", raw="[" * 100_000)
    yield case("json-nan", None, 400, "malformed_json", raw='{"kind": NaN}')
    yield case("json-infinity", None, 400, "malformed_json", raw='{"record_id": -Infinity}')
    yield case("not-utf-8", None, 400, "malformed_json", raw=b'{"title": "\xff\xfe"}')
    yield case("json-array", None, 400, "malformed_json", raw="[1, 2, 3]")
    yield case("json-string", None, 400, "malformed_json", raw='"Ongelma"')


TOP_LEVEL_KEYS = {400: "malformed_json", 401: "unauthorized", 403: "forbidden_origin",
                  413: "too_large", 415: "unsupported_media_type", 422: "validation_failed"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "body, status, code, field, field_key, params, headers, raw, content_type", list(cases()))
def test_bad_input_is_refused_in_the_asked_language(
        client, auth, submitted, language, body, status, code, field, field_key, params,
        headers, raw, content_type):
    sent_headers = {**auth, "Accept-Language": language, **headers}
    sent_headers = {k: v for k, v in sent_headers.items() if v is not None}
    data = raw if raw is not None else json.dumps(body).encode("utf-8", "surrogatepass")
    response = client.post("/api/v1/reports", data=data, headers=sent_headers,
                           content_type=content_type)

    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    top_key = "body_not_object" if raw in ("[1, 2, 3]", '"Ongelma"') else TOP_LEVEL_KEYS[status]
    top_params = params if status == 413 else {}
    assert error["message"] == t(top_key, language, **top_params)
    if field:
        assert t(field_key, language, **params) in error["fields"][field]
    assert submitted == []


def test_every_server_message_exists_in_finnish_english_and_swedish():
    assert set(MESSAGES_BY_LANGUAGE) == set(LANGUAGES)
    for key in MESSAGES_BY_LANGUAGE["en"]:
        texts = {MESSAGES_BY_LANGUAGE[language][key] for language in LANGUAGES}
        assert len(texts) == 3 or key in ("not_found",), key


def test_generic_title_is_refused_in_finnish(client, auth, submitted):
    response = client.post("/api/v1/reports", json=report_body(title="Vika Odoossa"),
                           headers={**auth, "Accept-Language": "fi-FI,fi;q=0.9,en;q=0.8"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"]["message"] == "Ilmoitus on puutteellinen tai virheellinen; katso kentät."
    assert body["error"]["fields"]["title"] == [
        "Otsikko on liian yleinen. Kerro mikä epäonnistuu ja missä, esim. "
        "\"Validation Error myyntitilauksen S00042 vahvistuksessa\"."]
    assert submitted == []


@pytest.mark.parametrize("recipient_field", ["to", "cc", "bcc", "recipients", "reply_to"])
def test_recipient_fields_in_the_body_are_ignored(client, auth, submitted, app,
                                                  recipient_field):
    """G1: only the configured support address ever receives a ticket (no open relay)."""
    body = report_body(**{recipient_field: ["attacker@evil.example"]})
    body["reporter"]["cc"] = "attacker@evil.example"
    response = client.post("/api/v1/reports", json=body, headers=auth)
    assert response.status_code == 202
    [(customer, report)] = submitted
    assert customer.support_address == "support@example.com"
    assert "attacker@evil.example" not in json.dumps(
        {k: v for k, v in report.items() if k != "screenshot_image"})


ODD_VALUES = [None, True, -1, 1.5, 10**30, 1e308, "", "x" * 300, [], ["a", {"b": 1}], {},
              {"nested": {"deeper": [1]}}]


def field_paths(body, prefix=()):
    """Every key of the report, nested ones included, as a tuple path."""
    for key, value in body.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from field_paths(value, (*prefix, key))


def with_value(body, path, value):
    changed = json.loads(json.dumps(body))
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_odd_json_types_in_any_field_never_cause_a_500(client, auth, value):
    """Fuzzing by hand: each field in turn gets a value of the wrong type or size."""
    base = report_body(checklist={"checked_guide": True, "tried_staging": False,
                                  "asked_key_user": True})
    for path in field_paths(base):
        response = client.post("/api/v1/reports", json=with_value(base, path, value),
                               headers=auth)
        assert response.status_code in (202, 422), (path, response.status_code)
        assert response.mimetype == "application/json", path
        if response.status_code == 422:
            assert response.get_json()["error"]["code"] == "validation_failed", path

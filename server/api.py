"""Blueprint /api/v1: accept reports, tell their status, serve the customer's configuration."""
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from flask import Blueprint, copy_current_request_context, current_app, g, jsonify, request, url_for
from marshmallow import ValidationError

from server import customers, limits, openapi
from server.errors import ApiError
from server.helpdesk_status import helpdesk_status
from server.i18n import t
from server.mail.headers import UnsafeHeader
from server.outbox.reports import StorageFull
from server.redact import redact_report
from server.screenshots import ScreenshotError, bounds_from_config, process_screenshot
from server.validators.report import LIMITS, ReportSchema
from server.validators.rules import title_rules
from server.workdays import expected_answer_by

bp = Blueprint("api", __name__, url_prefix="/api/v1")
STORAGE_FULL_RETRY = 300  # seconds: freeing disk space takes an operator
# Screenshots are decoded and re-encoded by two threads per process, not by the request
# threads: memory Pillow frees stays in the malloc arena of the thread that used it, so each
# of 16 request threads kept an image's worth (issue 13: 50 clients grew the server from 115
# to 509 MB). Two keep the process's core busy while Pillow works without the GIL.
SCREENSHOT_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="screenshots")
log = logging.getLogger(__name__)


def current_customer():
    """The customer whose key is in `Authorization: Bearer <key>`, else a 401.

    An address with too many failed keys gets a 429 before its key is even compared.
    """
    retry_after = limits.auth_failures_retry_after()
    if retry_after is not None:
        raise ApiError(429, "rate_limited", t("auth_rate_limited", retry_after=retry_after),
                       headers={"Retry-After": str(retry_after)})
    key = customers.bearer_key(request.headers.get("Authorization", ""))
    customer = customers.find_by_key(current_app.config["CUSTOMERS"], key)
    if customer is None:
        limits.count_auth_failure()
        raise ApiError(401, "unauthorized", t("unauthorized"),
                       headers={"WWW-Authenticate": 'Bearer realm="support-reporter"'})
    g.customer = customer
    return customer


def json_body() -> dict:
    """The request's JSON object: 415 when it is not JSON, 400 when it does not parse."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", t("unsupported_media_type"))
    data = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 here
    try:
        body = json.loads(data, parse_constant=refuse_constant)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise ApiError(400, "malformed_json", t("malformed_json")) from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", t("body_not_object"))
    return body


def refuse_constant(name: str):
    """NaN and Infinity are not JSON (RFC 8259), though Python's parser accepts them."""
    raise ValueError(f"{name} is not JSON")


def flatten(messages, prefix: str = "") -> dict:
    """marshmallow's nested messages as {"reporter.name": [...], "steps.0": [...]}."""
    if isinstance(messages, list | tuple):
        return {prefix or "_body": [str(m) for m in messages]}
    flat = {}
    for key, value in messages.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        for name, texts in flatten(value, path).items():
            flat.setdefault(name, []).extend(texts)
    return flat


def validation_error(fields: dict) -> ApiError:
    return ApiError(422, "validation_failed", t("validation_failed"), fields=fields)


def load_report(body: dict) -> dict:
    """The report as the schema loads it (NFC, bounded, rules applied), or a 422."""
    try:
        return ReportSchema().load(body)
    except ValidationError as error:
        raise validation_error(flatten(error.messages)) from None


def check_origin(customer, report: dict) -> None:
    """403 when the page is not one of this customer's Odoo origins (if any are declared).

    When origins are declared, the server, not the client, says whether the report comes
    from production or staging (C1): the ticket's [STAGING] tag can be trusted. A question
    asked without a page is `unknown`, never what the client claimed (issue 9).
    """
    if not customer.origins:
        return
    url = report["context"].get("url", "")
    if not url and report["kind"] == "question":
        report["context"]["environment"] = "unknown"
        return  # a how-to question may be asked from any page (A1–A4)
    origin = customers.origin_of(url)
    if origin not in customer.origins:
        raise ApiError(403, "forbidden_origin", t("forbidden_origin"))
    report["context"]["environment"] = customer.environment_of(origin)


def screenshot_image(report: dict) -> bytes | None:
    """The report's screenshot as a clean PNG or JPEG, or a 422 naming the screenshot field."""
    data_url = report.pop("screenshot", None)
    if not data_url:
        return None
    try:
        # The pool's thread answers in this request's language (ScreenshotError's text).
        job = SCREENSHOT_THREADS.submit(copy_current_request_context(process_screenshot),
                                        data_url, bounds_from_config(current_app.config))
        return job.result()
    except ScreenshotError as error:
        raise validation_error({"screenshot": [str(error)]}) from None


@bp.post("/reports")
def create_report():
    """Accept a report: 202 once the outbox holds it durably."""
    customer = current_customer()
    report = load_report(json_body())
    check_origin(customer, report)
    report = redact_report(report)  # again: the extension redacts, but not every client does
    received_at = datetime.now(UTC)
    report["screenshot_image"] = screenshot_image(report)
    report["received_at"] = received_at.isoformat()
    report["expected_answer_by"] = expected_answer_by(received_at, customer)
    try:
        submission = current_app.extensions["outbox"].submit(customer, report)
    except UnsafeHeader as error:
        # The ticket failed its check before spooling: nothing was stored, nothing is sent.
        log.warning("report refused for customer %s: %s", customer.id, error)
        raise ApiError(422, "unsafe_header", t("unsafe_header")) from None
    except StorageFull:
        # Never a false 202; a 503 the client retries after a while (the operator must
        # free space; the error is logged).
        raise ApiError(503, "storage_full", t("storage_full", retry_after=STORAGE_FULL_RETRY),
                       headers={"Retry-After": str(STORAGE_FULL_RETRY)}) from None
    answer_by = (expected_answer_by(submission.created_at, customer) if submission.duplicate
                 else report["expected_answer_by"])
    log.info("report %s (%s) accepted for customer %s%s", submission.id, submission.reference,
             customer.id, " (duplicate)" if submission.duplicate else "")
    response = jsonify({"id": submission.id, "reference": submission.reference,
                        "status": submission.status, "expected_answer_by": answer_by})
    response.status_code = 202
    response.headers["Location"] = url_for("api.report_status", report_id=submission.id)
    return response


@bp.get("/reports/<report_id>")
def report_status(report_id: str):
    """The delivery status of one of this customer's reports."""
    customer = current_customer()
    status = current_app.extensions["outbox"].status(report_id)
    # Another customer's report is "not found": ids reveal nothing across customers.
    if status is None or status.get("customer_id") != customer.id:
        raise ApiError(404, "not_found", t("not_found"))
    keys = ("id", "reference", "status", "sent_at")
    answer = {key: status[key] for key in keys if status.get(key) is not None}
    if "failure_code" in status:
        # A closed set of codes: the mail server's own words may name hosts, addresses
        # or software versions, and stay with the operator (`outbox status`).
        code = status["failure_code"]
        answer["failure"] = {"code": code, "message": t(f"delivery_{code}")}
    if status["status"] == "sent":
        ticket = helpdesk_status(current_app.config, current_app.extensions["outbox"].history,
                                 status["reference"], customer)
        if ticket is not None:
            answer["helpdesk"] = ticket
    return jsonify(answer)


@bp.get("/config")
def customer_config():
    """What the extension needs for this customer (C1–C4, G2 title rules, G6 hours)."""
    customer = current_customer()
    return jsonify({
        "customer_id": customer.id,
        "name": customer.name,
        "language": customer.language,
        "timezone": customer.timezone,
        "environments": {"production": list(customer.production_origins),
                         "staging": list(customer.staging_origins)},
        "key_user": {"name": customer.key_user_name, "email": customer.key_user_email},
        "process_guide_url": customer.process_guide_url,
        "support_hours": customer.support_hours,
        "learning_mode": customer.learning_mode,
        "title_rules": title_rules(),
        "limits": LIMITS,
    })


@bp.get("/openapi.json")
def openapi_document():
    """The API's OpenAPI 3 description, generated from the schemas."""
    return jsonify(openapi.spec_dict())

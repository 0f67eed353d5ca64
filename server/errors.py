"""The one error shape: every failure leaves as {"error": {"code", "message", "fields"}}."""
import logging

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from server.i18n import t
from server.limits import retry_after_seconds
from server.logsafe import printable

log = logging.getLogger(__name__)

# HTTP status → (code, message key) for failures raised by Flask, Werkzeug or extensions.
STATUS_CODES = {
    400: ("bad_request", "bad_request"),
    401: ("unauthorized", "unauthorized"),
    403: ("forbidden_origin", "forbidden_origin"),
    404: ("not_found", "not_found"),
    405: ("method_not_allowed", "method_not_allowed"),
    413: ("too_large", "too_large"),
    415: ("unsupported_media_type", "unsupported_media_type"),
    422: ("validation_failed", "validation_failed"),
    429: ("rate_limited", "rate_limited"),
}


class ApiError(Exception):
    """A failure the client can act on, with its status, code and translated message."""

    def __init__(self, status: int, code: str, message: str, fields=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, fields=None, headers=None):
    """The JSON response every failure leaves through."""
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_api_error(error: ApiError):
    """A refusal the client caused; logged by code only (never the body or the key)."""
    # The path is decoded client text: escaped here too, whatever handler the host installed.
    log.info("%s %s refused: %d %s", printable(request.method), printable(request.path),
             error.status, error.code)
    return error_response(error.status, error.code, error.message, error.fields, error.headers)


def handle_http_exception(error: HTTPException):
    """Werkzeug's HTML error pages, replaced by the JSON shape."""
    status = error.code or 500
    code, key = STATUS_CODES.get(status, ("http_error", "bad_request"))
    params, headers = {}, {}
    if status == 413:
        params["max_bytes"] = current_app.config["MAX_CONTENT_LENGTH"]
    if status == 429:
        params["retry_after"] = retry_after_seconds()
        headers["Retry-After"] = str(params["retry_after"])
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, code, t(key, **params), headers=headers)


def handle_unexpected(error: Exception):
    """A bug: logged with its traceback, answered with a 500 that reveals nothing."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error")
    return error_response(500, "internal_error", t("internal_error"))


def init_app(app):
    """Route every failure of the app, API or not, through the one shape."""
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)

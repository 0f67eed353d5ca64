"""OpenAPI 3 description of API v1, generated from the marshmallow schemas (apispec)."""
import functools

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from server.validators import fields as report_fields
from server.validators.report import ReportSchema
from server.validators.responses import (
    CustomerConfigSchema,
    ErrorResponseSchema,
    HealthSchema,
    ReportAcceptedSchema,
    ReportStatusSchema,
)

ERROR_RESPONSES = {
    400: "Malformed JSON, or a body that is not a JSON object.",
    401: "Missing or unknown customer key.",
    403: "The report's page is not one of this customer's Odoo origins.",
    404: "No such report for this customer.",
    405: "Method not allowed on this path.",
    413: "The request body is larger than MAX_CONTENT_LENGTH.",
    415: "The body is not application/json.",
    422: "The report breaks a rule (code validation_failed; fields names each problem), or "
         "its ticket failed the header check before spooling (code unsafe_header).",
    429: "Rate limited; the Retry-After header says when to try again.",
    500: "Unexpected server failure; the report was not accepted.",
    503: "The server's disk is full; the report was not accepted. Retry-After says when "
         "to try again.",
}


def field_constraints(converter, field, **kwargs) -> dict:
    """Our fields' bounds and formats, which apispec cannot see by itself."""
    spec = {}
    if isinstance(field, report_fields.Choice):
        spec["enum"] = list(field.choices)
    elif isinstance(field, report_fields.BoundedString):
        spec["maxLength"] = field.max_length
        if field.required:  # a required text is refused when empty
            spec["minLength"] = 1
    if isinstance(field, report_fields.List):
        spec["maxItems"] = field.max_items
    formats = {report_fields.Email: "email", report_fields.Url: "uri",
               report_fields.Uuid: "uuid", report_fields.AwareDateTime: "date-time"}
    for field_class, name in formats.items():
        if isinstance(field, field_class):
            spec["format"] = name
    return spec


def json_content(schema) -> dict:
    return {"application/json": {"schema": schema}}


def errors(*statuses: int) -> dict:
    return {str(status): {"$ref": f"#/components/responses/Error{status}"} for status in statuses}


@functools.cache
def spec_dict() -> dict:
    """The document as JSON-able data; built once, it depends on nothing but the code."""
    return build_spec().to_dict()


def build_spec() -> APISpec:
    """The whole document; every status an endpoint can answer is listed."""
    plugin = MarshmallowPlugin()
    spec = APISpec(title="Odoo Support Reporter API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[plugin], info={"description": (
                       "Support reports from the browser extension, validated against the "
                       "partner's support rules and emailed to the official support address.")})
    plugin.converter.add_attribute_function(field_constraints)
    for schema in (ReportSchema, ReportAcceptedSchema, ReportStatusSchema, CustomerConfigSchema,
                   ErrorResponseSchema, HealthSchema):
        spec.components.schema(schema.__name__.removesuffix("Schema"), schema=schema)
    spec.components.security_scheme("customerKey", {"type": "http", "scheme": "bearer"})
    spec.components.parameter("AcceptLanguage", "header", {"name": "Accept-Language",
        "schema": {"type": "string"}, "example": "fi-FI,fi;q=0.9,en;q=0.8",
        "description": "Language of error messages: the first of fi, en, sv; else the "
                       "customer's language; else English."})
    for status, description in ERROR_RESPONSES.items():
        response = {"description": description, "content": json_content("ErrorResponse")}
        if status in (429, 503):
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                   "description": "Seconds to wait."}}
        spec.components.response(f"Error{status}", response)
    add_paths(spec)
    return spec


def add_paths(spec: APISpec) -> None:
    secured = [{"customerKey": []}]
    language = "AcceptLanguage"  # apispec turns a component name into its $ref
    spec.path(path="/api/v1/reports", operations={"post": {
        "summary": "Send a support report", "security": secured, "parameters": [language],
        "requestBody": {"required": True, "content": json_content("Report")},
        "responses": {"202": {"description": "Stored durably; the ticket will be emailed.",
                              "content": json_content("ReportAccepted"),
                              "headers": {"Location": {"schema": {"type": "string"},
                                                       "description": "Its status URL."}}},
                      **errors(400, 401, 403, 405, 413, 415, 422, 429, 500, 503)}}})
    spec.path(path="/api/v1/reports/{report_id}", operations={"get": {
        "summary": "Delivery status of a report", "security": secured,
        "parameters": [{"in": "path", "name": "report_id", "required": True,
                        "schema": {"type": "string"}}, language],
        "responses": {"200": {"description": "The status.",
                              "content": json_content("ReportStatus")},
                      **errors(401, 404, 405, 429, 500)}}})
    spec.path(path="/api/v1/config", operations={"get": {
        "summary": "This customer's configuration for the extension", "security": secured,
        "parameters": [language],
        "responses": {"200": {"description": "The configuration.",
                              "content": json_content("CustomerConfig")},
                      **errors(401, 405, 429, 500)}}})
    spec.path(path="/api/v1/openapi.json", operations={"get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.", "content": json_content(
            {"type": "object"})}, **errors(405, 429, 500)}}})
    spec.path(path="/healthz", operations={"get": {
        "summary": "Liveness", "responses": {"200": {"description": "Up.",
                                                     "content": json_content("Health")},
                                             **errors(405, 500)}}})

"""openapi.json: a valid OpenAPI 3 document, generated from the schemas, every status listed."""
from openapi_spec_validator import validate

from server.validators.report import ReportSchema


def test_openapi_json_validates_as_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_status_of_the_report_endpoint_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    responses = document["paths"]["/api/v1/reports"]["post"]["responses"]
    assert set(responses) == {"202", "400", "401", "403", "405", "413", "415", "422", "429",
                              "500", "503"}
    for status in ("Error429", "Error503"):
        assert "Retry-After" in document["components"]["responses"][status]["headers"]


def test_the_status_shows_a_classified_failure_never_the_server_s_text(client):
    """Issue 9: a closed set of failure codes plus a localized message."""
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "reason" not in schemas["ReportStatus"]["properties"]
    failure = schemas["DeliveryFailure"]
    assert set(failure["properties"]) == {"code", "message"}
    assert failure["properties"]["code"]["enum"] == [
        "recipient_refused", "message_rejected", "message_unusable",
        "mail_server_unreachable", "gave_up"]


def test_the_report_schema_comes_from_marshmallow(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Report"]
    assert set(schema["properties"]) == set(ReportSchema().fields)
    assert schema["properties"]["title"]["maxLength"] == 200
    assert schema["properties"]["kind"]["enum"] == ["error", "question"]
    assert {"client_report_id", "kind", "title", "module", "doing", "expected",
            "reporter"} <= set(schema["required"])


def test_the_error_shape_is_documented(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    error = schemas["ErrorBody"]
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_every_keyed_endpoint_documents_accept_language_and_its_errors(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if "security" not in operation:
                continue
            refs = [parameter.get("$ref") for parameter in operation["parameters"]]
            assert "#/components/parameters/AcceptLanguage" in refs, (method, path)
            assert {"401", "429", "500"} <= set(operation["responses"]), (method, path)

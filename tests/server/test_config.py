"""Configuration: defaults → TOML → environment → test overrides, validated with named keys."""
import email
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from email.policy import default as default_policy
from pathlib import Path

import pytest
import requests

from server import create_app
from server.config import ConfigError, load_settings
from server.customers import DEMO_KEY, find_by_key, hash_key
from tests.conftest import free_port, wait_until_answering
from tests.server.samples import customer_toml

ROOT = Path(__file__).resolve().parents[2]
ACME_KEY = "acme-production-key-0123456789"
CUSTOMER_TOML = customer_toml(
    ACME_KEY, language="sv", country="se", extra_holidays=[date(2026, 12, 24), "2026-12-25"],
    timezone="Europe/Stockholm")


def write_config(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_dev_mode_with_the_demo_customer():
    settings = load_settings(environ={})
    assert settings["DEV_MODE"] is True
    assert (settings["HOST"], settings["PORT"]) == ("127.0.0.1", 5000)
    assert settings["MAIL_URL"] == f"file://{Path.cwd()}/var/mail"
    assert settings["OUTBOX"] == str(Path.cwd() / "var" / "outbox")
    assert (settings["RETRY_INITIAL_SECONDS"], settings["RETRY_MAX_SECONDS"]) == (60, 3600)
    assert settings["RETRY_LIFETIME_SECONDS"] == 5 * 24 * 3600
    assert settings["RETRY_MAX_ATTEMPTS"] == 24
    assert find_by_key(settings["CUSTOMERS"], DEMO_KEY).origins == ()


def test_toml_then_environment_then_test_overrides(tmp_path):
    path = write_config(tmp_path, 'port = 6000\nhost = "0.0.0.0"\nsmtp_timeout = 5\n'
                        + CUSTOMER_TOML)
    environ = {"SUPPORT_REPORTER_CONFIG": str(path), "SUPPORT_REPORTER_PORT": "7000",
               "SUPPORT_REPORTER_DELIVERY_WORKER": "false",
               "SUPPORT_REPORTER_RETRY_INITIAL_SECONDS": "0.5",
               "SUPPORT_REPORTER_CORS_ORIGINS": "^chrome-extension://abc$, ^moz-extension://.*$"}
    settings = load_settings({"HOST": "127.0.0.2"}, environ=environ)
    assert settings["PORT"] == 7000
    assert settings["HOST"] == "127.0.0.2"
    assert settings["SMTP_TIMEOUT"] == 5
    assert settings["DELIVERY_WORKER"] is False
    assert settings["RETRY_INITIAL_SECONDS"] == 0.5
    assert settings["CORS_ORIGINS"] == ("^chrome-extension://abc$", "^moz-extension://.*$")
    assert settings["DEV_MODE"] is False


def test_customers_from_toml(tmp_path):
    path = write_config(tmp_path, CUSTOMER_TOML)
    [customer] = load_settings(environ={"SUPPORT_REPORTER_CONFIG": str(path)})["CUSTOMERS"]
    assert find_by_key([customer], ACME_KEY) is customer
    assert find_by_key([customer], DEMO_KEY) is None
    assert customer.production_origins == ("https://acme.odoo.com",)
    assert customer.environment_of("https://acme-staging.odoo.com") == "staging"
    assert customer.extra_holidays == {date(2026, 12, 24), date(2026, 12, 25)}
    assert customer.country == "SE"
    assert (customer.key_user_name, customer.language) == ("Kaisa Pääkäyttäjä", "sv")
    assert ACME_KEY not in repr(customer)


def test_learning_mode_of_a_customer_reaches_the_extension(tmp_path):
    """Issue 6: `learning_mode = true` in a customer's table is served by GET /api/v1/config;
    a customer without the key gets the default, off."""
    quiet_key = "beta-production-key-0123456789"
    path = write_config(tmp_path, CUSTOMER_TOML + 'learning_mode = true\n' + f"""
[[customers]]
id = "beta"
name = "Beta Ab"
key_sha256 = "{hash_key(quiet_key)}"
support_address = "tuki@partner.example"
""")
    app = create_app({"CONFIG_FILE": str(path), "TESTING": True, "MAIL_URL": "memory://",
                      "OUTBOX": str(tmp_path / "outbox"), "DELIVERY_WORKER": False})
    client = app.test_client()
    served = {key: client.get("/api/v1/config", headers={"Authorization": f"Bearer {key}"})
              for key in (ACME_KEY, quiet_key)}
    assert [response.status_code for response in served.values()] == [200, 200]
    assert served[ACME_KEY].get_json()["learning_mode"] is True
    assert served[quiet_key].get_json()["learning_mode"] is False


@pytest.mark.parametrize("text, named", [
    ("port = 70000\n" + CUSTOMER_TOML, "port (SUPPORT_REPORTER_PORT)"),
    ('port = "5000"\n' + CUSTOMER_TOML, "port (SUPPORT_REPORTER_PORT)"),
    ("retry_initial_seconds = 0\n" + CUSTOMER_TOML, "retry_initial_seconds"),
    ("retry_initial_seconds = 7200.0\n" + CUSTOMER_TOML, "retry_initial_seconds"),
    ("retry_max_attempts = 0\n" + CUSTOMER_TOML, "retry_max_attempts"),
    ("retry_max_attempts = 2.5\n" + CUSTOMER_TOML, "retry_max_attempts"),
    ('mail_url = "http://mail.example"\n' + CUSTOMER_TOML, "mail_url"),
    ('mail_url = "smtp://"\n' + CUSTOMER_TOML, "mail_url (SUPPORT_REPORTER_MAIL_URL): MAIL_URL"),
    ('mail_url = "file://relative/mail"\n' + CUSTOMER_TOML, "mail_url"),
    ('mail_from = "support desk"\n' + CUSTOMER_TOML, "mail_from"),
    ('mail_from = "Desk <=?utf-8?q?x=0A?=@partner.example>"\n' + CUSTOMER_TOML, "mail_from"),
    ('rate_limit = "lots"\n' + CUSTOMER_TOML, "rate_limit"),
    ('cors_origins = ["(unclosed"]\n' + CUSTOMER_TOML, "cors_origins"),
    ("colour = 1\n" + CUSTOMER_TOML, "colour"),
    ("port = \n", "not valid TOML"),
    ("port = 5000\n", "customers"),
    ("customers = 5\n", "customers: expected [[customers]] tables"),
    (CUSTOMER_TOML.replace('language = "sv"', 'language = "de"'), "customers[0].language"),
    (CUSTOMER_TOML.replace("Europe/Stockholm", "Mars/Olympus"), "customers[0].timezone"),
    (CUSTOMER_TOML.replace('"https://acme.odoo.com/"', '"acme.odoo.com"'),
     "customers[0].production_origins"),
    (CUSTOMER_TOML.replace('"tuki@partner.example"', '"nobody"'), "customers[0].support_address"),
    (CUSTOMER_TOML.replace('"tuki@partner.example"', '"=?utf-8?q?x=0ABcc:_e?=@partner.example"'),
     "customers[0].support_address"),
    (CUSTOMER_TOML.replace("2026-12-24,", '"24.12.2026",'), "customers[0].extra_holidays"),
    (CUSTOMER_TOML.replace('"se"', '"Suomi"'), "customers[0].country: 'Suomi' is not a country"),
    (CUSTOMER_TOML.replace("extra_holidays", "holidays"), "customers[0].holidays: now extra_"),
    (CUSTOMER_TOML.replace(hash_key(ACME_KEY), "abc"), "customers[0].key_sha256"),
    (CUSTOMER_TOML.replace(hash_key(ACME_KEY), hash_key(DEMO_KEY)), "demo key"),
    (CUSTOMER_TOML + CUSTOMER_TOML.replace('id = "acme"', 'id = "b"'), "customers[1].key_sha256"),
    (CUSTOMER_TOML.replace('timezone =', 'favourite = 1\ntimezone ='), "customers[0].favourite"),
])
def test_a_bad_value_is_refused_naming_its_key(tmp_path, text, named):
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={"SUPPORT_REPORTER_CONFIG": str(path)})
    assert named in str(refused.value)


def test_every_bad_value_is_named_at_once(tmp_path):
    path = write_config(tmp_path, 'port = 0\nmail_sender_mode = "nobody"\n' + CUSTOMER_TOML
                        .replace('language = "sv"', 'language = "de"')
                        .replace('"tuki@partner.example"', '"tuki"'))
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={"SUPPORT_REPORTER_CONFIG": str(path)})
    assert str(refused.value) == (
        "port (SUPPORT_REPORTER_PORT): must be greater than zero, got 0; "
        "mail_sender_mode (SUPPORT_REPORTER_MAIL_SENDER_MODE): must be one of server, reporter")
    path = write_config(tmp_path, CUSTOMER_TOML.replace('language = "sv"', 'language = "de"')
                        .replace('"tuki@partner.example"', '"tuki"'))
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={"SUPPORT_REPORTER_CONFIG": str(path)})
    assert str(refused.value) == (
        "customers[0].support_address: 'tuki' is not a plain e-mail address like "
        "'name@partner.example' (ASCII, no quotes or '=?'); "
        "customers[0].language: must be one of fi, en, sv")


# Each variable's bad values, and what the refusal must say is wrong with each.
BAD_ENVIRONMENT = {
    "SUPPORT_REPORTER_PORT": {"five": "not an integer"},
    "SUPPORT_REPORTER_DELIVERY_WORKER": {"maybe": "not a boolean"},
    "SUPPORT_REPORTER_SMTP_TIMEOUT": {"-1": "greater than zero"},
    "SUPPORT_REPORTER_MAX_CONTENT_LENGTH": {"0": "greater than zero"},
    "SUPPORT_REPORTER_RATE_LIMIT": {"many per minute": "60 per minute"},
    "SUPPORT_REPORTER_RATE_LIMIT_REPORTS": {"60 per fortnight": "60 per minute"},
    "SUPPORT_REPORTER_RATE_LIMIT_AUTH_FAILURES": {"twenty per minute": "60 per minute"},
    "SUPPORT_REPORTER_RATE_LIMIT_STORAGE": {"postgres://db": "unknown storage"},
    "SUPPORT_REPORTER_PROXY_HOPS": {"-1": "or more"},
    # server/mail/backends (and the Odoo backend's parse_url) say what is wrong with a URL.
    "SUPPORT_REPORTER_MAIL_URL": {
        "ftp://mail.example": "scheme",
        "file://relative/dir": "absolute",
        "smtp://": "host",
        "smtp://mail.example?tls=yes": "unknown option",
        "smtp://mail.example?timeout=soon": "timeout",
        "odoo+http://partner.example/?db=x": "only for loopback",
        "odoo+https://partner.example/?model=helpdesk.ticket": "database is missing",
        "odoo+https://partner.example/?db=x&colour=red": "unknown option",
        "odoo+https://partner.example/?db=x&api=soap": "api must be",
    },
}


@pytest.mark.parametrize("variable, value, reason", [
    (variable, value, reason)
    for variable, values in BAD_ENVIRONMENT.items() for value, reason in values.items()])
def test_a_bad_environment_variable_is_refused_naming_it_and_why(variable, value, reason):
    with pytest.raises(ConfigError, match=rf"\({variable}\): [^;]*{reason}"):
        load_settings(environ={variable: value})


def test_a_missing_config_file_is_named():
    with pytest.raises(ConfigError, match="SUPPORT_REPORTER_CONFIG"):
        load_settings(environ={"SUPPORT_REPORTER_CONFIG": "/nonexistent/config.toml"})


def test_create_app_refuses_a_bad_test_override():
    with pytest.raises(ConfigError, match="workers"):
        create_app({"WORKERS": 0})


def test_the_example_config_is_valid_and_complete():
    settings = load_settings(environ={"SUPPORT_REPORTER_CONFIG": str(ROOT / "config.example.toml")})
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    from server.config import DEFAULTS

    for key in DEFAULTS:
        assert f"\n{key.lower()} = " in text, key
    assert settings["CUSTOMERS"][0].id == "acme"


def test_serve_refuses_a_bad_configuration_naming_the_key():
    result = subprocess.run([sys.executable, "-m", "server", "serve"], cwd=ROOT, timeout=30,
                            capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "SUPPORT_REPORTER_PORT": "five"})
    assert result.returncode == 2
    assert "port (SUPPORT_REPORTER_PORT)" in result.stderr


def test_hash_key_prints_what_the_config_needs():
    result = subprocess.run([sys.executable, "-m", "server", "hash-key", ACME_KEY], cwd=ROOT,
                            timeout=30, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"key_sha256: {hash_key(ACME_KEY)}"


def test_outbox_command_is_delegated(tmp_path):
    result = subprocess.run([sys.executable, "-m", "server", "outbox", "status"], cwd=ROOT,
                            timeout=30, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin",
                                 "SUPPORT_REPORTER_OUTBOX": str(tmp_path / "outbox")})
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "outbox") in result.stdout


def readme_example_request() -> dict:
    """The JSON of the README's curl example (section "Try it"): the
    `<<'JSON'` heredoc, read from README.md so that the test checks what users copy."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<<'JSON'\n(.*?)\nJSON\n", readme, re.DOTALL)
    if found is None:
        pytest.fail("README.md has no curl example with a <<'JSON' heredoc (section "
                    "\"Try it\"); this test posts that example")
    try:
        return json.loads(found.group(1))
    except json.JSONDecodeError as error:
        pytest.fail(f"the README's <<'JSON' example is not valid JSON: {error}")


@pytest.fixture
def fresh_checkout_server(tmp_path):
    """`make run`'s `python -m server serve` in an empty folder: no config, no environment."""
    port = free_port()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("SUPPORT_REPORTER_")}
    # The port is the one setting given: 5000 may be taken on a shared test machine.
    env.update(PYTHONPATH=str(ROOT), SUPPORT_REPORTER_PORT=str(port), PYTHONUNBUFFERED="1")
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=tmp_path,
                                   env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, url + "/healthz", "server",
                             lambda: log.read_text()[-3000:], timeout=40)
        yield url, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


@pytest.mark.slow
def test_serve_in_dev_mode_prints_the_key_and_the_example_request_leaves_an_eml(
        fresh_checkout_server, tmp_path):
    """The README's example: `make run`, one curl with the demo key, an .eml in var/mail/."""
    url, log = fresh_checkout_server
    response = requests.post(url + "/api/v1/reports", json=readme_example_request(),
                             headers={"Authorization": "Bearer demo"}, timeout=10)
    assert response.status_code == 202, response.text
    mail_dir = tmp_path / "var" / "mail"
    sent = tmp_path / "var" / "outbox" / "sent" / response.json()["id"]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not sent.is_dir():
        time.sleep(0.1)
    assert sent.is_dir()  # the default spool, var/outbox, recorded the delivery
    [eml] = mail_dir.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["Message-ID"] == f"<{response.json()['id']}@localhost>"
    assert message["To"] == "support@example.com"
    assert "demo customer key: demo" in log.read_text()
    assert f"{url}/" in log.read_text()


def test_dev_mode_listens_only_on_loopback():
    with pytest.raises(ConfigError, match="host .*loopback"):
        load_settings(environ={"SUPPORT_REPORTER_HOST": "0.0.0.0"})


def test_default_rate_limits_fit_a_key_shared_by_a_whole_company():
    """Audit 14: ~150 browsers read the config every 5 minutes with one key; reports are rare."""
    settings = load_settings(environ={})
    assert settings["RATE_LIMIT"] == "600 per minute"
    assert settings["RATE_LIMIT_REPORTS"] == "60 per minute"
    # A browser with a stale key asks about 12 times an hour: far below, even behind one NAT.
    assert settings["RATE_LIMIT_AUTH_FAILURES"] == "20 per minute; 200 per hour"
    assert settings["PROXY_HOPS"] == 0


def test_the_smtp_password_is_never_printed():
    from server.mail.backends import describe_url

    assert describe_url("smtp://mailer:s3cret@smtp.example:587?starttls=true") == \
        "smtp://mailer:***@smtp.example:587?starttls=true"
    assert describe_url("file:///srv/mail") == "file:///srv/mail"

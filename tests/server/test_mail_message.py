"""The ticket email: headers, the seed's order, languages, escaping, attachments (G1, E5, G6)."""
import base64
import dataclasses
import json
import sys
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import default as default_policy

import pytest

from server.mail.headers import UnsafeHeader, check_serialized, unstructured
from server.mail.message import build_ticket, fingerprint, subject, ticket_bytes, ticket_headers
from tests.server.hostile import ATTACKER, WORDS, b_word
from tests.server.images import image_bytes
from tests.server.samples import ACME, MAIL_FROM, error_report, question_report

CREATED = datetime(2026, 11, 27, 10, 0, 5, tzinfo=UTC)


def ticket(report=None, customer=ACME, report_id="01m8fd9bng7gyhkvb9pydwdty3"):
    return build_ticket(customer, report or error_report(), report_id=report_id,
                        reference="OSR-7K2Q9", created_at=CREATED, mail_from=MAIL_FROM)


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def test_ticket_goes_only_to_the_configured_support_address():
    hostile = error_report(to="attacker@evil.example", cc="x@evil.example", bcc="y@evil.example")
    message = ticket(hostile)
    assert message["To"] == "support@partner.example"
    assert message["Cc"] is None and message["Bcc"] is None
    assert message["From"] == MAIL_FROM
    assert message["Reply-To"] == "Maija Meikäläinen <maija@acme.example>"


def test_message_id_and_date_are_stable_for_one_report():
    first, again = ticket(), ticket()
    expected = "<01m8fd9bng7gyhkvb9pydwdty3@partner.example>"
    assert first["Message-ID"] == again["Message-ID"] == expected
    assert first["Date"] == again["Date"] == "Fri, 27 Nov 2026 10:00:05 +0000"
    assert ticket(report_id="01m8fd9bng7gyhkvb9pydwdty4")["Message-ID"] != first["Message-ID"]


def test_subject_names_reference_customer_module_and_title():
    assert ticket()["Subject"] == ("[OSR-7K2Q9] Acme Oy · Sales · Validation Error: missing "
                                   "customer when confirming quotation S00042")


def test_staging_reports_are_marked_in_the_subject():
    report = error_report()
    report["context"]["environment"] = "staging"
    assert ticket(report)["Subject"].startswith("[STAGING] [OSR-7K2Q9] Acme Oy")


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\x00", "\u2028", "\x85"])
def test_no_line_break_reaches_a_header(breaker):
    report = error_report(title=f"Bad{breaker}Bcc: victim@example.com")
    report["reporter"]["name"] = f"Maija{breaker}Bcc: x@evil.example"
    message = ticket(report)
    assert message["Subject"].endswith("Bad Bcc: victim@example.com")
    assert message["Bcc"] is None
    headers = message.as_bytes().split(b"\n\n", 1)[0].split(b"\n")
    assert not [line for line in headers if line.lower().startswith(b"bcc")]
    assert message["Reply-To"].addresses[0].addr_spec == "maija@acme.example"


def test_long_subjects_are_folded_into_short_lines():
    message = ticket(error_report(title="Validation Error " + "pitkä otsikko " * 30))
    header_lines = message.as_bytes().split(b"\n\n", 1)[0].split(b"\n")
    assert max(len(line) for line in header_lines) <= 78


def test_text_part_follows_the_seeds_order_in_finnish():
    text = text_of(ticket())
    order = ["Mitä käyttäjä oli tekemässä", "Confirming a quotation", "Vaiheet ennen virhettä",
             "1. Opened Sales > Quotations", "3. Clicked Confirm", "Lopputulos / virheilmoitus",
             "missing customer on S00042", "Odotettu lopputulos", "The quotation becomes",
             "Moduuli", "Ympäristö", "TUOTANTO", "https://erp.acme.example/odoo/sales/42",
             "Odoo-versio: 17.0", "Tietokanta: acme",
             "Aika: pe 27.11.2026 klo 12.00 (Europe/Helsinki)",
             "Epäonnistunut palvelinkutsu", "method: action_confirm",
             "Vastaus viimeistään", "ma 30.11.2026 klo 12.00 (Europe/Helsinki)"]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize("language, doing_label, answer_label", [
    ("en", "What the user was doing", "Expected answer by"),
    ("sv", "Vad användaren gjorde", "Svar senast"),
    ("fi", "Mitä käyttäjä oli tekemässä", "Vastaus viimeistään"),
])
def test_both_parts_are_in_the_customers_language(language, doing_label, answer_label):
    message = ticket(customer=dataclasses.replace(ACME, language=language))
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_payload()[0].get_content_type() == "multipart/alternative"
    for part in (text_of(message), html_of(message)):
        assert doing_label in part and answer_label in part


def test_html_escapes_everything_the_user_wrote():
    report = error_report(doing='<script>alert("x")</script> & <b>more</b>',
                          steps=["<img src=x onerror=alert(1)>"])
    html = html_of(ticket(report))
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in html
    assert '<script>alert("x")</script>' in text_of(ticket(report))


def test_screenshot_is_in_the_email_once_inline_with_a_file_name():
    png = image_bytes(64, 32)
    message = ticket(error_report(screenshot_image=png))
    related = message.get_payload()[0].get_payload()[1]
    assert related.get_content_type() == "multipart/related"
    inline_image = related.get_payload()[1]
    assert inline_image.get_content() == png
    assert inline_image["Content-ID"] == "<screenshot.01m8fd9bng7gyhkvb9pydwdty3@partner.example>"
    assert inline_image.get_content_disposition() == "inline"
    assert inline_image.get_filename() == "screenshot.png"  # a mail client can save it
    assert 'src="cid:screenshot.01m8fd9bng7gyhkvb9pydwdty3@partner.example"' in html_of(message)
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert images == [inline_image]
    assert message.as_bytes().count(base64.b64encode(png)[:40]) == 1
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert list(attachments) == ["error-details.txt", "report.json"]
    assert attachments["error-details.txt"].get_content() == error_report()["error"]["details"]
    report_json = json.loads(attachments["report.json"].get_content())
    assert report_json["screenshot"] == {
        "filename": "screenshot.png",
        "content_id": "<screenshot.01m8fd9bng7gyhkvb9pydwdty3@partner.example>"}
    assert "screenshot_image" not in report_json
    assert report_json["id"] == "01m8fd9bng7gyhkvb9pydwdty3"
    assert report_json["reference"] == "OSR-7K2Q9"
    assert report_json["steps"] == error_report()["steps"]


def test_a_jpeg_screenshot_travels_as_image_jpeg_named_screenshot_jpg():
    """Issue 13: the codec chosen for the screenshot names its part, file and report.json entry."""
    jpeg = image_bytes(64, 32, "JPEG")
    message = ticket(error_report(screenshot_image=jpeg))
    [inline_image] = [part for part in message.walk()
                      if part.get_content_maintype() == "image"]
    assert inline_image.get_content_type() == "image/jpeg"
    assert inline_image.get_content() == jpeg
    assert inline_image.get_filename() == "screenshot.jpg"
    assert inline_image.get_content_disposition() == "inline"
    cid = "screenshot.01m8fd9bng7gyhkvb9pydwdty3@partner.example"
    assert inline_image["Content-ID"] == f"<{cid}>"
    assert f'src="cid:{cid}"' in html_of(message)
    assert "screenshot.jpg" in text_of(message)
    report_json = json.loads({part.get_filename(): part for part in message.iter_attachments()}
                             ["report.json"].get_content())
    assert report_json["screenshot"] == {"filename": "screenshot.jpg", "content_id": f"<{cid}>"}



def test_question_shows_the_checklist_and_has_no_error_details():
    message = ticket(question_report())
    text = text_of(message)
    assert "Ennen kysymistä" in text and "A1" not in text
    assert "- Kokeiltu testiympäristössä: kyllä" in text
    assert "- Kysytty kollegalta tai pääkäyttäjältä: ei" in text
    assert [part.get_filename() for part in message.iter_attachments()] == ["report.json"]
    assert "Ennen kysymistä" not in text_of(ticket())


def test_fingerprint_ignores_numbers_but_not_the_failing_call():
    base = error_report()
    other_record = error_report(title="Validation Error on S00077")
    other_record["context"]["record_id"] = 77
    assert fingerprint(base) == fingerprint(other_record)
    other_method = error_report()
    other_method["context"]["rpc"]["method"] = "write"
    assert fingerprint(other_method) != fingerprint(base)
    assert ticket()["X-Support-Fingerprint"] == fingerprint(base)
    assert len(fingerprint(base)) == 16


def test_subject_without_module_keeps_its_shape():
    assert subject(ACME, error_report(module=""), "OSR-AAAAA") == (
        "[OSR-AAAAA] Acme Oy · Validation Error: missing customer when confirming quotation S00042")


def test_the_body_names_exactly_the_attached_files():
    assert "Liitteet: report.json\n" in text_of(ticket(question_report()))
    with_everything = ticket(error_report(screenshot_image=image_bytes(64, 32)))
    assert "Kuvakaappaus: screenshot.png\nLiitteet: error-details.txt, report.json\n" in (
        text_of(with_everything))
    assert "Kuvakaappaus:" not in text_of(ticket())


# -- headers by construction (issue 9, CVE-2024-6923) -------------------------------------------

TICKET = {"report_id": "01m8fd9bng7gyhkvb9pydwdty3", "reference": "OSR-7K2Q9",
          "created_at": CREATED, "mail_from": MAIL_FROM}
TOP_HEADERS = ["content-type", "date", "from", "message-id", "mime-version", "reply-to",
               "subject", "to", "x-support-fingerprint", "x-support-reference"]


def hostile_report(where, word):
    """The sample report with `word` in one client text that reaches a header."""
    report = error_report()
    if where == "title":
        report["title"] = f"Validation Error on order {word} when confirming"
    elif where == "module":
        report["module"] = f"Sales {word}"
    elif where == "reporter-name":
        report["reporter"] = {"name": f"Maija {word}", "email": "maija@acme.example"}
    return report


def header_lines(data):
    return data.split(b"\n\n", 1)[0].split(b"\n")


@pytest.mark.parametrize("word", list(WORDS.values()), ids=list(WORDS))
@pytest.mark.parametrize("where", ["title", "module", "reporter-name", "customer-name"])
def test_an_encoded_word_in_client_text_stays_literal_text(where, word):
    customer = dataclasses.replace(ACME, name=f"Acme {word}") if where == "customer-name" else ACME
    report = hostile_report(where, word)
    data = ticket_bytes(customer, report, **TICKET)  # the pre-spool check passes
    parsed = BytesParser(policy=default_policy).parsebytes(data)
    assert sorted(name.lower() for name in parsed.keys()) == TOP_HEADERS
    assert parsed["Subject"] == subject(customer, report, "OSR-7K2Q9")
    assert [a.addr_spec for a in parsed["To"].addresses] == ["support@partner.example"]
    assert [a.addr_spec for a in parsed["Reply-To"].addresses] == ["maija@acme.example"]
    if where == "reporter-name":  # Python's reader may add spaces (see headers.encoded_words)
        assert "".join(parsed["Reply-To"].addresses[0].display_name.split()) == "Maija" + word
    else:
        assert word in parsed["Subject"]  # what the reporter typed, "=?...?=" and all
    assert ATTACKER.encode() not in data.split(b"\n\n", 1)[0]
    assert max(len(line) for line in header_lines(data)) <= 78
    # Whatever parses and writes it again (the delivery path, a helpdesk) keeps it so.
    assert parsed.as_bytes() == data


def test_plain_ascii_header_text_is_written_as_is_and_the_rest_encoded():
    assert unstructured("Subject", "Order S00042 fails") == "Order S00042 fails"
    assert unstructured("Subject", "Tilaus · virhe").startswith("=?utf-8?b?")
    assert unstructured("Subject", "x =?utf-8?q?y?= z").startswith("=?utf-8?b?")
    assert unstructured("Subject", "word " * 20).count("\n ") >= 1


def test_long_non_ascii_display_names_fold_into_encoded_words_within_78_characters():
    name = "Åsa-Märta Öberg-Väänänen " * 6
    report = error_report(reporter={"name": name, "email": "asa@acme.example"})
    data = ticket_bytes(ACME, report, **TICKET)
    assert max(len(line) for line in header_lines(data)) <= 78
    parsed = BytesParser(policy=default_policy).parsebytes(data)
    [reply_to] = parsed["Reply-To"].addresses
    assert reply_to.addr_spec == "asa@acme.example"
    # Python keeps the space between encoded-words that RFC 2047 readers drop.
    assert "".join(reply_to.display_name.split()) == "".join(name.split())


def test_an_address_too_long_for_its_own_line_goes_without_the_display_name():
    address = "a" * 64 + "@" + "b" * 20 + ".example"
    data = ticket_bytes(ACME, error_report(reporter={"name": "Maija", "email": address}),
                        **TICKET)
    parsed = BytesParser(policy=default_policy).parsebytes(data)
    assert parsed["Reply-To"] == address


@pytest.mark.parametrize("email_address", [
    "=?utf-8?q?x=0ABcc:_evil=40attacker.example?=@acme.example",
    b_word(f"x\nBcc: {ATTACKER}") + "@acme.example",
    '"quoted local"@acme.example',
    "maija@acme.example, evil@attacker.example",
])
def test_a_reporter_address_that_is_not_a_plain_dot_atom_gets_no_reply_to(email_address):
    report = error_report(reporter={"name": "Maija", "email": email_address})
    data = ticket_bytes(ACME, report, **TICKET)
    assert BytesParser(policy=default_policy).parsebytes(data)["Reply-To"] is None


# -- the check before spooling -------------------------------------------------------------------

def checked(data):
    """Run the pre-spool check on `data` against the sample ticket's intended headers."""
    check_serialized(data, ticket_headers(ACME, error_report(), **TICKET))


def sample_bytes():
    return ticket_bytes(ACME, error_report(), **TICKET)


def with_header_block(data, change):
    head, body = data.split(b"\n\n", 1)
    return change(head) + b"\n\n" + body


@pytest.mark.parametrize("change", [
    pytest.param(lambda h: h + b"\nBcc: evil@attacker.example", id="added-bcc"),
    pytest.param(lambda h: h + b"\nCc: evil@attacker.example", id="added-cc"),
    pytest.param(lambda h: h + b"\nTo: evil@attacker.example", id="second-to"),
    pytest.param(lambda h: h + b"\nSubject: again", id="second-subject"),
    pytest.param(lambda h: h.replace(b"To: support@partner.example",
                                     b"To: evil@attacker.example"), id="other-to"),
    pytest.param(lambda h: h.replace(b"To: support@partner.example",
                                     b"To: support@partner.example, evil@attacker.example"),
                 id="added-to-address"),
    pytest.param(lambda h: h.replace(b"Subject: ", b"Subject: x\n\nbody ", 1), id="body-split"),
    pytest.param(lambda h: h.replace(b"Subject: ", b"Subject: =?utf-8?q?x=0ABcc:_e@x.example?= ",
                                     1), id="decoded-newline"),
    pytest.param(lambda h: h.replace(b"X-Support-Reference: OSR-7K2Q9",
                                     b"X-Support-Reference: OSR-7K2Q9\nbroken line"),
                 id="not-a-header-line"),
    pytest.param(lambda h: h.replace(b"X-Support-Reference: OSR-7K2Q9",
                                     b"X-Support-Reference: OSR-XXXXX"), id="other-value"),
    pytest.param(lambda h: h.replace(b"X-Support-Reference: OSR-7K2Q9",
                                     b"X-Support-Reference: " + b"y" * 1000), id="overlong-line"),
])
def test_the_pre_spool_check_refuses_anything_but_the_intended_headers(change):
    data = sample_bytes()
    checked(data)  # the untouched ticket passes
    changed = with_header_block(data, change)
    assert changed != data
    with pytest.raises(UnsafeHeader):
        checked(changed)


def test_the_pre_spool_check_refuses_what_the_email_package_writes_on_this_python():
    """Built the naive way (message["Subject"] = client text), the Subject of Python 3.11.7
    decodes the word and writes its newline raw; the check sees the Bcc it adds."""
    naive = build_ticket(ACME, error_report(), **TICKET)
    del naive["Subject"]
    naive["Subject"] = "[OSR-7K2Q9] " + b_word(f"x\nBcc: {ATTACKER}")
    data = naive.as_bytes()
    leaked = b"\nBcc: " + ATTACKER.encode() in data.split(b"\n\n", 1)[0]
    with pytest.raises(UnsafeHeader):
        check_serialized(data, {**ticket_headers(ACME, error_report(), **TICKET),
                                "Subject": "[OSR-7K2Q9] " + b_word(f"x\nBcc: {ATTACKER}")})
    if sys.version_info < (3, 11, 10):
        assert leaked  # the vulnerability this module exists for is real here


def test_a_configured_address_that_is_not_plain_cannot_be_written():
    with pytest.raises(UnsafeHeader):
        ticket_bytes(dataclasses.replace(ACME, support_address=b_word("x\n") + "@p.example"),
                     error_report(), **TICKET)

"""E3: the error fingerprint groups twins of one error and nothing else.

The table holds real Odoo 16–18 error texts (copied from Odoo's source: odoo/fields.py,
odoo/models.py, odoo/service/model.py, base/models/ir_rule.py, base/models/ir_model.py,
base/models/ir_mail_server.py, base/models/res_users.py) with realistic tracebacks. Rows
of one group are the same error met by other users, customers, records and Odoo installs
(other ids, names, dates, references, addresses, line numbers, install paths); every pair
of rows shares a fingerprint exactly when they are in one group.
"""
import itertools
import string
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.mail.fingerprint import fingerprint, fingerprint_parts, innermost_frames
from tests.conftest import fuzz_examples

WEB_CALL = [("odoo/http.py", "_serve_db"), ("odoo/service/model.py", "retrying"),
            ("odoo/http.py", "_serve_ir_http"), ("odoo/http.py", "dispatch"),
            ("odoo/addons/base/models/ir_http.py", "_dispatch"),
            ("odoo/addons/web/controllers/dataset.py", "call_kw"),
            ("odoo/api.py", "call_kw"), ("odoo/api.py", "_call_kw_multi")]


def traceback(inner, exception, message, *, prefix="/usr/lib/python3/dist-packages/",
              first_line=100):
    """A Python traceback through Odoo's web call into `inner` frames, as Odoo sends it."""
    lines = ["Traceback (most recent call last):"]
    for number, (path, function) in enumerate(WEB_CALL + inner):
        lines.append(f'  File "{prefix}{path}", line {first_line + 37 * number}, in {function}')
        lines.append("    result = call()")
    lines.append(f"{exception}: {message}")
    return "\n".join(lines)


def report(exception, message, inner, *, model="sale.order", method="action_confirm",
           prefix="/usr/lib/python3/dist-packages/", first_line=100):
    short = exception.rsplit(".", 1)[-1]
    return {
        "kind": "error",
        "title": "Error when confirming the order",
        "error": {"kind": "server", "title": short, "message": message,
                  "exception": exception,
                  "details": traceback(inner, exception, message, prefix=prefix,
                                       first_line=first_line)},
        "context": {"model": model, "rpc": {"model": model, "method": method}},
    }


CONFIRM = [("odoo/addons/sale/models/sale_order.py", "action_confirm"),
           ("odoo/addons/sale/models/sale_order.py", "_action_confirm"),
           ("odoo/models.py", "write")]
READ = [("odoo/models.py", "read"), ("odoo/models.py", "_read_format"),
        ("odoo/fields.py", "__get__")]
FLUSH = [("odoo/models.py", "flush_model"), ("odoo/models.py", "_flush"),
         ("odoo/sql_db.py", "execute")]
CHECK_ACCESS = [("odoo/models.py", "check_access_rights"),
                ("odoo/addons/base/models/ir_model.py", "check")]
RULES = [("odoo/models.py", "_check_record_rules"),
         ("odoo/addons/base/models/ir_rule.py", "_make_access_error")]
MAIL_SERVER = [("odoo/addons/base/models/ir_mail_server.py", "test_smtp_connection")]
MAIL_SEND = [("odoo/addons/base/models/ir_mail_server.py", "connect")]
USERS = [("odoo/addons/base/models/res_users.py", "write"),
         ("odoo/addons/base/models/res_users.py", "toggle_active")]

UE, VE, AE, ME = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
                  "odoo.exceptions.AccessError", "odoo.exceptions.MissingError")
OPT = "/opt/odoo/"  # another install: other paths, other line numbers

MANDATORY = ("The operation cannot be completed:\n- Create/update: a mandatory field is not "
             "set.\n- Delete: another model requires the record being deleted. If possible, "
             "archive it instead.\n\nModel: Sales Order (sale.order)\nField: {field}\n")
RULE_16 = ("Due to security restrictions, you are not allowed to modify 'Sales Order' "
           "(sale.order) records.\n\nRecords: {records}\nUser: {user}\n\nThis restriction is "
           "due to the following rules:\n- Personal Orders\n\nContact your administrator to "
           "request access if necessary.")
RULE_17 = ("Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, {user} "
           "doesn't have 'write' access to:\n- Sales Order (sale.order)\n\nIf you really, "
           "really need access, perhaps you can win over your friendly administrator with a "
           "batch of freshly baked cookies.")
ACL = ("You are not allowed to {op} '{kind}' ({model}) records.\n\nThis operation is allowed "
       "for the following groups:\n\t- Sales/User: Own Documents Only\n\nContact your "
       "administrator to request access if necessary.")

# (name, group, report): one group = one error.
CASES = [
    ("missing record 17", "missing",
     report(ME, "Record does not exist or has been deleted.\n(Record: sale.order(42,), User: 6)",
            READ, method="read")),
    ("missing record 17, other id and user", "missing",
     report(ME, "Record does not exist or has been deleted.\n(Record: sale.order(7731,), User: 2)",
            READ, method="read", prefix=OPT, first_line=90)),
    ("missing records 16", "missing-16",
     report(ME, "One of the documents you are trying to access has been deleted, please try "
                "again after refreshing.\n\n(Document type: sale.order, Operation: read, "
                "Records: [42], User: 6)", READ, method="read")),
    ("missing records 16, two ids", "missing-16",
     report(ME, "One of the documents you are trying to access has been deleted, please try "
                "again after refreshing.\n\n(Document type: sale.order, Operation: read, "
                "Records: [42, 43], User: 9)", READ, method="read", prefix=OPT)),
    ("mandatory customer", "mandatory-partner",
     report(VE, MANDATORY.format(field="Customer (partner_id)"), FLUSH)),
    ("mandatory customer, another install", "mandatory-partner",
     report(VE, MANDATORY.format(field="Customer (partner_id)"), FLUSH, prefix=OPT,
            first_line=250)),
    ("mandatory pricelist", "mandatory-pricelist",
     report(VE, MANDATORY.format(field="Pricelist (pricelist_id)"), FLUSH)),
    ("foreign key on delete", "fk",
     report(VE, "The operation cannot be completed: another model requires the record being "
                "deleted. If possible, archive it instead.\n\nModel: Contact (res.partner)\n"
                "Constraint: sale_order_partner_id_fkey\n", FLUSH, model="res.partner",
            method="unlink")),
    ("unique login", "unique-login",
     report(VE, "The operation cannot be completed: You can not have two users with the same "
                "login!", FLUSH, model="res.users", method="create")),
    ("unique login, another day", "unique-login",
     report(VE, "The operation cannot be completed: You can not have two users with the same "
                "login!", FLUSH, model="res.users", method="create", first_line=3)),
    ("ACL read orders", "acl-read-order",
     report(AE, ACL.format(op="access", kind="Sales Order", model="sale.order"), CHECK_ACCESS,
            method="web_search_read")),
    ("ACL modify contacts", "acl-write-partner",
     report(AE, ACL.format(op="modify", kind="Contact", model="res.partner"), CHECK_ACCESS,
            model="res.partner", method="write")),
    ("record rule 16", "rule-16",
     report(AE, RULE_16.format(records="S00042 (id=42)", user="Marc Demo (id=6)"), RULES,
            method="write")),
    ("record rule 16, other records and user", "rule-16",
     report(AE, RULE_16.format(records="S00077 (id=77), S00078 (id=78, company=My Company)",
                               user="Joel Willis (id=7)"), RULES, method="write", prefix=OPT)),
    ("record rule 17", "rule-17",
     report(AE, RULE_17.format(user="Marc Demo (id=6)"), RULES, method="write")),
    ("record rule 17, another user", "rule-17",
     report(AE, RULE_17.format(user="Mitchell Admin (id=2)"), RULES, method="write",
            first_line=77)),
    ("archived mail server", "archived-server",
     report(UE, 'The server "Acme outgoing" cannot be used because it is archived.', MAIL_SEND,
            model="ir.mail_server", method="send_email")),
    ("archived mail server, another name", "archived-server",
     report(UE, 'The server "Partner relay (2026-11-30)" cannot be used because it is '
                "archived.", MAIL_SEND, model="ir.mail_server", method="send_email")),
    ("sender refused", "sender-refused",
     report(UE, "The server refused the sender address (maija@acme.example) with error "
                "(553, b'5.7.1 Sender address rejected')", MAIL_SERVER,
            model="ir.mail_server", method="test_smtp_connection")),
    ("sender refused, other address and code", "sender-refused",
     report(UE, "The server refused the sender address (billing@globex.example) with error "
                "(550, b'5.1.0 Address rejected 4f2a9c1e')", MAIL_SERVER,
            model="ir.mail_server", method="test_smtp_connection", prefix=OPT)),
    ("deactivate self", "deactivate-self",
     report(UE, "You cannot deactivate the user you're currently logged in as.", USERS,
            model="res.users", method="toggle_active")),
    ("deactivate self raised elsewhere", "deactivate-self-write",
     report(UE, "You cannot deactivate the user you're currently logged in as.",
            [("odoo/addons/base/models/res_users.py", "write")], model="res.users",
            method="toggle_active")),
    ("same text, other exception", "deactivate-self-validation",
     report(VE, "You cannot deactivate the user you're currently logged in as.", USERS,
            model="res.users", method="toggle_active")),
    ("invalid field value", "invalid-value",
     report(VE, "Invalid value for sale.order.amount_total: 1 234,50", [
         ("odoo/addons/base/models/ir_model.py", "_check_value")])),
    ("invalid field value, other amount", "invalid-value",
     report(VE, "Invalid value for sale.order.amount_total: -99.95", [
         ("odoo/addons/base/models/ir_model.py", "_check_value")])),
]


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(range(len(CASES)), 2)),
                         ids=lambda i: CASES[i][0])
def test_two_reports_share_a_fingerprint_exactly_when_they_are_one_error(a, b):
    (name_a, group_a, report_a), (name_b, group_b, report_b) = CASES[a], CASES[b]
    same = fingerprint(report_a) == fingerprint(report_b)
    assert same == (group_a == group_b), (name_a, name_b, fingerprint_parts(report_a),
                                          fingerprint_parts(report_b))


def test_the_table_holds_twenty_real_errors_in_pairs():
    groups = [group for _, group, _ in CASES]
    assert len(CASES) >= 20
    assert sum(groups.count(g) >= 2 for g in set(groups)) >= 9


def test_innermost_frames_name_file_and_function_without_line_numbers():
    details = CASES[0][2]["error"]["details"]
    assert innermost_frames(details) == ["odoo/models.py:read", "odoo/models.py:_read_format",
                                         "odoo/fields.py:__get__"]
    assert innermost_frames(CASES[4][2]["error"]["details"])[-1] == "odoo/sql_db.py:execute"


# -- properties of the normaliser ----------------------------------------------------------

BASE = report(ME, "Record does not exist or has been deleted.\n(Record: sale.order(42,), User: 6)",
              READ, method="read")
TEMPLATE = ("Cannot post {ref} for {name} dated {date}: amount {amount} exceeds the limit of "
            "record {id} ({email})")
names = st.text(alphabet=string.ascii_letters + " -åäöÅÄÖ", min_size=1, max_size=30).filter(
    lambda s: s.strip())
references = st.builds(lambda p, n: f"{p}{n:05d}", st.sampled_from(["S", "SO", "P", "INV"]),
                       st.integers(0, 99999)) | st.builds(
    lambda p, y, n: f"{p}/{y}/{n:05d}", st.sampled_from(["INV", "BILL", "WH/OUT", "BNK1"]),
    st.integers(2000, 2099), st.integers(0, 99999))
# Dates as Odoo and its users write them (four-digit years).
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
dates = days.map(lambda d: d.isoformat()) | days.map(lambda d: f"{d.day}.{d.month}.{d.year}") | (
    days.map(lambda d: f"{d.month}/{d.day}/{d.year}")) | st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2199, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
amounts = st.decimals(min_value=-10**9, max_value=10**9, places=2).map(str) | st.integers(
    0, 10**7).map(lambda n: f"{n:,}".replace(",", " ")) | st.integers(0, 10**9).map(str)
emails = st.from_regex(r"[a-z][a-z0-9.]{0,12}@[a-z]{2,10}\.(fi|com|example)", fullmatch=True)


def message_report(**parts):
    values = {"ref": "S00042", "name": "Acme Oy", "date": "2026-11-30", "amount": "10.00",
              "id": 42, "email": "maija@acme.example", **parts}
    text = TEMPLATE.format(**{**values, "name": f"'{values['name']}'"})
    return report(UE, text, CONFIRM)


@settings(max_examples=fuzz_examples(150), deadline=None)
@given(ref=references, name=names, date=dates, amount=amounts, record=st.integers(1, 10**9),
       email=emails)
def test_volatile_parts_never_change_the_fingerprint(ref, name, date, amount, record, email):
    assert fingerprint(message_report(ref=ref, name=name, date=date, amount=amount, id=record,
                                      email=email)) == fingerprint(message_report())


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(lines=st.lists(st.integers(1, 99999), min_size=1, max_size=1),
       prefix=st.sampled_from(["/usr/lib/python3/dist-packages/", "/opt/odoo/",
                               "/home/odoo/src/odoo/", "C:\\Odoo\\server\\"]))
def test_line_numbers_and_install_paths_never_change_it(lines, prefix):
    other = report(ME, "Record does not exist or has been deleted.\n(Record: sale.order(42,), "
                       "User: 6)", READ, method="read", prefix=prefix, first_line=lines[0])
    assert fingerprint(other) == fingerprint(BASE)


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(exception=st.from_regex(r"[A-Z][a-z]{2,12}(Error|Exception)", fullmatch=True))
def test_another_exception_class_always_changes_it(exception):
    if exception == "MissingError":
        return
    other = report(f"odoo.exceptions.{exception}", "Record does not exist or has been deleted."
                   "\n(Record: sale.order(42,), User: 6)", READ, method="read")
    assert fingerprint(other) != fingerprint(BASE)


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(function=st.from_regex(r"_?[a-z]{3,12}(_[a-z]{2,8})?", fullmatch=True))
def test_another_innermost_frame_always_changes_it(function):
    if function == "__get__":
        return
    other = report(ME, "Record does not exist or has been deleted.\n(Record: sale.order(42,), "
                       "User: 6)", [*READ[:-1], ("odoo/fields.py", function)], method="read")
    assert fingerprint(other) != fingerprint(BASE)

"""Delivers a ticket straight into the partner's Odoo Helpdesk over Odoo's external API.

`odoo+https://partner.example/?db=partner&model=helpdesk.ticket` (odoo+http only on
loopback), with the user and API key from the configuration. The spooled ticket mail is
the source: its subject becomes the ticket's name, its HTML body the description (the
screenshot shown from its ir.attachment by /web/image/<id>), the attachments are stored
once on the ticket, and the reporter becomes the ticket's partner.

Field names, read from fields_get so one backend serves both:
- OCA helpdesk_mgmt (14–18): number, name, description, partner_id, partner_name,
  partner_email, team_id (helpdesk.ticket.team), category_id (helpdesk.ticket.category),
  tag_ids (helpdesk.ticket.tag), stage_id (helpdesk.ticket.stage, `closed`).
- Odoo Enterprise Helpdesk: ticket_ref, name, description, partner_id, partner_name,
  partner_email, team_id (helpdesk.team), ticket_type_id (helpdesk.ticket.type),
  tag_ids (helpdesk.tag), stage_id (helpdesk.stage, `fold`).

Idempotent: the ticket's name starts with the report's reference `[OSR-XXXXX]`, and the
reference is looked up before anything is created, so an answer lost after the create
and a retry still make one ticket; attachments are looked up by name on the ticket.
"""
import base64
import http.client
import ipaddress
import json
import re
import ssl
import urllib.error
import urllib.request
import xmlrpc.client
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from server.customers import HelpdeskOptions

from ..labels import labels_for
from . import ODOO_SCHEMES
from .base import BaseMailBackend, PermanentFailure, TemporaryFailure

LOOPBACK_HOSTS = ("localhost",)
ODOO_LANGUAGES = {"fi": "fi_FI", "sv": "sv_SE", "en": "en_US"}
# Odoo's XML-RPC fault codes (odoo/service/wsgi_server.py): 1 is any other exception.
_PERMANENT_FAULTS = {2: "refused by Odoo", 3: "access denied", 4: "access error"}
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


@dataclass(frozen=True)
class OdooSettings:
    """The Odoo backend's part of the configuration (server/config.py)."""

    user: str = ""
    api_key: str = ""
    defaults: HelpdeskOptions = field(default_factory=HelpdeskOptions)
    customers: tuple = ()               # (customer id, HelpdeskOptions, language)
    history: object = None              # server.history.History: ticket numbers, twins

    def options_for(self, customer_id):
        for cid, options, language in self.customers:
            if cid == customer_id:
                return merged(self.defaults, options), language
        return self.defaults, "en"


def merged(defaults, options):
    """A customer's options over the global ones (tags add up)."""
    return HelpdeskOptions(
        partner=options.partner if options.partner is not None else defaults.partner,
        team=options.team if options.team is not None else defaults.team,
        category=options.category if options.category is not None else defaults.category,
        tags=tuple(dict.fromkeys(defaults.tags + options.tags)))


def parse_url(url):
    """(base url, db, model, api, user, key) of an odoo+http(s) URL; ValueError if unusable."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ODOO_SCHEMES or not parts.hostname:
        raise ValueError("odoo+https://host/?db=NAME&model=helpdesk.ticket is expected")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"db", "model", "api", "timeout"}
    if unknown:
        raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}")
    if not query.get("db"):
        raise ValueError("the database is missing (?db=NAME)")
    if scheme == "odoo+http" and not is_loopback(parts.hostname):
        # An API key in clear text over the network: only to this machine.
        raise ValueError("odoo+http:// is only for loopback; use odoo+https://")
    api = query.get("api", "auto")
    if api not in ("auto", "xmlrpc", "json2"):
        raise ValueError("api must be auto, xmlrpc or json2")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    base = f"{scheme.removeprefix('odoo+')}://{netloc}{parts.path.rstrip('/')}"
    return (base, query["db"], query.get("model", "helpdesk.ticket"), api,
            unquote(parts.username) if parts.username else "",
            unquote(parts.password) if parts.password else "")


def is_loopback(host):
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- talking to Odoo ------------------------------------------------------------------------


class OdooApi:
    """call(model, method, ids, *args, context=None, **kwargs) over XML-RPC or JSON-2."""

    def __init__(self, base, db, user, api_key, timeout, api="auto"):
        self.base, self.db, self.user, self.api_key = base, db, user, api_key
        self.timeout = timeout
        self.api = api
        self.uid = None
        self.proxies = {}

    def open(self):
        """Log in (XML-RPC) or pick the API; failures classified for the outbox."""
        if self.api == "auto":
            version = self._xmlrpc("common").version()
            major = (version.get("server_version_info") or [0])[0]
            self.api = "json2" if isinstance(major, int) and major >= 19 else "xmlrpc"
        if self.api == "xmlrpc" and self.uid is None:
            self.uid = self._xmlrpc("common").authenticate(self.db, self.user, self.api_key, {})
            if not self.uid:
                raise PermanentFailure("Odoo refused the login (check odoo_user and "
                                       "odoo_api_key)")

    def call(self, model, method, ids=None, *args, context=None, **kwargs):
        self.open()
        if context:
            kwargs["context"] = context
        if self.api == "json2":
            return self._json2(model, method, ids, args, kwargs)
        positional = ([list(ids)] if ids is not None else []) + list(args)
        return self._xmlrpc("object").execute_kw(self.db, self.uid, self.api_key, model,
                                                 method, positional, kwargs)

    # Odoo 19's JSON-2 takes every argument by name.
    _JSON2_NAMES = {"search": ("domain",), "search_read": ("domain", "fields"),
                    "read": ("fields",), "create": ("vals_list",), "write": ("vals",),
                    "fields_get": (), "generate_access_token": ()}

    def _json2(self, model, method, ids, args, kwargs):
        body = dict(zip(self._JSON2_NAMES[method], args, strict=False))
        body.update(kwargs)
        if ids is not None:
            body["ids"] = list(ids)
        request = urllib.request.Request(
            f"{self.base}/json/2/{model}/{method}", data=json.dumps(body).encode(),
            method="POST", headers={"Authorization": f"bearer {self.api_key}",
                                    "X-Odoo-Database": self.db,
                                    "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout,
                                        context=ssl.create_default_context()) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = _json2_error(error)
            if error.code >= 500 and error.code != 501:
                raise TemporaryFailure(f"Odoo answered {error.code}: {detail}") from error
            raise PermanentFailure(f"Odoo refused {model}.{method} ({error.code}): "
                                   f"{detail}") from error

    def _xmlrpc(self, endpoint):
        """One proxy (one kept-alive connection) per endpoint until close()."""
        if endpoint not in self.proxies:
            url = f"{self.base}/xmlrpc/2/{endpoint}"
            transport = (_SafeTransport if url.startswith("https:") else _Transport)(self.timeout)
            self.proxies[endpoint] = _ClassifyingProxy(xmlrpc.client.ServerProxy(
                url, transport=transport, allow_none=True))
        return self.proxies[endpoint]

    def close(self):
        proxies, self.proxies = self.proxies, {}
        for proxy in proxies.values():
            proxy.close()


class _NoResend:
    """One request per call: xmlrpc.client resends once when the connection drops, and a
    resent create whose first answer was lost would make a second ticket."""

    def request(self, host, handler, request_body, verbose=False):
        return self.single_request(host, handler, request_body, verbose)


class _Transport(_NoResend, xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class _SafeTransport(_NoResend, xmlrpc.client.SafeTransport):
    def __init__(self, timeout):
        super().__init__(context=ssl.create_default_context())
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class _ClassifyingProxy:
    """A ServerProxy whose failures arrive as TemporaryFailure or PermanentFailure."""

    def __init__(self, proxy):
        self.proxy = proxy

    def close(self):
        self.proxy("close")()

    def __getattr__(self, name):
        method = getattr(self.proxy, name)

        def call(*args):
            try:
                return method(*args)
            except xmlrpc.client.Fault as fault:
                raise classify_fault(fault) from fault
            except xmlrpc.client.ProtocolError as error:
                failure = TemporaryFailure if error.errcode >= 500 else PermanentFailure
                raise failure(f"Odoo answered {error.errcode} {error.errmsg}") from error
            except (OSError, http.client.HTTPException) as error:  # timeouts are OSErrors
                self.close()  # the connection's state is unknown: a fresh one next time
                raise TemporaryFailure(f"cannot reach Odoo: {type(error).__name__}: "
                                       f"{error}") from error
        return call


def classify_fault(fault):
    """Access and validation faults are permanent (with Odoo's reason); others temporary."""
    text = str(fault.faultString).strip().splitlines()
    reason = text[-1] if text else ""
    if fault.faultCode in _PERMANENT_FAULTS:
        return PermanentFailure(f"Odoo {_PERMANENT_FAULTS[fault.faultCode]}: {reason}"[:500])
    for name in ("AccessError", "AccessDenied", "ValidationError", "UserError", "MissingError",
                 "ValueError"):
        if f"{name}:" in str(fault.faultString):
            return PermanentFailure(f"Odoo refused it: {reason}"[:500])
    return TemporaryFailure(f"Odoo failed: {reason}"[:500])


def _json2_error(error):
    try:
        data = json.loads(error.read())
        return str(data.get("message") or data.get("name") or data)[:300]
    except (ValueError, OSError, AttributeError):
        return error.reason


# -- the ticket --------------------------------------------------------------------------------


@dataclass
class TicketMail:
    """What the spooled ticket mail holds, as the helpdesk needs it."""

    name: str
    reference: str
    fingerprint: str
    html: str
    report: dict
    screenshot: tuple | None            # (content id, file name, mime type, bytes)
    attachments: list                   # (file name, mime type, bytes), in order


def read_ticket(message):
    """The parts of a ticket mail (email.policy.default message)."""
    html = message.get_body(("html",))
    screenshot = None
    for part in message.walk():
        if part.get("Content-ID") and part.get_content_maintype() == "image":
            screenshot = (part["Content-ID"].strip("<>"), part.get_filename() or "screenshot.png",
                          part.get_content_type(), part.get_payload(decode=True))
    attachments = [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                   for part in message.iter_attachments()]
    report = next((json.loads(data) for name, _, data in attachments if name == "report.json"),
                  {})
    body = html.get_content() if html is not None else ""
    inner = _BODY.search(body)
    return TicketMail(name=str(message["Subject"]), reference=str(message["X-Support-Reference"]),
                      fingerprint=str(message.get("X-Support-Fingerprint") or ""),
                      html=inner.group(1).strip() if inner else body, report=report,
                      screenshot=screenshot, attachments=attachments)


class MailBackend(BaseMailBackend):
    """Creates one helpdesk ticket per spooled ticket mail (the outbox's backend interface)."""

    def __init__(self, url, settings=None, *, timeout=30.0):
        base, db, model, api, url_user, url_key = parse_url(url)
        self.settings = settings or OdooSettings()
        self.model = model
        self.api = OdooApi(base, db, self.settings.user or url_user,
                           self.settings.api_key or url_key, timeout, api)
        self.base = base
        self._fields = None

    def send_messages(self, envelopes):
        for envelope in envelopes:
            self.deliver(read_ticket(envelope.message()))
        return len(envelopes)

    def close(self):
        self.api.close()

    # -- one ticket ----------------------------------------------------------------------

    def deliver(self, ticket):
        """Find or create the ticket, complete its attachments and description; its id."""
        options, language = self.settings.options_for(ticket.report.get("customer_id"))
        # Before anything is created: an earlier attempt may have created it (lost answer).
        found = self.call(self.model, "search", None, [["name", "ilike", f"[{ticket.reference}]"]],
                          context={"active_test": False})
        ticket_id = found[0] if found else self.create(ticket, options)
        screenshot_id = None
        if ticket.screenshot:
            _, name, media_type, data = ticket.screenshot  # PNG or JPEG, as the server chose
            screenshot_id = self.attachment(ticket_id, name, media_type, data)
        for name, mimetype, data in ticket.attachments:
            self.attachment(ticket_id, name, mimetype, data)
        twin = self.link_twin(ticket_id, ticket, language)
        self.call(self.model, "write", [ticket_id],
                  {"description": self.description(ticket, screenshot_id, twin)})
        number = self.number(ticket_id)
        if self.settings.history is not None:
            self.settings.history.record_ticket(ticket.reference, ticket_id, number)
        return ticket_id, number

    def create(self, ticket, options):
        fields = self.fields()
        reporter = ticket.report.get("reporter") or {}
        values = {"name": ticket.name, "description": self.description(ticket, None, None)}
        partner_id = self.partner(reporter, options)
        if partner_id:
            values["partner_id"] = partner_id
        for name in ("partner_name", "partner_email"):
            if name in fields and reporter.get(name.split("_")[1]):
                values[name] = reporter[name.split("_")[1]]
        if options.team is not None and "team_id" in fields:
            values["team_id"] = self.record_id(fields["team_id"]["relation"], options.team,
                                               "team")
        category_field = next((f for f in ("category_id", "ticket_type_id") if f in fields), None)
        if options.category is not None and category_field:
            values[category_field] = self.record_id(fields[category_field]["relation"],
                                                    options.category, "category")
        if options.tags and "tag_ids" in fields:
            relation = fields["tag_ids"]["relation"]
            values["tag_ids"] = [(6, 0, [self.tag_id(relation, tag) for tag in options.tags])]
        created = self.call(self.model, "create", None, [values])
        return created[0] if isinstance(created, list) else created

    def fields(self):
        if self._fields is None:
            self._fields = self.call(self.model, "fields_get", None,
                                     attributes=["type", "relation"])
        return self._fields

    def partner(self, reporter, options):
        """The reporter's partner: found by e-mail, else created under the customer's company."""
        email = (reporter.get("email") or "").strip()
        company = (self.record_id("res.partner", options.partner, "partner")
                   if options.partner is not None else None)
        if not email:
            return company
        found = self.call("res.partner", "search_read", None,
                          [["email", "=ilike", _like(email)]], ["parent_id"],
                          context={"active_test": False}, order="id")
        if found:
            under_company = [p for p in found if p["parent_id"] and p["parent_id"][0] == company]
            return (under_company or found)[0]["id"]
        values = {"name": reporter.get("name") or email, "email": email}
        if company:
            values["parent_id"] = company
        created = self.call("res.partner", "create", None, [values])
        return created[0] if isinstance(created, list) else created

    def record_id(self, model, value, what):
        """A configured id, or the record of that name; a missing one is a permanent failure."""
        if isinstance(value, int):
            return value
        found = self.call(model, "search", None, [["name", "=", value]], limit=1)
        if not found:
            raise PermanentFailure(f"the configured helpdesk {what} {value!r} is not in Odoo")
        return found[0]

    def tag_id(self, model, name):
        found = self.call(model, "search", None, [["name", "=", name]], limit=1)
        if found:
            return found[0]
        created = self.call(model, "create", None, [{"name": name}])
        return created[0] if isinstance(created, list) else created

    def attachment(self, ticket_id, name, mimetype, data):
        """The ticket's attachment `name`, created only when it is not there yet."""
        found = self.call("ir.attachment", "search", None,
                          [["res_model", "=", self.model], ["res_id", "=", ticket_id],
                           ["name", "=", name]], limit=1)
        if found:
            return found[0]
        created = self.call("ir.attachment", "create", None, [{
            "name": name, "res_model": self.model, "res_id": ticket_id, "mimetype": mimetype,
            "datas": base64.b64encode(data).decode("ascii")}])
        return created[0] if isinstance(created, list) else created

    def link_twin(self, ticket_id, ticket, language):
        """E3 in Odoo: the first ticket of the same error, tagged with this one by fingerprint."""
        history = self.settings.history
        if history is None or not ticket.fingerprint:
            return None
        first = history.first_ticket(ticket.fingerprint, ticket.reference)
        if first is None or first[0] == ticket_id:
            return None
        fields = self.fields()
        if "tag_ids" in fields:
            tag = self.tag_id(fields["tag_ids"]["relation"], f"error {ticket.fingerprint}")
            self.call(self.model, "write", [ticket_id, first[0]], {"tag_ids": [(4, tag)]})
        return first[0], first[1], labels_for(language)["first_ticket"]

    def description(self, ticket, screenshot_id, twin):
        html = ticket.html
        if ticket.screenshot:
            src = self.image_src(screenshot_id) if screenshot_id else ""
            html = html.replace(f"cid:{ticket.screenshot[0]}", src)
        if twin:
            first_id, number, label = twin
            html += (f'<p>{label}: <a href="/web#id={first_id}&amp;model={self.model}'
                     f'&amp;view_type=form">{_escape(number)}</a></p>')
        return html

    def image_src(self, attachment_id):
        """/web/image/<id>, with the attachment's access token where Odoo has one (portal)."""
        try:
            tokens = self.call("ir.attachment", "generate_access_token", [attachment_id])
        except PermanentFailure:
            tokens = None
        token = tokens[0] if isinstance(tokens, list) and tokens else None
        return f"/web/image/{attachment_id}" + (f"?access_token={token}" if token else "")

    def number(self, ticket_id):
        fields = self.fields()
        name = next((f for f in ("number", "ticket_ref") if f in fields), None)
        if name is None:
            return f"#{ticket_id}"
        [record] = self.call(self.model, "read", [ticket_id], [name])
        return record[name] or f"#{ticket_id}"

    def stage(self, ticket_id, language):
        """(stage name in `language`, closed?) of a ticket, read from Odoo."""
        fields = self.fields()
        context = {"lang": ODOO_LANGUAGES.get(language, "en_US")}
        [record] = self.call(self.model, "read", [ticket_id], ["stage_id"], context=context)
        if not record["stage_id"]:
            return "", False
        stage_id, stage_name = record["stage_id"]
        relation = fields["stage_id"]["relation"]
        stage_fields = self.call(relation, "fields_get", None, attributes=["type"])
        closed_field = next((f for f in ("closed", "fold") if f in stage_fields), None)
        closed = False
        if closed_field:
            [stage] = self.call(relation, "read", [stage_id], [closed_field])
            closed = bool(stage[closed_field])
        return stage_name, closed

    def call(self, model, method, ids=None, *args, **kwargs):
        return self.api.call(model, method, ids, *args, **kwargs)


def _like(text):
    """`text` for Odoo's =like/=ilike: its own % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _escape(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))

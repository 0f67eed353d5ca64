"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { buildReport, fieldErrors } = require("./report-body.js");

const capture = {
  error: { kind: "validation", title: "Validation Error", message: "Not balanced", details: "Traceback…", exception: "odoo.exceptions.ValidationError" },
  context: { url: "https://erp.example.com/odoo/sales/7", odoo_version: "17.0", app: "Sales" },
};
const values = {
  title: "  Validation Error: not balanced when posting ", module: "Sales", doing: "Posting", expected: "Posted",
  result: "Not balanced", steps: ["Opened the bill", " ", "Clicked Post"], reporter_name: "Maija", reporter_email: "maija@example.com",
};

test("an error report carries the capture's error and context, trimmed, empty steps dropped", () => {
  const report = buildReport({ capture, kind: "error", clientReportId: "id-1", values, screenshot: "data:image/png;base64,AA" });
  assert.equal(report.client_report_id, "id-1");
  assert.equal(report.title, "Validation Error: not balanced when posting");
  assert.deepEqual(report.steps, ["Opened the bill", "Clicked Post"]);
  assert.deepEqual(report.reporter, { name: "Maija", email: "maija@example.com" });
  assert.equal(report.error.details, "Traceback…");
  assert.equal(report.context.odoo_version, "17.0");
  assert.equal(report.screenshot, "data:image/png;base64,AA");
  assert.equal(report.checklist, undefined);
});

test("leaving technical details out drops the traceback and exception, keeps title and message", () => {
  const report = buildReport({ capture, kind: "error", clientReportId: "id-2", values, omitDetails: true });
  assert.deepEqual(report.error, { kind: "validation", title: "Validation Error", message: "Not balanced" });
  assert.equal(report.screenshot, null);
});

test("a question has the checklist and no error", () => {
  const report = buildReport({ capture: null, kind: "question", clientReportId: "id-3", values, checklist: { tried_staging: true } });
  assert.equal(report.error, undefined);
  assert.deepEqual(report.checklist, { checked_guide: false, tried_staging: true, asked_key_user: false });
  assert.deepEqual(report.context, {});
});

test("server fields map to the form's fields, nested or dotted", () => {
  const errors = fieldErrors({
    title: ["Too generic"], "reporter.email": ["Not an e-mail"], reporter: { name: ["Missing"] },
    steps: { 1: ["Too long"] }, "steps.0": ["Empty"], context: { url: ["Not a URL"] },
  });
  assert.deepEqual(errors, {
    title: ["Too generic"], reporter_email: ["Not an e-mail"], reporter_name: ["Missing"],
    steps: ["Too long", "Empty"], _form: ["context.url: Not a URL"],
  });
});

test("the context is typed as the API wants it: no nulls, text, integer ids", () => {
  const report = buildReport({
    capture: { context: { url: "https://x/web", odoo_version: null, record_id: "new", action: 312, breadcrumbs: ["Sales", null],
      rpc: { model: "sale.order", method: "action_confirm", ids: [7, "x"] } } },
    kind: "question", clientReportId: "id-4", values,
  });
  assert.deepEqual(report.context, {
    url: "https://x/web", action: "312", breadcrumbs: ["Sales"], rpc: { model: "sale.order", method: "action_confirm", ids: [7] },
  });
});

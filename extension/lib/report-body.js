// The report form's values → the API's report body (POST /api/v1/reports), and
// the server's validation `fields` → the form's fields. Pure, so both
// directions are unit-tested.
"use strict";
(function () {
  const FORM_FIELDS = ["title", "module", "doing", "steps", "result", "expected", "reporter_name", "reporter_email", "screenshot", "checklist"];
  const CHECKLIST_KEYS = ["checked_guide", "tried_staging", "asked_key_user"];

  const clean = (text) => String(text || "").trim();
  const INTEGER_FIELDS = new Set(["record_id"]);

  /** A flat map of the page's facts as the API types them: text, integers, lists; no nulls. */
  function cleanFacts(facts) {
    const out = {};
    for (const [key, value] of Object.entries(facts || {})) {
      if (value === null || value === undefined || value === "") continue;
      if (INTEGER_FIELDS.has(key)) {
        if (Number.isInteger(value)) out[key] = value;
      } else if (key === "ids") {
        out.ids = [].concat(value).filter(Number.isInteger);
      } else if (Array.isArray(value)) {
        out[key] = value.filter((item) => item !== null && item !== undefined).map(String);
      } else if (typeof value === "object") {
        out[key] = cleanFacts(value);
      } else {
        out[key] = String(value);
      }
    }
    return out;
  }

  function errorPart(error, omitDetails) {
    const { kind, title, message, details, exception } = error || {};
    const part = { kind: kind || "server", title: clean(title), message: clean(message) };
    if (!omitDetails) Object.assign(part, { details: details || "", exception: exception || "" });
    return part;
  }

  /**
   * The body: `values` are the form's fields, `capture` what was captured at the
   * error (or null), `screenshot` the edited image's data URL (or null).
   */
  function buildReport({ capture, kind, clientReportId, values, screenshot = null, omitDetails = false, checklist = null }) {
    const report = {
      client_report_id: clientReportId,
      kind,
      title: clean(values.title),
      module: clean(values.module),
      doing: clean(values.doing),
      steps: (values.steps || []).map(clean).filter(Boolean),
      result: clean(values.result),
      expected: clean(values.expected),
      reporter: { name: clean(values.reporter_name), email: clean(values.reporter_email) },
      context: cleanFacts(capture && capture.context),
      screenshot: screenshot || null,
    };
    if (kind === "error") report.error = errorPart(capture && capture.error, omitDetails);
    if (kind === "question") {
      report.checklist = Object.fromEntries(CHECKLIST_KEYS.map((key) => [key, Boolean(checklist && checklist[key])]));
    }
    return report;
  }

  /** "reporter.name" and {reporter: {name: [...]}} both → reporter_name; steps.3 → steps. */
  function formFieldFor(path) {
    const [head, next] = path;
    if (head === "reporter" && (next === "name" || next === "email")) return `reporter_${next}`;
    if (FORM_FIELDS.includes(head)) return head;
    return "_form";
  }

  function flatten(fields, prefix = [], out = []) {
    if (Array.isArray(fields)) {
      for (const item of fields) {
        if (typeof item === "string") out.push([prefix, item]);
        else flatten(item, prefix, out);
      }
    } else if (fields && typeof fields === "object") {
      for (const [key, value] of Object.entries(fields)) flatten(value, [...prefix, ...key.split(".")], out);
    } else if (typeof fields === "string") {
      out.push([prefix, fields]);
    }
    return out;
  }

  /** The server's `fields` as {formField: [messages]}; what no field shows goes under "_form". */
  function fieldErrors(serverFields) {
    const errors = {};
    for (const [path, message] of flatten(serverFields)) {
      const field = formFieldFor(path);
      const text = field === "_form" && path.length ? `${path.join(".")}: ${message}` : message;
      (errors[field] = errors[field] || []).push(text);
    }
    return errors;
  }

  const api = { FORM_FIELDS, CHECKLIST_KEYS, buildReport, fieldErrors, cleanFacts };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.OSR = globalThis.OSR || {}).reportBody = api;
})();

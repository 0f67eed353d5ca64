// The report form (E1–E6, G2–G6; for questions A4): prefilled from the
// capture, checked as the user types, sent through the background queue, then
// the receipt — or the "waiting to be sent" state until the queue delivers it.
import { messaging, pageFields, pageI18n, reportBody, reporterMemory, titleRules } from "../lib.js";
import { ReportOutcome } from "./report-outcome.js";
import { StepsList } from "./report-steps.js";
import { explain as explainScreenshotAccess } from "./screenshot-access.js";
import { ScreenshotEditor } from "./screenshot-editor.js";

const { t, fill, errorText } = pageI18n;
const { askBackground } = messaging;
const { checkTitle, suggestTitle } = titleRules;
const params = new URLSearchParams(location.search);
const kind = params.get("kind") === "question" ? "question" : "error";
const captureId = params.get("capture");
// Made once per report: every retry of this report carries it, so the server makes one ticket.
const clientReportId = crypto.randomUUID();

const $ = (id) => document.getElementById(id);
const form = $("report-form");
const steps = new StepsList($("steps-list"), $("add-step"));
const editor = new ScreenshotEditor($("screenshot-canvas"), {
  onChange: (count) => {
    $("screenshot-boxes").textContent = t("report_screenshot_boxes", count);
    dirty = true;
  },
});
let capture = null;
let customerTitleRules = null; // the customer's own title rules, from the server
let screenshotIncluded = false;
let dirty = false;
let finished = false;
const outcome = new ReportOutcome(clientReportId, {
  onFinished: () => {
    finished = true; // sent or safely queued: closing loses nothing
    dirty = false;
  },
});

function fieldValue(name) {
  return form.elements[name] ? form.elements[name].value : "";
}

function formValues() {
  const values = {};
  for (const name of ["title", "module", "doing", "result", "expected", "reporter_name", "reporter_email"]) values[name] = fieldValue(name);
  values.steps = steps.values();
  return values;
}

function checklistValues() {
  return Object.fromEntries(reportBody.CHECKLIST_KEYS.map((key) => [key, form.elements[key].checked]));
}

// ---- prefill -------------------------------------------------------------

function detailsText(captured) {
  const error = (captured && captured.error) || {};
  const context = (captured && captured.context) || {};
  const lines = [];
  if (error.exception) lines.push(error.exception);
  if (error.details) lines.push(error.details);
  const contextLines = Object.entries(context)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`);
  return [...lines, ...(contextLines.length ? ["", ...contextLines] : [])].join("\n").trim();
}

async function prefill(captured) {
  const error = (captured && captured.error) || null;
  const context = (captured && captured.context) || {};
  if (kind === "error" && error) form.elements.title.value = suggestTitle(captured, customerTitleRules, form.elements.title.maxLength);
  form.elements.module.value = context.app || "";
  form.elements.result.value = kind === "error" && error ? error.message || error.title || "" : "";
  steps.set((captured && captured.steps) || []);
  // The Odoo session's name and login first; what this same Odoo user typed last time fills
  // the gaps (a login is often not an e-mail address), never what another user typed.
  const fromSession = (captured && captured.reporter) || {};
  const remembered = reporterMemory.recall((await chrome.storage.local.get(reporterMemory.STORAGE_KEY))[reporterMemory.STORAGE_KEY], fromSession.account);
  form.elements.reporter_name.value = fromSession.name || remembered.name || "";
  form.elements.reporter_email.value = fromSession.email || remembered.email || "";
  const details = detailsText(captured);
  $("details-text").textContent = details || t("report_details_none");
  $("omit_details").disabled = !details;
  if (captured && captured.screenshot) await showScreenshot(captured.screenshot);
  else if (captured && kind === "error") await explainScreenshotAccess($("screenshot-access"));
  checkTitleAsTyped();
}

async function showScreenshot(dataUrl) {
  await editor.load(dataUrl);
  $("screenshot-boxes").textContent = t("report_screenshot_boxes", 0);
  $("screenshot-toggle").hidden = false;
  setScreenshotIncluded(true);
}

function setScreenshotIncluded(included) {
  screenshotIncluded = included;
  $("screenshot-editor").hidden = !included;
  $("screenshot-none").hidden = included;
  $("screenshot-toggle").textContent = t(included ? "report_screenshot_remove" : "report_screenshot_restore");
}

// ---- checks ----------------------------------------------------------------

function titleProblems() {
  return checkTitle(fieldValue("title"), { kind, error: capture && capture.error, rules: customerTitleRules });
}

/** G2/E3 as the user types: what is wrong, or that the title is good. */
function checkTitleAsTyped() {
  const problems = titleProblems();
  const input = form.elements.title;
  input.setAttribute("aria-invalid", String(problems.length > 0));
  const message = problems.map((code) => t(`report_title_${code}`)).join(" ");
  $("title-error").textContent = message;
  $("title-error").classList.toggle("ok", problems.length === 0);
  if (problems.length === 0 && input.value.trim()) $("title-error").textContent = t("report_title_ok");
  return problems;
}

function showFieldErrors(errors) {
  for (const element of form.querySelectorAll("[data-field-error]")) {
    const messages = errors[element.dataset.fieldError] || [];
    if (element.dataset.fieldError === "title" && messages.length === 0) continue;
    element.textContent = messages.join(" ");
    element.classList.remove("ok");
    const input = form.elements[element.dataset.fieldError];
    if (input && input.setAttribute) input.setAttribute("aria-invalid", String(messages.length > 0));
  }
  $("form-error").textContent = (errors._form || []).join(" ");
}

/** The form's own checks before anything is sent; {field: [messages]}. */
function localErrors() {
  const errors = {};
  const problems = titleProblems();
  if (problems.length) errors.title = problems.map((code) => t(`report_title_${code}`));
  // E5/G3 for every request; for errors also the result and the steps (E4).
  const required = ["module", "doing", "expected", "reporter_name", "reporter_email"];
  if (kind === "error") required.push("result");
  for (const name of required) if (!fieldValue(name).trim()) errors[name] = [t("report_error_required")];
  if (kind === "error" && steps.values().every((step) => !step.trim())) errors.steps = [t("report_error_required")];
  if (fieldValue("reporter_email").trim() && !form.elements.reporter_email.checkValidity()) {
    errors.reporter_email = [t("report_error_email")];
  }
  return errors;
}

/** The server's upper bounds (GET /api/v1/config `limits`) as the fields' maxlength. */
function applyLimits(limits) {
  const fieldLimits = { title: limits.title, module: limits.module, doing: limits.doing, result: limits.result,
    expected: limits.expected, reporter_name: limits.reporter_name };
  for (const [name, limit] of Object.entries(fieldLimits)) if (Number.isInteger(limit)) form.elements[name].maxLength = limit;
}

function focusFirstError(errors) {
  const order = ["title", "module", "doing", "steps", "result", "expected", "reporter_name", "reporter_email"];
  const first = order.find((name) => errors[name]);
  if (first === "steps") (form.querySelector("input[name=steps]") || $("add-step")).focus();
  else if (first) form.elements[first].focus();
}

function refuse(errors) {
  showFieldErrors(errors);
  if (errors.title) $("title-hint").classList.add("emphasis");
  if (!errors._form) $("form-error").textContent = t("report_fix_fields");
  focusFirstError(errors);
}

// ---- sending ---------------------------------------------------------------

function report() {
  return reportBody.buildReport({
    capture,
    kind,
    clientReportId,
    values: formValues(),
    screenshot: screenshotIncluded ? editor.export() : null,
    omitDetails: $("omit_details").checked,
    checklist: kind === "question" ? checklistValues() : null,
  });
}

function setSending(sending) {
  $("send").disabled = sending;
  $("send").textContent = t(sending ? "report_sending" : "report_send");
  form.setAttribute("aria-busy", String(sending));
}

/** For this Odoo user's next report; the unkeyed memory of older versions is dropped. */
async function rememberReporter(values) {
  const account = capture && capture.reporter && capture.reporter.account;
  const stored = (await chrome.storage.local.get(reporterMemory.STORAGE_KEY))[reporterMemory.STORAGE_KEY];
  const reporter = { name: values.reporter_name.trim(), email: values.reporter_email.trim() };
  await chrome.storage.local.set({ [reporterMemory.STORAGE_KEY]: reporterMemory.remember(stored, account, reporter) });
  await chrome.storage.local.remove(reporterMemory.LEGACY_KEY);
}

async function submit(event) {
  event.preventDefault();
  const errors = localErrors();
  if (Object.keys(errors).length) return refuse(errors);
  showFieldErrors({});
  setSending(true);
  rememberReporter(formValues()).catch(() => {}); // a form that cannot remember still sends
  try {
    const answer = await askBackground("send-report", { report: report() });
    if (answer.status === "sent") return outcome.showReceipt(answer.receipt);
    if (answer.status === "queued") return outcome.showWaiting(answer.error && answer.error.code);
    const serverErrors = reportBody.fieldErrors(answer.error.fields || {});
    refuse({ ...serverErrors, _form: [errorText(answer.error.code), answer.error.message, ...(serverErrors._form || [])].filter(Boolean) });
  } catch (error) {
    $("form-error").textContent = errorText(error.code);
  } finally {
    setSending(false);
  }
}

// ---- window ----------------------------------------------------------------

function closeWindow() {
  if (!finished && dirty && !window.confirm(t("report_confirm_discard"))) return;
  window.close();
}

function wire() {
  form.addEventListener("submit", submit);
  form.addEventListener("input", () => {
    dirty = true;
  });
  form.elements.title.addEventListener("input", checkTitleAsTyped);
  $("cancel").addEventListener("click", closeWindow);
  for (const button of document.querySelectorAll(".close-window")) button.addEventListener("click", closeWindow);
  $("screenshot-undo").addEventListener("click", () => editor.undo());
  $("screenshot-clear").addEventListener("click", () => editor.clear());
  $("screenshot-toggle").addEventListener("click", () => setScreenshotIncluded(!screenshotIncluded));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) closeWindow();
  });
}

async function loadCapture() {
  if (!captureId) return null;
  try {
    return (await askBackground("get-capture", { captureId })).capture || null;
  } catch (_) {
    $("capture-missing").hidden = false;
    return null;
  }
}

async function start() {
  fill();
  pageFields.wireFields(form, { required: t("report_required") });
  $("heading").textContent = t(kind === "error" ? "report_heading_error" : "report_heading_question");
  $("intro").textContent = t(kind === "error" ? "report_intro_error" : "report_intro_question");
  $("checklist").hidden = kind !== "question";
  document.body.dataset.kind = kind;
  setScreenshotIncluded(false);
  wire();
  const [config, captured] = await Promise.all([askBackground("get-config").catch(() => null), loadCapture()]);
  const customer = (config && config.customer) || {};
  customerTitleRules = customer.title_rules || null;
  if (customer.limits) applyLimits(customer.limits);
  capture = captured;
  await prefill(captured);
  document.body.dataset.ready = "true"; // tests and assistive tools: the form is filled
  (kind === "error" && form.elements.title.value ? form.elements.doing : form.elements.title).focus();
}

start();

// The options page: server URL and customer key (with "Test connection"),
// learning mode, and the production/staging origins. Saved to
// chrome.storage.sync; a field set by enterprise policy (chrome.storage.managed)
// is shown locked, because policy wins (background/config.js).
import { environment, messaging, pageFields, pageI18n, serverAddress, settings } from "../lib.js";

const { t, fill, errorText } = pageI18n;
const { askBackground } = messaging;
const { configuredOrigins, parseOriginPattern } = environment;
const { SETTING_KEYS } = settings;
const ORIGIN_LISTS = ["productionOrigins", "stagingOrigins"];
const ENVIRONMENT_OF = { productionOrigins: "production", stagingOrigins: "staging" };
const $ = (id) => document.getElementById(id);
const form = $("options-form");
let locked = [];
let storedLearningMode; // undefined: the user never chose, the server's value applies
let learningModeShown = false;
// Fields the user changed before the stored values arrived (a fresh profile's first
// get-config waits for managed storage): what arrives late never overwrites them.
const editedEarly = new Set();
let loaded = false;

const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);

function show(config, stored) {
  locked = config.locked || [];
  // Locked fields show the policy's value; the rest what the user saved (empty = the server's list).
  const value = (key) => (locked.includes(key) ? config[key] : stored[key]);
  // The user's own typing wins over what was stored, unless a policy locks the field.
  const keeps = (key) => editedEarly.has(key) && !locked.includes(key);
  if (!keeps("serverUrl")) form.elements.serverUrl.value = value("serverUrl") || "";
  if (!keeps("customerKey")) form.elements.customerKey.value = value("customerKey") || "";
  storedLearningMode = stored.learningMode;
  const learningMode = locked.includes("learningMode") ? config.learningMode : stored.learningMode;
  const shownLearningMode = Boolean(learningMode === undefined ? config.learningMode : learningMode);
  learningModeShown = shownLearningMode;
  if (!keeps("learningMode")) form.elements.learningMode.checked = shownLearningMode;
  for (const key of ORIGIN_LISTS) {
    // A policy may give a list as one string ("a.example, b.example"): read it as the banner does.
    if (!keeps(key)) form.elements[key].value = configuredOrigins({ [key]: value(key) }, ENVIRONMENT_OF[key]).join("\n");
    const fromServer = configuredOrigins({ customer: config.customer }, ENVIRONMENT_OF[key]);
    form.elements[key].placeholder = fromServer.length ? t("options_server_list", fromServer.join(", ")) : "";
  }
  for (const key of SETTING_KEYS) lock(key, locked.includes(key));
  $("policy-note").hidden = locked.length === 0;
}

function lock(key, isLocked) {
  form.elements[key].disabled = isLocked;
  // Empty while unlocked: the note is in the field's description, and hidden text would be read.
  $(`${key}-locked`).textContent = isLocked ? t("options_locked") : "";
}

/** Why the server address can't be saved, as the user's text; "" when it can. */
function serverUrlMessage(serverUrl) {
  const problem = serverAddress.serverUrlProblem(serverUrl);
  if (!problem) return "";
  return problem === serverAddress.INSECURE_URL ? errorText(problem) : t("options_invalid_url");
}

/** An origin line the environment banner can match: its parser, plus a plain host name. */
function isOriginLine(line) {
  const parsed = parseOriginPattern(line);
  return Boolean(parsed) && /^[a-z0-9.-]+$/i.test(parsed.host) && !/\s/.test(line);
}

/** {key: message} for what cannot be saved. */
function problems() {
  const found = {};
  const serverUrl = form.elements.serverUrl.value.trim();
  if (serverUrl && serverUrlMessage(serverUrl)) found.serverUrl = serverUrlMessage(serverUrl);
  for (const key of ORIGIN_LISTS) {
    const bad = lines(form.elements[key].value).find((line) => !isOriginLine(line));
    if (bad) found[key] = t("options_invalid_origin", bad);
  }
  return found;
}

function showProblems(found) {
  for (const key of ["serverUrl", ...ORIGIN_LISTS]) {
    $(`${key}-error`).textContent = found[key] || "";
    form.elements[key].setAttribute("aria-invalid", String(Boolean(found[key])));
  }
}

function editedSettings() {
  const edited = {
    serverUrl: form.elements.serverUrl.value.trim().replace(/\/+$/, ""),
    customerKey: form.elements.customerKey.value.trim(),
    learningMode: form.elements.learningMode.checked,
    productionOrigins: lines(form.elements.productionOrigins.value),
    stagingOrigins: lines(form.elements.stagingOrigins.value),
  };
  // Saving other fields must not freeze the server's learning_mode into a user choice.
  if (storedLearningMode === undefined && edited.learningMode === learningModeShown) delete edited.learningMode;
  for (const key of locked) delete edited[key]; // policy's values are never copied into sync
  return edited;
}

async function save(event) {
  event.preventDefault();
  if (!loaded) return; // saving before the stored values are shown would store an empty form over them
  $("save-status").textContent = "";
  const found = problems();
  showProblems(found);
  if (Object.keys(found).length) {
    form.elements[Object.keys(found)[0]].focus();
    return;
  }
  await chrome.storage.sync.set(editedSettings());
  $("save-status").textContent = t("options_saved");
  editedEarly.clear(); // saved: from now on the stored values are the user's
  const config = await askBackground("get-config", { refresh: true });
  show(config, await chrome.storage.sync.get(null));
}

async function testConnection() {
  const found = problems();
  showProblems(found);
  if (found.serverUrl) return;
  $("connection-status").textContent = t("options_testing");
  const answer = await askBackground("test-connection", {
    serverUrl: form.elements.serverUrl.value.trim(),
    customerKey: form.elements.customerKey.value.trim(),
  });
  $("connection-status").textContent = answer.ok
    ? t("options_test_ok", answer.customer.name)
    : t("options_test_failed", errorText(answer.error));
  $("connection-status").classList.toggle("ok", answer.ok);
}

function rememberEarlyEdit(event) {
  if (!loaded && event.target && event.target.name) editedEarly.add(event.target.name);
}

/** Fields changed before this module ran: a module runs only once the page is parsed and its imports loaded. */
function rememberEditsBeforeStart() {
  for (const field of form.elements) {
    if (!("defaultValue" in field)) continue; // inputs and text areas only: they have a markup default
    const changed = field.type === "checkbox" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue;
    if (field.name && changed) editedEarly.add(field.name);
  }
}

async function start() {
  fill();
  pageFields.wireFields(form, { locked: true });
  $("save").disabled = true; // until the stored values are shown
  $("save-status").textContent = t("options_loading");
  rememberEditsBeforeStart();
  form.addEventListener("input", rememberEarlyEdit);
  form.addEventListener("change", rememberEarlyEdit);
  form.addEventListener("submit", save);
  $("test-connection").addEventListener("click", () => testConnection().catch((error) => {
    $("connection-status").textContent = t("options_test_failed", errorText(error.code));
  }));
  const [config, stored] = await Promise.all([askBackground("get-config"), chrome.storage.sync.get(null)]);
  show(config, stored);
  loaded = true;
  $("save").disabled = false;
  $("save-status").textContent = "";
  document.body.dataset.ready = "true";
}

start();

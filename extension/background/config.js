// The merged configuration (`get-config`). Three sources, strongest first:
// enterprise policy (chrome.storage.managed), the options page
// (chrome.storage.sync), the server's customer config (GET /api/v1/config,
// cached in chrome.storage.local so the extension keeps working offline).
import { handle } from "./messages.js";
import { settings } from "../lib.js";
import { ERROR_CODES, fetchCustomerConfig } from "./server-api.js";

const { DEFAULTS, SETTING_KEYS } = settings;
const CUSTOMER_CACHE_KEY = "customerConfigCache";
const POLICY_CACHE_KEY = "policyCache";
// chrome.storage.managed.get() can take seconds right after browser start;
// a first run waits this long for it (measured: 3 to 5 s after a cold start).
const POLICY_WAIT_MS = 8000;
const CUSTOMER_FRESH_MS = 5 * 60 * 1000;
const CUSTOMER_FETCH_TIMEOUT_MS = 4000;

let policy = null; // last policy read this worker's life
let policyRead = null; // the pending managed.get()
let customerRefresh = null; // the pending GET /api/v1/config

/** A value counts as set when it says something: empty strings and lists defer to the next source. */
function isSet(value) {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function pickSettings(values) {
  const picked = {};
  for (const key of SETTING_KEYS) if (values && isSet(values[key])) picked[key] = values[key];
  return picked;
}

function readManagedStorage() {
  if (!chrome.storage.managed) return Promise.resolve({});
  return chrome.storage.managed.get(null).catch(() => ({})); // no schema or no policy: nothing set
}

function startPolicyRead() {
  if (!policyRead) {
    policyRead = readManagedStorage().then(async (values) => {
      policy = pickSettings(values);
      await chrome.storage.local.set({ [POLICY_CACHE_KEY]: policy });
      return policy;
    });
  }
  return policyRead;
}

async function cachedPolicy() {
  const stored = await chrome.storage.local.get(POLICY_CACHE_KEY);
  return stored[POLICY_CACHE_KEY] || null;
}

/**
 * The policy settings. The last policy seen (kept in storage.local) answers at
 * once while managed storage is read; only a first run ever waits for it, at
 * most POLICY_WAIT_MS.
 */
async function currentPolicy() {
  if (policy) return policy;
  const read = startPolicyRead();
  const cached = await cachedPolicy();
  if (cached) return cached;
  const timeout = new Promise((resolve) => setTimeout(() => resolve({}), POLICY_WAIT_MS));
  return Promise.race([read, timeout]);
}

async function userSettings() {
  return pickSettings(await chrome.storage.sync.get(SETTING_KEYS));
}

function sameConnection(cache, connection) {
  return cache && cache.serverUrl === connection.serverUrl && cache.customerKey === connection.customerKey;
}

async function readCustomerCache() {
  const stored = await chrome.storage.local.get(CUSTOMER_CACHE_KEY);
  return stored[CUSTOMER_CACHE_KEY] || null;
}

/** Fetch the customer config and cache it; resolves to the cache entry (with `error` on failure). */
function refreshCustomer(connection) {
  if (customerRefresh) return customerRefresh;
  customerRefresh = (async () => {
    try {
      const customer = await fetchCustomerConfig(connection, CUSTOMER_FETCH_TIMEOUT_MS);
      const entry = { ...connection, customer, fetchedAt: new Date().toISOString(), error: null };
      await chrome.storage.local.set({ [CUSTOMER_CACHE_KEY]: entry });
      return entry;
    } catch (error) {
      const previous = await readCustomerCache();
      const kept = sameConnection(previous, connection) ? previous : { ...connection, customer: null, fetchedAt: null };
      return { ...kept, error: error.code || ERROR_CODES.SERVER };
    } finally {
      customerRefresh = null;
    }
  })();
  return customerRefresh;
}

/** The customer config for this connection: the cache when fresh, else one bounded fetch. */
async function customerFor(connection, { refresh = false } = {}) {
  if (!connection.serverUrl || !connection.customerKey) {
    return { customer: null, fetchedAt: null, error: ERROR_CODES.NOT_CONFIGURED };
  }
  const cache = await readCustomerCache();
  if (!refresh && sameConnection(cache, connection) && cache.customer) {
    const age = Date.now() - Date.parse(cache.fetchedAt);
    if (!(age < CUSTOMER_FRESH_MS)) refreshCustomer(connection); // stale: answer now, refresh behind
    return { ...cache, error: null };
  }
  return refreshCustomer(connection);
}

function originsFromCustomer(customer, environment) {
  const environments = (customer && customer.environments) || {};
  return Array.isArray(environments[environment]) ? environments[environment] : [];
}

/** Policy wins over the options page, which wins over the server's customer config. */
function merge(policySettings, syncSettings, customerEntry) {
  const customer = customerEntry.customer || null;
  const fromCustomer = {
    productionOrigins: originsFromCustomer(customer, "production"),
    stagingOrigins: originsFromCustomer(customer, "staging"),
    ...(customer && typeof customer.learning_mode === "boolean" ? { learningMode: customer.learning_mode } : {}),
  };
  return {
    ...DEFAULTS,
    ...pickSettings(fromCustomer),
    ...syncSettings,
    ...policySettings,
    locked: Object.keys(policySettings),
    customer,
    fetchedAt: customerEntry.fetchedAt || null,
    customerError: customerEntry.error || null,
  };
}

/** The merged configuration; `refresh: true` refetches the customer config now. */
export async function getConfig({ refresh = false } = {}) {
  const [policySettings, syncSettings] = await Promise.all([currentPolicy(), userSettings()]);
  const connection = {
    serverUrl: policySettings.serverUrl || syncSettings.serverUrl || "",
    customerKey: policySettings.customerKey || syncSettings.customerKey || "",
  };
  return merge(policySettings, syncSettings, await customerFor(connection, { refresh }));
}

/** "Test connection" on the options page: this server and key, without saving them. */
async function testConnection({ serverUrl, customerKey }) {
  try {
    const customer = await fetchCustomerConfig({ serverUrl, customerKey }, CUSTOMER_FETCH_TIMEOUT_MS);
    return { ok: true, customer };
  } catch (error) {
    return { ok: false, error: error.code || ERROR_CODES.SERVER };
  }
}

function watchStorage() {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "managed") {
      policyRead = null;
      policy = null;
      startPolicyRead();
    }
  });
}

/** Sent by one of the extension's own pages (form, popup, options), not a content script. */
function fromExtensionPage(sender) {
  return Boolean(sender && sender.url && sender.url.startsWith(chrome.runtime.getURL("")));
}

/** `get-config`: content scripts run inside Odoo's pages and never need the customer key. */
async function configFor(data, sender) {
  const config = await getConfig({ refresh: Boolean(data.refresh) });
  if (sender && !fromExtensionPage(sender)) delete config.customerKey;
  return config;
}

handle("get-config", configFor);
handle("test-connection", testConnection);
watchStorage();
startPolicyRead(); // warm the policy cache as soon as the worker starts

// Drives one headless Firefox ESR with the unpacked extension for the pytest
// module beside it (tests/firefox/conftest.py). Puppeteer speaks WebDriver BiDi
// to Debian's firefox-esr; nothing is downloaded. Commands arrive as JSON lines
// on stdin, `{id, op, ...}`, and each gets one JSON line back on stdout,
// `{id, value}` or `{id, error}`.
//
// Usage: node driver.mjs '<json: {executablePath, profileDir, extensionDir, prefs}>'
import readline from "node:readline";
import puppeteer from "puppeteer-core";

const options = JSON.parse(process.argv[2]);
const pages = new Map(); // handle -> puppeteer Page
let nextHandle = 1;

function remember(page) {
  for (const [handle, known] of pages) if (known === page) return handle;
  const handle = `p${nextHandle++}`;
  pages.set(handle, page);
  return handle;
}

function pageOf(handle) {
  const page = pages.get(handle);
  if (!page) throw new Error(`no page '${handle}'`);
  return page;
}

// Puppeteer does not see an extension page's moz-extension:// URL (BiDi reports
// about:blank), so the page itself is asked where it is.
async function hrefOf(page) {
  try {
    return await page.evaluate("location.href");
  } catch (_) {
    return ""; // closing, or not ready to run script yet
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `(fn)(...args)` in the page: `fn` is a function's source, as Playwright's evaluate takes it. */
function call(fn, args) {
  return `(${fn})(...${JSON.stringify(args || [])})`;
}

/** Poll `fn(...args)` in the page until it returns a truthy value (CSP-proof: no eval in the page). */
async function waitFor(page, fn, args, timeout) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(call(fn, args));
      if (last) return last;
    } catch (error) {
      last = String(error.message || error); // e.g. the page is navigating
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${fn}; last: ${JSON.stringify(last)}`);
    await sleep(100);
  }
}

let browser;

const ops = {
  async pages() {
    const list = [];
    for (const page of await browser.pages()) list.push({ page: remember(page), url: await hrefOf(page) });
    return list;
  },
  async newPage() {
    return remember(await browser.newPage());
  },
  /** An open page whose real URL starts with `prefix`, not one of `exclude`, waiting for it to open. */
  async waitForPage({ prefix, exclude = [], timeout = 10000 }) {
    const deadline = Date.now() + timeout;
    const excluded = new Set(exclude.map(pageOf));
    for (;;) {
      for (const page of await browser.pages()) {
        if (!excluded.has(page) && (await hrefOf(page)).startsWith(prefix)) return remember(page);
      }
      if (Date.now() > deadline) throw new Error(`no page at ${prefix} within ${timeout} ms`);
      await sleep(100);
    }
  },
  async goto({ page, url }) {
    await pageOf(page).goto(url);
  },
  async evaluate({ page, fn, args }) {
    const value = await pageOf(page).evaluate(call(fn, args));
    return value === undefined ? null : value;
  },
  async waitFor({ page, fn, args, timeout = 8000 }) {
    return waitFor(pageOf(page), fn, args, timeout);
  },
  async waitForSelector({ page, selector, timeout = 8000, visible = false }) {
    await pageOf(page).waitForSelector(selector, { timeout, visible });
  },
  async click({ page, selector }) {
    await pageOf(page).locator(selector).click();
  },
  async fill({ page, selector, text }) {
    await pageOf(page).locator(selector).fill(text);
  },
  async press({ page, key }) {
    await pageOf(page).keyboard.press(key);
  },
  async drag({ page, from, to }) {
    const { mouse } = pageOf(page);
    await mouse.move(...from);
    await mouse.down();
    await mouse.move(...to, { steps: 4 });
    await mouse.up();
  },
  async close({ page }) {
    await pageOf(page).close();
    pages.delete(page);
  },
};

async function handle(line) {
  const { id, op, ...args } = JSON.parse(line);
  try {
    if (!ops[op]) throw new Error(`unknown op '${op}'`);
    return { id, value: (await ops[op](args)) ?? null };
  } catch (error) {
    return { id, error: String((error && error.message) || error) };
  }
}

async function main() {
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: options.executablePath,
    userDataDir: options.profileDir,
    headless: true,
    extraPrefsFirefox: options.prefs,
    defaultViewport: { width: 1280, height: 800 },
  });
  const extensionId = await browser.installExtension(options.extensionDir);
  process.stdout.write(JSON.stringify({ ready: true, extensionId }) + "\n");
  const lines = readline.createInterface({ input: process.stdin });
  // One command at a time, in order: the tests are sequential.
  for await (const line of lines) {
    if (!line.trim()) continue;
    process.stdout.write(JSON.stringify(await handle(line)) + "\n");
  }
  await browser.close();
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ ready: false, error: String(error && error.stack) }) + "\n");
  process.exit(1);
});

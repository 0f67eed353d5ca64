// Why an error came without a screenshot when the reason is the browser's:
// captureVisibleTab needs access to all websites (<all_urls>). Firefox lets the
// user turn that access off (Add-ons → Permissions) while the content scripts
// still run on the Odoo site, and Chromium's site access can withhold it too;
// the form then says so and offers to allow it for the next errors.
import { pageI18n } from "../lib.js";

const { t } = pageI18n;
const ALL_SITES = { origins: ["<all_urls>"] };

/** Shows `section` when the extension may not take screenshots; its button asks the browser. */
export async function explain(section) {
  if (await chrome.permissions.contains(ALL_SITES)) return;
  const button = section.querySelector("button");
  const status = section.querySelector("[role=status]");
  section.hidden = false;
  button.addEventListener("click", async () => {
    // Asked straight from the click: browsers grant permissions only in the user's gesture.
    const allowed = await chrome.permissions.request(ALL_SITES).catch(() => false);
    button.hidden = allowed;
    status.textContent = allowed ? t("report_screenshot_allowed") : "";
  });
}

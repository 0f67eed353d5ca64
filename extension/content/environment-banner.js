// PRODUCTION or STAGING, shown on every Odoo page (C1, C2, L3; L4 b "try it
// first in staging": the banner's link opens this very page there). Which
// environment the page is: page-environment.js.
//
// Production: a slim bar across the top of the window, in a strip of its own:
// <html> gets a top padding of the bar's height (border-box, so Odoo's
// `height: 100%` web client and website fill what is left), and the bar sits in
// that padding. Nothing of Odoo's lies under it: the page's own layout starts
// below it, and what Odoo lays over the page (chat windows fixed at the bottom,
// dropdowns, dialogs, notifications: z-index 999 and up) is drawn ABOVE it,
// never under it. Bottom-anchored windows (the chat window's input) are far
// from it. It links to the same page in staging and can be hidden until the
// tab's session ends.
// Staging: a small ribbon in the bottom-left corner that lets every click through.
// Unknown: nothing.
//
// Both live in a shadow root (shadow-ui.js); the host carries
// `data-odoo-support="production-banner" | "staging-ribbon"`.
"use strict";
(function (OSR) {
  const { createHost, element, message, sessionFlag } = OSR.shadowUi;
  const { current, stagingUrlOfThisPage, watchForLateSigns, whenDecided } = OSR.pageEnvironment;
  const { PRODUCTION, STAGING, UNKNOWN } = OSR.environment.ENVIRONMENTS;
  const BANNER_HEIGHT_PX = 30;
  // Above the page's own flow, below everything Odoo overlays (chat window 999, dropdowns 1000,
  // dialogs 1050+, notifications 1055): an Odoo overlay reaching the strip covers the bar, not
  // the other way round.
  const BANNER_Z_INDEX = 900;
  const DISMISSED_KEY = "odoo-support-reporter:production-banner-dismissed";
  const ROUTE_POLL_MS = 500; // pushState fires no event; a string comparison twice a second costs nothing

  let shown = null; // {host, environment, remove()} currently on the page

  // Storage blocked: the banner shows (the safe default), a dismissal hides it for this page view only.
  const dismissed = sessionFlag(DISMISSED_KEY);

  // The host's own box is the one thing page CSS can reach (`odoo-support-reporter
  // { display: none !important }`, an inherited `* { color: red !important }`).
  // Every :host declaration is !important because, across shadow boundaries,
  // important declarations of the inner context beat the page's important ones
  // (CSS Cascade 4, "Context"): the page cannot hide, move or restyle it. It
  // can still remove the element by script; nothing in a page can prevent that.
  const BANNER_CSS = `
    :host { all: initial !important; position: fixed !important; left: 0 !important; right: 0 !important;
      top: 0 !important; z-index: ${BANNER_Z_INDEX} !important; height: ${BANNER_HEIGHT_PX}px !important;
      display: block !important; }
    .bar { box-sizing: border-box; height: 100%; display: flex; align-items: center; gap: 16px;
      padding: 0 8px 0 16px; background: #b3261e; color: #fff; border-bottom: 2px solid #7a1610;
      font: 600 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .text { letter-spacing: 0.02em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    a { color: #fff; text-decoration: underline; white-space: nowrap; }
    a:focus-visible, button:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
    button { all: unset; margin-left: auto; cursor: pointer; padding: 2px 8px;
      font: 700 16px/1 system-ui, sans-serif; color: #fff; border-radius: 3px; }
    button:hover { background: rgba(255, 255, 255, 0.2); }
    @media print { :host { display: none !important; } }
  `;

  const RIBBON_CSS = `
    :host { all: initial !important; position: fixed !important; left: 0 !important; bottom: 0 !important;
      z-index: 2147483000 !important; display: block !important; pointer-events: none !important; }
    .ribbon { pointer-events: none; margin: 0 0 10px 10px; padding: 5px 12px; border-radius: 4px;
      background: repeating-linear-gradient(135deg, #1e6b34 0 12px, #237a3c 12px 24px); color: #fff;
      font: 700 12px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; letter-spacing: 0.04em;
      box-shadow: 0 1px 4px rgba(0, 0, 0, 0.35); opacity: 0.92; user-select: none; }
    @media print { :host { display: none !important; } }
  `;

  /**
   * Keep the top strip of the window for the banner: <html>'s padding, inside its height
   * (border-box), so Odoo's full-height layouts end at the window's bottom, not past it.
   * A padding on <body> would do nothing for Odoo's fixed elements.
   */
  function reserveSpace() {
    const style = document.documentElement.style;
    const saved = ["padding-top", "box-sizing"].map((name) => [name, style.getPropertyValue(name), style.getPropertyPriority(name)]);
    style.setProperty("box-sizing", "border-box", "important");
    style.setProperty("padding-top", `${BANNER_HEIGHT_PX}px`, "important");
    return () => saved.forEach(([name, value, priority]) => style.setProperty(name, value, priority));
  }

  /**
   * Call `update` whenever the page's URL changes, so that what the link shows (its status
   * bar, "copy link address", a middle click) is the current page. Odoo navigates with
   * pushState, which fires no event in this world: the Navigation API says so where the
   * browser has it (Chrome), a light poll of location.href everywhere; hashchange and
   * popstate at once. Returns the function that stops following.
   */
  function followRoute(update) {
    let lastHref = location.href;
    const check = () => {
      if (location.href === lastHref) return;
      lastHref = location.href;
      update();
    };
    const navigation = globalThis.navigation;
    const timer = setInterval(check, ROUTE_POLL_MS);
    for (const type of ["hashchange", "popstate"]) window.addEventListener(type, check);
    if (navigation && typeof navigation.addEventListener === "function") navigation.addEventListener("currententrychange", check);
    return () => {
      clearInterval(timer);
      for (const type of ["hashchange", "popstate"]) window.removeEventListener(type, check);
      if (navigation && typeof navigation.removeEventListener === "function") navigation.removeEventListener("currententrychange", check);
    };
  }

  function showProductionBanner() {
    let stopFollowing = () => {};
    const { host, root } = createHost("production-banner");
    root.appendChild(element("style", {}, BANNER_CSS));
    const bar = element("div", { class: "bar", role: "region", "aria-label": message("env_production_banner") });
    bar.appendChild(element("span", { class: "text" }, message("env_production_banner")));
    const stagingUrl = stagingUrlOfThisPage();
    if (stagingUrl) {
      const link = element("a", { href: stagingUrl, target: "_blank", rel: "noopener" },
        message("env_open_this_page_in_staging"));
      // Odoo changes the URL without reloading: the link follows the page at the moment it is used.
      const refresh = () => link.setAttribute("href", stagingUrlOfThisPage() || link.getAttribute("href"));
      for (const type of ["pointerenter", "focus", "click", "auxclick"]) link.addEventListener(type, refresh);
      stopFollowing = followRoute(refresh);
      bar.appendChild(link);
    }
    const close = element("button", { type: "button", "aria-label": message("env_dismiss_banner"),
      title: message("env_dismiss_banner") }, "×");
    bar.appendChild(close);
    root.appendChild(bar);
    document.documentElement.appendChild(host);
    const releaseSpace = reserveSpace();
    const remove = () => {
      host.remove();
      releaseSpace();
      stopFollowing();
    };
    close.addEventListener("click", () => {
      dismissed.set();
      hide();
    });
    return { host, remove };
  }

  function showStagingRibbon() {
    const { host, root } = createHost("staging-ribbon");
    root.appendChild(element("style", {}, RIBBON_CSS));
    root.appendChild(element("div", { class: "ribbon", role: "note" }, message("env_staging_ribbon")));
    document.documentElement.appendChild(host);
    return { host, remove: () => host.remove() };
  }

  function hide() {
    if (shown) shown.remove();
    shown = null;
  }

  /** Show what the current decision calls for, replacing what was there. */
  function render() {
    const environment = current();
    const wanted = environment === PRODUCTION && dismissed.isSet() ? null : environment;
    if (shown && shown.environment === wanted) return;
    hide();
    if (wanted === PRODUCTION) shown = { environment: wanted, ...showProductionBanner() };
    else if (wanted === STAGING) shown = { environment: wanted, ...showStagingRibbon() };
  }

  /** Entry point, called by content/main.js once the page is an Odoo web client. */
  async function start() {
    await whenDecided();
    render();
    if (current() === UNKNOWN) watchForLateSigns(render);
  }

  OSR.environmentBanner = { start };
})(globalThis.OSR);

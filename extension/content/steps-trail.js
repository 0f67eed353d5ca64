// The last 20 things the user did, as sentences (E4: "write down the steps you
// took before the error"): menus opened, buttons clicked, records opened,
// fields edited (by label, never the value), views and tabs switched, dialogs.
//
// Where the trail lives: in memory, mirrored to the tab's sessionStorage.
// Odoo navigates client-side, so memory alone survives most of a session; the
// mirror survives the full reloads Odoo does now and then (login, "reload"
// actions, F5) and dies with the tab, which is exactly "per tab". A round trip
// to chrome.storage.session through the background would add a message per
// click and a worker wake-up for no gain: the sentences hold labels the page
// already shows, never values typed, so the page's own storage leaks nothing.
"use strict";
(function (OSR) {
  const KEEP = 20;
  const STORAGE_KEY = "odoo-support-reporter:steps";
  const ROUTE_POLL_MS = 400; // Odoo changes the URL with pushState, which fires no event we can hear
  const RECORD_NAME_DELAY_MS = 500; // the breadcrumb shows the record's name once it has rendered
  const SEARCH_INPUTS = ".o_searchview_input, .o_searchview input, .o_command_palette input";
  const ERROR_DIALOG = ".o_dialog_error, .o_error_dialog, .o_dialog_warning";
  const PAGE_NAME_POLL_MS = 250; // Odoo renders the breadcrumbs once the action has loaded
  const PAGE_NAME_WAIT_MS = 3000;

  let trail = [];
  let started = false;
  let lastSection = null; // the navbar section whose dropdown was opened last (17+ renders its items elsewhere)
  let lastHref = null;
  let lastEditedInput = null; // typing fires "input" per key: one field's edit is one step
  let pageOpen = null; // {index, timer} while the page's opening waits for its name

  function translate(key, substitutions) {
    return chrome.i18n.getMessage(key, substitutions);
  }

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(saved) ? saved.filter((item) => typeof item === "string").slice(-KEEP) : [];
    } catch (error) {
      return []; // storage blocked or corrupted: start afresh
    }
  }

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(trail));
    } catch (error) {
      // storage full or blocked: the in-memory trail still works
    }
  }

  /** Add a step {kind, ...} (see lib/step-sentences.js); a repeat of the last step is dropped. */
  function record(step) {
    if (step.kind !== "edit") lastEditedInput = null;
    const sentence = OSR.stepSentences.toSentence(step, translate);
    if (!sentence || trail[trail.length - 1] === sentence) return;
    trail.push(sentence);
    if (trail.length > KEEP) trail = trail.slice(-KEEP);
    save();
  }

  // Odoo's help marker on a field label (web.FormLabel: `<sup class="text-info">?</sup>`) is no part of its name.
  const HELP_MARKER = "sup";

  /** The element's text without help markers. */
  function visibleText(element) {
    if (!element.querySelector(HELP_MARKER)) return element.textContent;
    const copy = element.cloneNode(true);
    copy.querySelectorAll(HELP_MARKER).forEach((marker) => marker.remove());
    return copy.textContent;
  }

  function label(element) {
    if (!element) return "";
    const own = visibleText(element).replace(/\s+/g, " ").trim();
    return own || element.getAttribute("data-tooltip") || element.getAttribute("title")
      || element.getAttribute("aria-label") || "";
  }

  function currentRecordName() {
    const page = OSR.odooPage.detect();
    if (!page || page.record_id === null || page.record_id === undefined) return null;
    return page.breadcrumbs[page.breadcrumbs.length - 1] || null;
  }

  // ---- clicks ---------------------------------------------------------

  function menuStep(target) {
    const app = target.closest(".o_app, .o_menu_apps .dropdown-item, .o_navbar_apps_menu .dropdown-item");
    if (app) return { kind: "menu", path: [label(app.querySelector(".o_caption") || app)] };
    const toggle = target.closest(".o_menu_sections .dropdown-toggle");
    if (toggle) {
      lastSection = label(toggle);
      return null; // opening a dropdown is not yet a step
    }
    const item = target.closest("[data-menu-xmlid], [data-menu], [data-section], .o_menu_sections .o_nav_entry, .o_menu_sections .dropdown-item");
    if (!item) return null;
    const brand = label(document.querySelector(".o_main_navbar .o_menu_brand"));
    const inDropdown = Boolean(item.closest(".dropdown-menu, .o-dropdown--menu"));
    return { kind: "menu", path: [brand, inDropdown ? lastSection : null, label(item)] };
  }

  function clickStep(target) {
    if (target.closest("[data-odoo-support]")) return null; // our own button is not the user's work
    const menu = target.closest(".o_main_navbar, .o_home_menu, .o-dropdown--menu, .dropdown-menu") ? menuStep(target) : null;
    if (menu) return menu;
    const crumb = target.closest(".breadcrumb-item:not(.active) a, .breadcrumb-item:not(.active), .o_back_button");
    if (crumb) return { kind: "breadcrumb", label: label(crumb) };
    const view = target.closest(".o_switch_view");
    if (view) return { kind: "view", label: view.getAttribute("data-tooltip") || view.getAttribute("title") || view.getAttribute("aria-label") || label(view) };
    const tab = target.closest(".o_notebook .nav-link, .o_notebook_headers .nav-link");
    if (tab) return { kind: "tab", label: label(tab) };
    const button = target.closest("button, a.btn, [role=button]");
    if (!button || button.closest(".o_searchview, .o_field_widget, .o_datetime_picker, .o_calendar_container")) return null;
    return { kind: "click", label: label(button), record: button.closest(".modal") ? null : currentRecordName() };
  }

  function onClick(event) {
    try {
      if (event.target instanceof Element) {
        const step = clickStep(event.target);
        if (step) record(step);
      }
    } catch (error) {
      // a step we cannot read is skipped; the page goes on
    }
  }

  // ---- edits (the field's label, never its value: E4) -----------------

  function fieldLabel(input) {
    const byFor = input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (byFor) return label(byFor);
    const field = input.closest(".o_field_widget[name], [name].o_field_widget, .o_field_widget") || input;
    const cell = field.closest(".o_cell, td");
    const labelCell = cell && cell.previousElementSibling;
    const nearLabel = labelCell && labelCell.querySelector("label, .o_form_label");
    if (nearLabel) return label(nearLabel);
    const listCell = input.closest("td[name]");
    const table = listCell && listCell.closest("table");
    const header = table && table.querySelector(`thead th[data-name="${CSS.escape(listCell.getAttribute("name"))}"]`);
    if (header) return label(header);
    return field.getAttribute("name") || input.getAttribute("name") || "";
  }

  function onEdit(event) {
    try {
      const input = event.target;
      if (!(input instanceof Element) || input === lastEditedInput || input.closest(SEARCH_INPUTS)) return;
      if (!input.closest(".o_field_widget, .o_form_view, .o_list_view, .o_list_renderer")) return;
      record({ kind: "edit", field: fieldLabel(input) });
      lastEditedInput = input;
    } catch (error) {
      // skipped, never thrown into the page
    }
  }

  // ---- route changes: records opened ----------------------------------

  function onRoute() {
    if (location.href === lastHref) return;
    lastHref = location.href;
    const route = OSR.odooRoutes.parseOdooUrl(location.href);
    if (!route || route.record_id === null) return;
    if (route.record_id === "new") {
      record({ kind: "record", isNew: true });
      return;
    }
    setTimeout(() => {
      const name = currentRecordName();
      if (name) record({ kind: "record", name });
    }, RECORD_NAME_DELAY_MS);
  }

  // ---- the page itself: opening it is the first step --------------------

  /** "Quotations / S00042": the breadcrumbs, else the app, else the document's title. */
  function pageName(final) {
    const page = OSR.odooPage.detect() || {};
    const crumbs = (page.breadcrumbs || []).filter(Boolean);
    if (crumbs.length) return crumbs.slice(-2).join(" / ");
    if (!final) return null; // not rendered yet: wait a little for the breadcrumbs
    return page.app || document.title.trim() || location.pathname;
  }

  /** Put "Opened the page …" where the page was opened, before the steps taken since. */
  function settlePageOpen(final) {
    if (!pageOpen) return;
    const name = pageName(final);
    if (!name) return;
    clearInterval(pageOpen.timer);
    const sentence = OSR.stepSentences.toSentence({ kind: "page", name }, translate);
    const { index } = pageOpen;
    pageOpen = null;
    if (!sentence || trail[index - 1] === sentence) return;
    trail.splice(index, 0, sentence);
    if (trail.length > KEEP) trail = trail.slice(-KEEP);
    save();
  }

  /** A link, a bookmark or a reload opened this page: an error before any click still has a step (E4). */
  function recordPageOpen() {
    const startedAt = Date.now();
    pageOpen = { index: trail.length, timer: null };
    pageOpen.timer = setInterval(() => settlePageOpen(Date.now() - startedAt >= PAGE_NAME_WAIT_MS), PAGE_NAME_POLL_MS);
    settlePageOpen(false);
  }

  // ---- dialogs --------------------------------------------------------

  const DIALOG = ".modal, .o_dialog";
  const MAX_NODES_PER_BATCH = 50; // a heavy list renders thousands of rows in one batch: dialogs come alone

  /** The dialog an added node is, or wraps (17+ mount it inside an .o-overlay-item); else null. */
  function dialogOf(node) {
    if (node.matches(DIALOG)) return node;
    const child = node.firstElementChild;
    if (child && child.matches(DIALOG)) return child;
    // A container Odoo adds to <body> late arrives with its first dialog already inside:
    // content/dom-watch.js watches inside it only from then on.
    return node.parentElement === document.body ? node.querySelector(DIALOG) : null;
  }

  function onAddedNodes(mutations) {
    let looked = 0;
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (looked++ > MAX_NODES_PER_BATCH) return;
        if (!(node instanceof Element)) continue;
        const modal = dialogOf(node);
        if (!modal || modal.querySelector(ERROR_DIALOG) || modal.matches(ERROR_DIALOG)) continue;
        const title = modal.querySelector(".modal-title");
        if (title) record({ kind: "dialog", title: label(title) });
      }
    }
  }

  /** Start listening (once); the trail kept from before a reload in this tab is restored. */
  function start() {
    if (started) return;
    started = true;
    trail = load();
    lastHref = location.href;
    recordPageOpen();
    document.addEventListener("click", onClick, { capture: true, passive: true });
    document.addEventListener("change", onEdit, { capture: true, passive: true });
    document.addEventListener("input", onEdit, { capture: true, passive: true });
    window.addEventListener("popstate", onRoute);
    window.addEventListener("hashchange", onRoute);
    setInterval(onRoute, ROUTE_POLL_MS);
    OSR.domWatch.subscribe(onAddedNodes); // the observer the detector shares (issue 13)
  }

  /** The steps so far; a page still waiting for its name is named with what it shows now. */
  function steps() {
    settlePageOpen(true);
    return trail.slice();
  }

  OSR.stepsTrail = { start, record, steps };
})(globalThis.OSR);

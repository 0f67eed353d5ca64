// Fixture behaviour (not Odoo's code): boots like the version's web client, loads the
// record over JSON-RPC, opens the navbar dropdowns and tabs, and on "Confirm" calls the
// server and shows the version's error dialog for the answer (tests/fixtures/odoo/README.md).
(function () {
    const MAJOR = Number(document.currentScript.dataset.major);
    // Where the "server" answers: "" at a fixture origin, /dev/odoo-demo in the server's demo.
    const RPC_BASE = document.currentScript.dataset.rpcBase || "";
    const log = (window.fixtureLog = []);
    let rpcId = 0;

    function boot() {
        const odoo = window.odoo;
        if (MAJOR >= 15) {
            const session = odoo.__session_info__;
            delete odoo.__session_info__;
            if (MAJOR >= 17) {
                odoo.info = { db: session.db, server_version: session.server_version,
                    server_version_info: session.server_version_info,
                    isEnterprise: session.server_version_info.slice(-1)[0] === "e" };
            }
        }
        if (MAJOR >= 17) odoo.loader = { modules: new Map() };
        else odoo.define = function define() {};
    }

    function rpc(url, params) {
        return new Promise((resolve) => {
            const request = new XMLHttpRequest();
            request.open("POST", RPC_BASE + url);
            request.setRequestHeader("Content-Type", "application/json");
            request.addEventListener("load", () => {
                const answer = JSON.parse(request.responseText);
                log.push({ url, status: request.status, answer });
                resolve(answer);
            });
            request.send(JSON.stringify({ jsonrpc: "2.0", method: "call", params, id: ++rpcId }));
        });
    }

    const context = { lang: "en_US", tz: "Europe/Helsinki", uid: 2, allowed_company_ids: [1] };

    function loadRecord() {
        const method = MAJOR >= 17 ? "web_read" : "read";
        return rpc(`/web/dataset/call_kw/sale.order/${method}`,
            { model: "sale.order", method, args: [[42]], kwargs: { context } });
    }

    function confirmOrder() {
        const url = MAJOR >= 17 ? "/web/dataset/call_button/sale.order/action_confirm" : "/web/dataset/call_button";
        return rpc(url, { model: "sale.order", method: "action_confirm", args: [[42]], kwargs: { context } });
    }

    function element(html) {
        const holder = document.createElement("div");
        holder.innerHTML = html.trim();
        return holder.firstElementChild;
    }

    function escape(text) {
        const span = document.createElement("span");
        span.textContent = text;
        return span.innerHTML;
    }

    function mount(modalHtml) {
        if (MAJOR === 14) {
            const modal = element(modalHtml);
            document.body.append(modal, element('<div class="modal-backdrop show"></div>'));
            return modal;
        }
        const dialog = element(`<div class="o_dialog">${modalHtml}</div>`);
        const containerClass = MAJOR <= 16 ? "o_dialog_container" : "o-overlay-container";
        let container = document.querySelector("." + containerClass);
        if (!container) {
            container = element(`<div class="${containerClass}"></div>`);
            document.body.append(container);
        }
        // Owl inserts a rendered block at once: 17+ wrap the dialog in its overlay item first.
        const item = MAJOR >= 17 ? element('<div class="o-overlay-item"></div>') : null;
        if (item) item.append(dialog);
        container.append(item || dialog);
        return dialog;
    }

    function frame(title, contentClass, size, body, buttons) {
        const header = `<header class="modal-header"><h4 class="modal-title${MAJOR >= 16 ? " text-break" : ""}">${escape(title)}</h4>`
            + (MAJOR <= 15 ? '<button type="button" class="close" aria-label="Close">×</button>' : '<button type="button" class="btn-close" aria-label="Close"></button>')
            + "</header>";
        const footer = `<footer class="modal-footer${MAJOR >= 16 ? " justify-content-around justify-content-sm-start flex-wrap gap-1" : ""}"${MAJOR === 16 || MAJOR === 17 ? ' style="order:2"' : ""}>${buttons}</footer>`;
        const main = `<main class="modal-body">${body}</main>`;
        const parts = MAJOR === 16 || MAJOR === 17 ? header + footer + main : header + main + footer;
        const dialogClass = MAJOR >= 17 ? `modal-dialog modal-dialog-centered modal-${size}` : `modal-dialog modal-${size}`;
        const modalClass = MAJOR === 14 ? "modal o_technical_modal show" : MAJOR === 15 ? "modal o_technical_modal" : "modal d-block o_technical_modal";
        const modal = mount(`<div class="${modalClass}" role="dialog" tabindex="-1"><div class="${dialogClass}">`
            + `<div class="modal-content${contentClass ? " " + contentClass : ""}">${parts}</div></div></div>`);
        modal.querySelectorAll("footer .btn, .btn-close, .close").forEach((button) => button.addEventListener("click", () => {
            modal.remove();
            document.querySelectorAll(".modal-backdrop").forEach((backdrop) => backdrop.remove());
        }));
        return modal;
    }

    const okButton = () => (MAJOR >= 17 ? '<button class="btn btn-primary o-default-button">Close</button>'
        : MAJOR === 16 ? '<button class="btn btn-primary o-default-button">Ok</button>' : '<button class="btn btn-primary">Ok</button>');

    const WARNING_TITLES = { "odoo.exceptions.UserError": MAJOR >= 17 ? "Invalid Operation" : "User Error",
        "odoo.exceptions.ValidationError": "Validation Error", "odoo.exceptions.AccessError": "Access Error" };

    function showWarning(title, message) {
        const body = MAJOR === 14 ? `<div class="o_dialog_warning" role="alert">${escape(message)}</div>`
            : MAJOR <= 16 ? `<div role="alert" class="o_dialog_warning"><p style="white-space: pre-wrap;">${escape(message)}</p></div>`
                : `<div role="alert"><p class="text-prewrap">${escape(message)}</p></div>`;
        return frame(title, MAJOR >= 17 ? "o_error_dialog" : "", MAJOR >= 18 ? "xl" : "md", body, okButton());
    }

    function showServerError(error) {
        const data = error.data;
        // 16, 17: web.ErrorDialog's own title, "Odoo Error" (seen on real 16.0 and 17.0).
        const title = MAJOR >= 18 ? "Oops!" : [14, 16, 17].includes(MAJOR) ? "Odoo Error" : "Odoo Server Error";
        const intro = MAJOR >= 18 ? '<p class="text-prewrap">Something went wrong... If you really are stuck, share the report with your friendly support service</p>'
            : "<p><b>An error occurred</b></p><p>Please use the copy button to report the error to your support service.</p>";
        const toggleText = MAJOR >= 18 ? "See technical details" : "See details";
        // 14 keeps the traceback in the DOM, hidden by .collapse; 15+ render it only after the click.
        const hidden = MAJOR === 14 ? `<div class="collapse alert alert-danger o_error_detail" role="alert"><pre>${escape(error.message)}</pre><pre>${escape(data.debug)}</pre></div>` : "";
        const body = `<div class="${MAJOR <= 16 ? "o_dialog_error" : ""}" role="alert">${intro}<button class="btn btn-link" data-fixture="toggle">${toggleText}</button>${hidden}</div>`;
        const contentClass = MAJOR >= 17 ? "o_error_dialog" : MAJOR >= 15 ? "o_dialog_error" : "";
        const modal = frame(title, contentClass, MAJOR >= 18 ? "xl" : "lg", body, okButton());
        modal.querySelector("[data-fixture=toggle]").addEventListener("click", (event) => {
            if (MAJOR === 14) return modal.querySelector(".o_error_detail").classList.toggle("show");
            event.target.after(element(`<div class="alert alert-danger o_error_detail" role="alert"><code>${escape(data.name)}</code><pre>${escape(data.debug)}</pre></div>`));
        });
        return modal;
    }

    function showRpcError(error) {
        const data = error.data || {};
        if (WARNING_TITLES[data.name]) return showWarning(WARNING_TITLES[data.name], (data.arguments || [])[0] || data.message);
        return showServerError(error);
    }

    function showConfirmation() {
        const buttons = '<button class="btn btn-primary">Ok</button><button class="btn btn-secondary">Cancel</button>';
        return frame("Confirmation", "", "md", '<p class="text-prewrap">Are you sure you want to cancel this order?</p>', buttons);
    }

    function openDropdown(toggle) {
        if (MAJOR <= 16) {
            toggle.parentElement.querySelector(".dropdown-menu").classList.toggle("show");
            return;
        }
        // 17+ render a dropdown's items in the overlay container, outside the navbar
        const menu = element(`<div class="o-dropdown--menu dropdown-menu show" role="menu" style="position: fixed; top: 46px; left: 120px;">
            <a href="/odoo/action-312" class="dropdown-item o_nav_entry" role="menuitem" data-menu-xmlid="sale.menu_sale_quotations" data-section="178">Quotations</a>
            <a href="/odoo/action-313" class="dropdown-item o_nav_entry" role="menuitem" data-menu-xmlid="sale.menu_sale_order" data-section="179">Orders</a></div>`);
        let overlay = document.querySelector(".o-overlay-container");
        if (!overlay) {
            overlay = element('<div class="o-overlay-container"></div>');
            document.body.append(overlay);
        }
        overlay.append(menu);
    }

    document.addEventListener("click", (event) => {
        const target = event.target;
        const toggle = target.closest(".o_menu_sections .dropdown-toggle, .o_menu_apps a.full");
        const item = target.closest(".dropdown-item, .o_nav_entry");
        const tab = target.closest(".o_notebook .nav-link");
        const button = target.closest(".o_statusbar_buttons button");
        const link = target.closest("a[href]");
        if (link) event.preventDefault(); // the web client routes its links itself
        if (toggle) return openDropdown(toggle);
        if (item) return document.querySelectorAll(".dropdown-menu.show").forEach((menu) => menu.classList.remove("show"));
        if (tab) {
            document.querySelectorAll(".o_notebook .nav-link").forEach((other) => other.classList.toggle("active", other === tab));
            return;
        }
        if (button && button.name === "action_confirm") {
            confirmOrder().then((answer) => { if (answer.error) showRpcError(answer.error); });
        }
        if (button && button.name === "action_cancel") showConfirmation();
    });

    boot();
    loadRecord();
})();

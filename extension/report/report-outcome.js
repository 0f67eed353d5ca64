// After "Send": the receipt (G5, G6), or "waiting to be sent", which follows
// the report in the background queue and becomes the receipt once it is sent.
import { formatTime, messaging, pageI18n } from "../lib.js";

const { t, errorText } = pageI18n;
const { askBackground } = messaging;
const VIEWS = ["form-view", "waiting-view", "receipt-view"];
const WAITING_POLL_MS = 2000;
const $ = (id) => document.getElementById(id);

function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
}

export class ReportOutcome {
  /** `onFinished()` runs when the form is done with: sent, or safely queued. */
  constructor(clientReportId, { onFinished = () => {} } = {}) {
    this.clientReportId = clientReportId;
    this.onFinished = onFinished;
    this.timer = null;
    $("retry-now").addEventListener("click", () => this.follow("retry-reports"));
  }

  showReceipt(receipt) {
    clearInterval(this.timer);
    this.onFinished();
    showView("receipt-view");
    $("receipt-reference").textContent = t("report_receipt_reference", receipt.reference);
    const when = formatTime.formatAnswerBy(receipt.expected_answer_by, chrome.i18n.getUILanguage());
    $("receipt-answer-by").textContent = when ? t("report_receipt_answer_by", when) : "";
    $("receipt-heading").focus();
  }

  showWaiting(code) {
    this.onFinished();
    showView("waiting-view");
    this.showReason(code);
    $("waiting-heading").focus();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.follow("list-reports", { delivery: false }), WAITING_POLL_MS);
  }

  showReason(code) {
    $("waiting-reason").textContent = code ? t("report_waiting_reason", errorText(code)) : "";
  }

  /** Look up this report in the queue (`retry-reports` tries it first); the receipt once sent. */
  async follow(type, data = {}) {
    try {
      const { reports } = await askBackground(type, data);
      const mine = reports.find((entry) => entry.clientReportId === this.clientReportId);
      if (mine && mine.status === "sent") this.showReceipt(mine.receipt);
      else if (mine && mine.lastError) this.showReason(mine.lastError);
    } catch (error) {
      this.showReason(error.code);
    }
  }
}

// The editable list of steps before the error (E4): one text input per step,
// each with its own remove button; labels renumber as steps come and go.
import { pageI18n } from "../lib.js";

const { t } = pageI18n;

export class StepsList {
  constructor(list, addButton) {
    this.list = list;
    addButton.addEventListener("click", () => this.add("").focus());
  }

  /** Replace the list with `steps` (strings). */
  set(steps) {
    this.list.replaceChildren();
    for (const step of steps) this.add(step);
  }

  values() {
    return [...this.list.querySelectorAll("input[name=steps]")].map((input) => input.value);
  }

  /** Append one step; returns its input. */
  add(text) {
    const item = document.createElement("li");
    const input = document.createElement("input");
    input.type = "text";
    input.name = "steps";
    input.maxLength = 500;
    input.value = text;
    input.setAttribute("aria-describedby", "steps-help");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon";
    remove.textContent = "×";
    remove.addEventListener("click", () => this.remove(item));
    item.append(input, remove);
    this.list.append(item);
    this.renumber();
    return input;
  }

  remove(item) {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    this.renumber();
    const focusTarget = next ? next.querySelector("input") : document.getElementById("add-step");
    focusTarget.focus();
  }

  renumber() {
    [...this.list.children].forEach((item, index) => {
      item.querySelector("input").setAttribute("aria-label", t("report_step_label", index + 1));
      const label = t("report_step_remove", index + 1);
      item.querySelector("button").setAttribute("aria-label", label);
      item.querySelector("button").title = label;
    });
  }
}

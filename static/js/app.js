// Progressive enhancement only: every page works without this file.
"use strict";

document.documentElement.classList.add("js");

// The main menu collapses behind a "메뉴" button on narrow screens (CSS decides when it shows).
function setUpMenu() {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("main-nav");
  if (!toggle || !nav) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
}

// Wide tables scroll inside their own box on a phone; a box that does scroll takes keyboard focus
// (so it can be scrolled without a mouse) and is named after the table.
function setUpTableScrolling() {
  for (const table of document.querySelectorAll("main table")) {
    if (table.closest(".table-scroll")) continue;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.replaceWith(box);
    box.appendChild(table);
  }
  const mark = () => {
    const used = new Map();
    for (const box of document.querySelectorAll(".table-scroll")) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        const heading = box.closest("section")?.querySelector("h2, h3");
        // "… 표": the section around it may already be a region named after the same heading.
        const name = `${(caption || heading)?.textContent.trim() || ""} 표`.trim();
        const seen = (used.get(name) || 0) + 1;
        used.set(name, seen);
        box.setAttribute("aria-label", seen > 1 ? `${name} (${seen})` : name);
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  };
  mark();
  window.addEventListener("resize", mark);
}

// Irreversible actions (guro_sme/confirm.py): a form marked data-confirm asks in a <dialog> and is
// sent with confirmed=1 only when the user agrees. Without JavaScript the server asks instead.
// A bulk form names its checkboxes in data-confirm-count: "{n}" in the sentence becomes the number
// ticked, and with none ticked the form goes without asking (the server refuses, writing nothing).
function confirmDialog() {
  let dialog = document.getElementById("confirm-dialog");
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.id = "confirm-dialog";
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
  dialog.setAttribute("aria-describedby", "confirm-dialog-text");
  dialog.innerHTML =
    '<h2 id="confirm-dialog-title"></h2><p class="consequence" id="confirm-dialog-text"></p>' +
    '<form method="dialog" class="actions"><button type="submit" value="ok" class="button danger"></button>' +
    '<button type="submit" value="cancel" class="button secondary">취소</button></form>';
  document.body.appendChild(dialog);
  return dialog;
}

function setUpConfirmations() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.querySelector('input[name="confirmed"]')) return;
    let sentence = form.dataset.confirm;
    if (form.dataset.confirmCount) {
      const ticked = Array.from(form.elements).filter(
        (field) => field.name === form.dataset.confirmCount && field.checked,
      ).length;
      if (!ticked) return;
      sentence = sentence.replaceAll("{n}", String(ticked));
    }
    event.preventDefault();
    const submitter = event.submitter;
    const label = form.dataset.confirmLabel || submitter?.textContent.trim() || "확인";
    const dialog = confirmDialog();
    dialog.querySelector("h2").textContent = form.dataset.confirmTitle || `${label} 확인`;
    dialog.querySelector(".consequence").textContent = sentence;
    const ok = dialog.querySelector('button[value="ok"]');
    ok.textContent = label;
    ok.className = form.dataset.confirmStyle === "primary" ? "button" : "button danger";
    dialog.returnValue = "";
    dialog.onclose = () => {
      if (dialog.returnValue !== "ok") return;
      const confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "1";
      form.appendChild(confirmed);
      if (submitter?.name) {
        const pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      form.submit();
    };
    dialog.showModal();
    dialog.querySelector('button[value="cancel"]').focus();
  });
}

// The loan application form: a call select with data-fund-select names the fund select; once a
// call is chosen only its funds (data-funds) are offered, without one only the year-round funds.
// The server refuses any other pair ("선택한 공고의 기금이 아닙니다"), so this only guides.
function setUpFundFilter() {
  for (const callSelect of document.querySelectorAll("select[data-fund-select]")) {
    const fundSelect = document.getElementById(callSelect.dataset.fundSelect);
    if (!fundSelect) continue;
    const all = Array.from(fundSelect.options);
    const filter = (keepSelected) => {
      const chosen = callSelect.selectedOptions[0];
      const offered = chosen?.value ? (chosen.dataset.funds || "").split(" ") : null;
      const current = fundSelect.value;
      const fits = (option) =>
        !option.value ||
        (offered ? offered.includes(option.value) : option.dataset.yearRound === "1") ||
        (keepSelected && option.value === current);
      fundSelect.replaceChildren(...all.filter(fits));
      fundSelect.value = all.some((option) => option.value === current && fits(option)) ? current : "";
    };
    filter(true);
    callSelect.addEventListener("change", () => filter(false));
  }
}

// Downloads that take a moment (PDF, Excel): a link marked data-download says it is being
// prepared until the page has focus again (the save dialog closed) or a few seconds pass.
function setUpDownloadLinks() {
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-download]");
    if (!link || link.getAttribute("aria-busy") === "true") return;
    const note = document.createElement("span");
    note.className = "busy-note";
    note.textContent = " (준비 중…)";
    link.setAttribute("aria-busy", "true");
    link.appendChild(note);
    let timer;
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("focus", done);
      link.removeAttribute("aria-busy");
      note.remove();
    };
    timer = setTimeout(done, 8000);
    // The click itself may blur and refocus the window; wait a moment before listening.
    setTimeout(() => window.addEventListener("focus", done), 500);
  });
}

// A form marked data-download-refresh answers with a file (수료증 발급): fetch it, save it, then
// reload the page so it shows what the POST changed (the new number, the success message). A
// refusal (which writes nothing) or any failure is sent again as a plain submit, whose redirect
// shows the server's message.
function setUpDownloadForms() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-download-refresh")) return;
    event.preventDefault();
    const button = form.querySelector("button");
    button?.setAttribute("aria-busy", "true");
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form) });
      const disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || !disposition.startsWith("attachment")) throw new Error("no file");
      const encoded = /filename\*=utf-8''([^;]+)/i.exec(disposition);
      const plain = /filename="([^"]+)"/.exec(disposition);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = encoded ? decodeURIComponent(encoded[1]) : plain?.[1] || "download";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => window.location.reload(), 300);
    } catch {
      form.removeAttribute("data-download-refresh");
      form.submit();
    }
  });
}

// The firm field: suggestions from /firms/lookup/ as staff type (회사명, 대표자 or 번호), shown
// in the field's datalist; without JavaScript the 사업자등록번호 typed is enough.
function setUpFirmLookup() {
  document.querySelectorAll("input[data-firm-lookup]").forEach((input) => {
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null;
    let asked = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || text === asked || !list) return;
      timer = setTimeout(async () => {
        asked = text;
        try {
          const response = await fetch(`${input.dataset.firmLookup}?q=${encodeURIComponent(text)}`, {
            headers: { Accept: "application/json" },
          });
          if (!response.ok) return;
          const data = await response.json();
          list.replaceChildren(
            ...data.firms.map((firm) => {
              const option = document.createElement("option");
              option.value = firm.label;
              return option;
            })
          );
        } catch {
          /* no suggestions: the number typed still works */
        }
      }, 200);
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpFirmLookup();
  setUpDownloadForms();
  setUpMenu();
  setUpConfirmations();
  setUpTableScrolling();
  setUpFundFilter();
  setUpDownloadLinks();
});

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
        const name = (caption || heading)?.textContent.trim() || "표";
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

document.addEventListener("DOMContentLoaded", () => {
  setUpMenu();
  setUpTableScrolling();
});

"""axe-core on every page the browser tests visit, at 1280 px and at 390 px.

How it works (see docs/ACCESSIBILITY.md):
- `watch_accessibility(context)` adds axe-core (shipped inside axe-playwright-python: nothing is
  downloaded) to every page of a Playwright browser context. Each page runs axe when it has loaded
  and reports its violations, and whether it is wider than the viewport, back to Python.
- Every GET page the test loaded is visited again at the end at 390 px (a phone), in the same
  context (same login), and checked the same way.
- `watcher.assert_clean()` fails with one line per violation: rule, impact, URL, width, elements.

tests/conftest.py wires this into the `context` fixture, so every test that uses `page` is checked
without doing anything. A test that opens its own context calls `watch_accessibility(context)`
itself and `assert_clean()` at its end; `check_page(page)` checks the page shown right now.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

from axe_playwright_python.base import AXE_SCRIPT

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Runs in the page after axe.min.js: axe-core's default rules (WCAG 2.0/2.1 A and AA plus its
# best practices), and the horizontal overflow check a phone layout needs.
_RUN_AXE = """
window.__axeDone = new Promise((resolve) => {
  const run = () => axe.run(document, { resultTypes: ["violations"] }).then((result) => ({
      url: location.href,
      width: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      violations: result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      })),
    }));
  const report = () => run()
    .then((r) => (window.__axeReport ? window.__axeReport(r) : r))
    .catch((e) => window.__axeReport && window.__axeReport({ url: location.href, error: String(e) }))
    .finally(resolve);
  if (document.readyState === "complete") report(); else window.addEventListener("load", report);
});
"""

_INIT_SCRIPT = (
    'if (window.top === window && location.protocol.startsWith("http") && document.contentType === "text/html") {\n'
    + AXE_SCRIPT
    + "\n"
    + _RUN_AXE
    + "}\n"
)


@dataclass
class AccessibilityWatcher:
    context: object
    reports: list = field(default_factory=list)
    visited: list = field(default_factory=list)
    visited_paths: set = field(default_factory=set)

    def _record_response(self, response):
        """Remember each HTML page a GET navigation showed (not downloads, not POST answers)."""
        request = response.request
        if not (request.is_navigation_request() and request.method == "GET"):
            return
        if "text/html" not in (response.headers.get("content-type") or ""):
            return
        # One phone visit per path: the same page with other filters has the same layout.
        path = request.url.split("?")[0]
        if request.frame.parent_frame is None and path not in self.visited_paths:
            self.visited_paths.add(path)
            self.visited.append(request.url)

    def recheck_on_phone(self):
        """Visit every GET page again at 390 px in the same context and let axe report."""
        if not self.visited:
            return
        page = self.context.new_page()
        page.set_viewport_size(PHONE)
        for url in self.visited:
            page.goto(url)
            page.evaluate("window.__axeDone || null")
        page.close()

    def wait_for_open_pages(self):
        for page in self.context.pages:
            # A page closing or navigating away: its report is already in, or there is none.
            with contextlib.suppress(Exception):
                page.evaluate("window.__axeDone || null")

    def problems(self) -> list[str]:
        lines = []
        for report in self.reports:
            where = f"{report.get('url')} @ {report.get('width')}px"
            if "error" in report:
                lines.append(f"axe failed on {where}: {report['error']}")
                continue
            for violation in report["violations"]:
                targets = ", ".join(violation["targets"])
                lines.append(
                    f"{violation['id']} ({violation['impact']}) {where}: {violation['help']} — {targets}"
                )
            if report["scrollWidth"] > report["width"]:
                lines.append(f"page wider than the viewport {where}: {report['scrollWidth']}px")
        return sorted(set(lines))

    def assert_clean(self, *, recheck=True):
        self.wait_for_open_pages()
        if recheck:
            self.recheck_on_phone()
        problems = self.problems()
        assert not problems, "accessibility problems:\n" + "\n".join(problems)


def watch_accessibility(context) -> AccessibilityWatcher:
    """Check every page this context loads (call before opening pages)."""
    watcher = AccessibilityWatcher(context)
    context.expose_binding("__axeReport", lambda _source, report: watcher.reports.append(report))
    context.add_init_script(_INIT_SCRIPT)
    context.on("response", watcher._record_response)
    return watcher


def check_page(page):
    """axe-core on the page as it is now (e.g. with a dialog open); fails on any violation."""
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("""() => axe.run(document, { resultTypes: ["violations"] }).then((r) => ({
        width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
        violations: r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}))}))""")
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'])}" for v in result["violations"]
    ]
    if result["scrollWidth"] > result["width"]:
        problems.append(f"page wider than the viewport: {result['scrollWidth']}px > {result['width']}px")
    assert not problems, f"accessibility problems on {page.url}:\n" + json.dumps(
        problems, ensure_ascii=False, indent=1
    )

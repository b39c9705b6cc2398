"""Collect every Content-Security-Policy violation a page reports.

Three routes, because none sees everything alone: the browser's console
messages, the ``securitypolicyviolation`` DOM event (in every document the
page opens), and DevTools' issues, which also see CKEditor's editing frame.
Usage::

    violations = CSPViolations(page)  # before page.goto
    ...
    assert violations.all() == []
"""

# Registered in every document before its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class CSPViolations:
    def __init__(self, page):
        self.page = page
        self.seen = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)
        cdp = page.context.new_cdp_session(page)
        cdp.on("Audits.issueAdded", self._issue)
        cdp.send("Audits.enable")

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.seen.append(f"console: {message.text}")

    def _issue(self, event):
        issue = event["issue"]
        if issue["code"] == "ContentSecurityPolicyIssue":
            self.seen.append(f"issue: {issue['details']}")

    def all(self) -> list[str]:
        found = list(self.seen)
        for frame in self.page.frames:
            try:
                found += [f"event: {v}" for v in frame.evaluate("window.__cspViolations || []")]
            except Exception:  # noqa: BLE001  a frame that went away meanwhile
                pass
        return found

"""JavaScript in the extension's content-script world of a page, for browser tests."""
import time

from tests.e2e.conftest import EXTENSION_ID


class IsolatedWorld:
    """Evaluates JavaScript in the extension's content-script world of a page, where `OSR` lives.

    Playwright evaluates in the page's main world; the Chrome DevTools Protocol names every
    execution context, and the extension's has the extension's origin.
    """

    def __init__(self, browser, page):
        self.page = page
        self.context_id = None
        self.cdp = browser.context.new_cdp_session(page)
        self.cdp.on("Runtime.executionContextCreated", self._created)
        self.cdp.on("Runtime.executionContextsCleared", self._cleared)
        self.cdp.send("Runtime.enable")

    def _created(self, event):
        context = event["context"]
        ours = context["origin"] == f"chrome-extension://{EXTENSION_ID}"
        if ours and context["auxData"].get("isDefault") is False:
            self.context_id = context["id"]

    def _cleared(self, _event):
        self.context_id = None

    def evaluate(self, expression, timeout=10.0):
        """Value of `expression` (awaited when a promise) in the isolated world."""
        deadline = time.monotonic() + timeout
        while self.context_id is None:
            if time.monotonic() > deadline:
                raise AssertionError("the extension's content scripts never started in this page")
            self.page.wait_for_timeout(50)
        answer = self.cdp.send("Runtime.evaluate", {
            "expression": expression, "contextId": self.context_id,
            "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in answer:
            raise AssertionError(f"isolated world: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait_for(self, expression, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression, timeout)
            if value:
                return value
            self.page.wait_for_timeout(100)
        raise AssertionError(f"still false after {timeout}s: {expression}")

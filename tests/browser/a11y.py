from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


def no_serious_violations(page: Page, name: str) -> None:
    """axe-core finds no violation of impact serious or critical on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: {serious}"

"""Opening a tab of the contract page: its section first, then the tab within it."""

from contracts.register.tabs import CONTRACT_TABS


def open_contract_tab(page, name: str) -> None:
    section = next(tab.section for tab in CONTRACT_TABS if tab.label == name)
    tab = page.get_by_test_id("section-tabs").get_by_role("link", name=name, exact=True)
    if tab.count() == 0:
        sections = page.get_by_role("navigation", name="Sections of this record")
        with page.expect_navigation():
            sections.get_by_role("link", name=section, exact=True).click()
    if tab.count() and tab.get_attribute("aria-current") != "page":
        with page.expect_navigation():
            tab.click()

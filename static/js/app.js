// Starts the GOV.UK and MOJ components on every page.
import { initAll as initGovuk } from "../vendor/govuk/govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMoj } from "../vendor/moj/moj-frontend.min.js";

initGovuk();
initMoj();

// A list's filter: beside the results on a large screen, behind a "Show filter" button on a
// small one (MOJ's filter toggle button, which MOJ's initAll does not start by itself).
for (const filter of document.querySelectorAll('[data-module="app-filter-toggle"]')) {
  const layout = filter.closest(".moj-filter-layout");
  new FilterToggleButton(filter, {
    bigModeMediaQuery: "(min-width: 48.0625em)",
    startHidden: false,
    toggleButton: {
      showText: "Show filter",
      hideText: "Hide filter",
      classes: "govuk-button--secondary govuk-!-margin-bottom-4",
    },
    toggleButtonContainer: { element: layout.querySelector(".moj-action-bar__filter") },
  });
}

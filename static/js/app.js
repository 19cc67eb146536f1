// Starts the GOV.UK and MOJ components on every page.
import { initAll as initGovuk } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj/moj-frontend.min.js";

initGovuk();
initMoj();

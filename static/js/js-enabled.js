// Loaded at the top of <body>, before anything is drawn: GOV.UK Frontend's styles for
// pages where JavaScript runs. A file rather than an inline script, so the
// Content-Security-Policy can forbid inline scripts.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

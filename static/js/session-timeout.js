// Warns a signed-in person two minutes before an idle session ends, with a button to
// stay signed in. The server signs the session out (SESSION_IDLE_MINUTES); this only
// counts down from the last request this page made and says so in time.
const WARN_BEFORE_SECONDS = 120;

function start(warning) {
  const idleSeconds = Number(warning.dataset.idleSeconds);
  if (!idleSeconds) return;
  const form = warning.querySelector("form");
  const countdown = warning.querySelector("[data-countdown]");
  let warnTimer;
  let endTimer;
  let tick;

  function minutesText(seconds) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }

  function show() {
    const endsAt = Date.now() + WARN_BEFORE_SECONDS * 1000;
    const update = () => {
      countdown.textContent = minutesText((endsAt - Date.now()) / 1000);
    };
    update();
    tick = window.setInterval(update, 15000);
    warning.hidden = false;
    warning.focus();
  }

  function hide() {
    warning.hidden = true;
    window.clearInterval(tick);
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    hide();
    warnTimer = window.setTimeout(show, Math.max(0, idleSeconds - WARN_BEFORE_SECONDS) * 1000);
    // Reloading after the end lets the server sign the person out and say why.
    endTimer = window.setTimeout(() => window.location.reload(), (idleSeconds + 1) * 1000);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.status === 204) {
      restart();
    } else {
      window.location.reload();
    }
  });
  // Requests htmx makes count as activity on the server too.
  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
}

const warning = document.querySelector("[data-module='app-session-timeout']");
if (warning) start(warning);

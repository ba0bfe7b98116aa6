// The anonymous input form's proof of work (issue 10, docs/decisions/0002-staff-input.md).
//
// The ALTCHA widget (npm `altcha`, the build without inline workers, served from node_modules)
// solves the page's challenge invisibly while the person writes, in web workers loaded from our
// own origin, and puts the solution in the hidden field `altcha`. Nothing is fetched from
// anywhere else, no cookie is set and no interaction data is collected. Without JavaScript, or
// if the check fails, the form still sends: the server then counts it against a stricter limit.
import "../vendor/altcha/external/altcha.min.js";

const altcha = globalThis.$altcha;
const worker = (file) => () => new Worker(new URL(`../vendor/altcha/workers/${file}`, import.meta.url));
for (const name of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
  altcha.algorithms.set(name, worker("pbkdf2.js"));
}
for (const name of ["SHA-256", "SHA-384", "SHA-512"]) {
  altcha.algorithms.set(name, worker("sha.js"));
}
altcha.defaults.set({ hideFooter: true, hideLogo: true, humanInteractionSignature: false });

// The widget's own texts, translated by Django, under the page's language.
const strings = document.getElementById("altcha-strings");
if (strings) {
  altcha.i18n.set(document.documentElement.lang || "nb", JSON.parse(strings.textContent));
}

// Someone quick may press Send while the check still runs: wait for it (a second or two at
// most) and send then. Never hold the text back for long: the server copes without a solution.
const HOLD_AT_MOST_MS = 8000;
for (const widget of document.querySelectorAll("altcha-widget")) {
  const form = widget.closest("form");
  if (!form) continue;
  let state = "unverified";
  let released = false;
  widget.addEventListener("statechange", (event) => {
    state = event.detail.state;
  });
  form.addEventListener("submit", (event) => {
    if (released || state !== "verifying") return;
    event.preventDefault();
    form.setAttribute("aria-busy", "true");
    const submitter = event.submitter;
    let timer = null;
    const send = () => {
      widget.removeEventListener("statechange", onChange);
      clearTimeout(timer);
      released = true;
      form.removeAttribute("aria-busy");
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    };
    const onChange = (change) => {
      if (change.detail.state !== "verifying") send();
    };
    widget.addEventListener("statechange", onChange);
    timer = setTimeout(send, HOLD_AT_MOST_MS);
  });
}

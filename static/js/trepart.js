// Small progressive enhancements; every page works without this file.
// After htmx swaps in a part of a form (e.g. a new risk row), move the keyboard focus to the
// element the server marked, so keyboard and screen-reader users land where the change is.
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.removeAttribute("data-focus-on-load");
    target.focus();
  }
});

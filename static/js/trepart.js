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

// Wide tables on narrow screens (issue 10): a table that does not fit scrolls sideways inside
// its .table-wrap. Show that it does: a fading right edge while there is more to see, a short
// hint above it, and make the region reachable with the keyboard (Tab, then the arrow keys).
(function () {
  function mark(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("table-wrap--scrolls", scrolls);
    wrap.classList.toggle(
      "table-wrap--at-end",
      wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1
    );
    var hint = wrap.previousElementSibling;
    var hasHint = hint && hint.classList.contains("table-hint");
    if (scrolls) {
      if (!wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        var label = (caption && caption.textContent.trim()) || document.body.dataset.tableLabel;
        if (label) wrap.setAttribute("aria-label", label);
      }
      if (!hasHint && document.body.dataset.scrollHint) {
        hint = document.createElement("p");
        hint.className = "table-hint";
        hint.textContent = document.body.dataset.scrollHint;
        wrap.parentNode.insertBefore(hint, wrap);
      }
    } else if (hasHint) {
      hint.remove();
    }
  }
  function markAll() {
    document.querySelectorAll(".table-wrap").forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", markAll);
  window.addEventListener("resize", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  document.addEventListener(
    "scroll",
    function (event) {
      if (event.target.classList && event.target.classList.contains("table-wrap")) {
        mark(event.target);
      }
    },
    true
  );
})();

// Print buttons (measure page): <button data-print> prints the page. Without JavaScript the
// browser's own print command does the same.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});

// Copy to clipboard (the members' summary, reflection): a button with data-copy-target (the
// id of the text box) is hidden until this runs; data-copied is said in [data-copy-status].
(function () {
  function setUp() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      if (button.dataset.copyReady) return;
      button.dataset.copyReady = "1";
      var status = document.querySelector("[data-copy-status]");
      var box = document.getElementById(button.getAttribute("data-copy-target"));
      if (!box) return;
      function done() {
        if (status) status.textContent = button.getAttribute("data-copied");
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(box.value).then(done);
        } else {
          box.select();
          if (document.execCommand("copy")) done();
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  document.addEventListener("htmx:afterSettle", setUp);
})();

// Server errors after an htmx request (issue 15): htmx swaps nothing for a 5xx answer, so the
// click would seem to do nothing. Show the error page's own message (the 503 page while the
// database is briefly unreachable, else the 500 page) in an alert at the top of the page,
// in the language the server chose. A new error replaces the previous alert.
(function () {
  function messageFrom(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var main = doc.querySelector("main");
    if (!main) return null;
    var parts = [];
    main.querySelectorAll("h1, p").forEach(function (el) {
      var text = el.textContent.trim();
      if (text && !el.querySelector("a")) parts.push({ text: text, heading: el.tagName === "H1" });
    });
    return parts.length ? parts : null;
  }
  function show(parts) {
    var old = document.querySelector("[data-server-error]");
    if (old) old.remove();
    var alert = document.createElement("div");
    alert.className = "ds-alert";
    alert.setAttribute("data-color", "danger");
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-server-error", "");
    parts.forEach(function (part) {
      var p = document.createElement("p");
      p.className = "ds-paragraph";
      if (part.heading) {
        var strong = document.createElement("strong");
        strong.textContent = part.text;
        p.appendChild(strong);
      } else {
        p.textContent = part.text;
      }
      alert.appendChild(p);
    });
    var main = document.getElementById("main") || document.body;
    main.insertBefore(alert, main.firstChild);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status < 500) return;
    var parts = messageFrom(xhr);
    if (parts) show(parts);
  });
  // A later request that works clears the alert; a page's own polling (hx-trigger "every …",
  // e.g. the import's progress) does not, or the alert would vanish before it is read.
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail && event.detail.elt;
    var trigger = (elt && elt.getAttribute && elt.getAttribute("hx-trigger")) || "";
    if (trigger.indexOf("every") !== -1) return;
    var old = document.querySelector("[data-server-error]");
    if (old) old.remove();
  });
})();

/* Trepart API: the documentation page (Swagger UI, settings from a JSON data block, no inline
   script) and the "copy the token" button on the page that shows a new token once. */
(function () {
  "use strict";

  function docs() {
    var data = document.getElementById("swagger-settings");
    if (!data || typeof window.SwaggerUIBundle !== "function") return;
    var config = JSON.parse(data.textContent);
    config.dom_id = "#swagger-ui";
    config.presets = [window.SwaggerUIBundle.presets.apis];
    window.SwaggerUIBundle(config);
  }

  function copyButton() {
    var button = document.getElementById("api-token-copy");
    var input = document.getElementById("api-token-secret");
    var status = document.getElementById("api-token-copied");
    if (!button || !input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) status.textContent = button.dataset.copied || "";
      });
    });
    input.addEventListener("focus", function () { input.select(); });
  }

  function ready() { docs(); copyButton(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

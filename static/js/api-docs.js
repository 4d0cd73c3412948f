// Starts Swagger UI on /api/docs/ from the schema URL in the page (no inline script: the CSP holds).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Read-only API: "Try it out" sends GET requests only.
    supportedSubmitMethods: ["get"],
  });
})();

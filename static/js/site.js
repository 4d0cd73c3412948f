/* Site-wide behaviour. Loaded with defer from base.html; the CSP forbids inline scripts. */
(function () {
  "use strict";

  // Skip link: move keyboard focus into <main>, not only the scroll position (older Safari and some
  // screen readers only scroll when following an in-page link).
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  // Narrow screens: collapse the main navigation behind a button. Without JavaScript the full
  // navigation stays visible, so nothing depends on this script.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    var narrow = window.matchMedia("(max-width: 720px)");
    var apply = function () {
      if (narrow.matches) {
        toggle.hidden = false;
        nav.classList.toggle("is-collapsed", toggle.getAttribute("aria-expanded") !== "true");
      } else {
        toggle.hidden = true;
        nav.classList.remove("is-collapsed");
      }
    };
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      apply();
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        apply();
        toggle.focus();
      }
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", apply);
    }
    apply();
  }
})();

/* 关怀模式 (care mode): larger type, higher contrast, wider spacing, a simpler layout.
 *
 * Loaded without defer from <head>, so the class is on <html> before the first paint and a page
 * never flashes in the normal style. The choice is kept in this browser's localStorage only: no
 * cookie, nothing sent to the server, so every visitor gets the same (cacheable) page and the
 * look is all CSS (html.care-mode in site.css). Without JavaScript the switch stays hidden.
 */
(function () {
  "use strict";

  var KEY = "portal.care-mode";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (error) {
      return false; // storage disabled: the switch still works for this page
    }
  }

  function store(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "on");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      /* not remembered, nothing else to do */
    }
  }

  function apply(on) {
    root.classList.toggle("care-mode", on);
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  apply(stored());

  function wire() {
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains("care-mode");
        store(on);
        apply(on);
      });
    }
    apply(root.classList.contains("care-mode"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }

  // Another tab switched: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) {
      apply(stored());
    }
  });
})();

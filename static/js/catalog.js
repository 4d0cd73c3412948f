/* Catalog list: a facet or sort change made with the mouse or by touch submits the form at
   once. Keyboard changes do not (arrow keys move through a radio group, and reloading the
   page on every key press would break keyboard use, WCAG 3.2.2): keyboard users press the
   "应用筛选" or "排序" button, which is also what works without JavaScript. */
(function () {
  "use strict";
  var form = document.getElementById("catalog-form");
  if (!form) {
    return;
  }
  var byPointer = false;
  form.addEventListener("pointerdown", function () { byPointer = true; });
  form.addEventListener("keydown", function () { byPointer = false; });

  // Leave empty parameters out of the address (?organ=&year=... is noise).
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.value && el.tagName !== "BUTTON" && (el.type !== "radio" || el.checked)) {
        el.disabled = true;
      }
    });
  });

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (byPointer && (el.type === "radio" || el.id === "catalog-sort")) {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  // Pages restored from the back/forward cache keep disabled fields: enable them again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      el.disabled = false;
    });
  });
})();

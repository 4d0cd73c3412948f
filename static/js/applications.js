// 依申请公开 online form: show the identity fields that fit the applicant type, and keep a
// double click from sending the form twice (the server deduplicates anyway by its token).
(function () {
  "use strict";
  var form = document.querySelector("[data-apply-form]");
  if (!form) { return; }

  var parts = form.querySelectorAll(".apply-part");
  function update() {
    var checked = form.querySelector('input[name="applicant_type"]:checked');
    if (!checked) {
      parts.forEach(function (part) { part.hidden = false; });
      return;
    }
    var natural = checked.value === "natural";
    parts.forEach(function (part) {
      part.hidden = (part.dataset.part === "natural") !== natural;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "applicant_type") { update(); }
  });
  update();

  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-submit-once]");
    if (button) {
      // Disable after this event so the browser still sends the form once.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();

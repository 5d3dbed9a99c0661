// lijian's own script: behaviour attached by data attributes, never inline handlers (CSP).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-submit-on-change]")) { el.form.requestSubmit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
});

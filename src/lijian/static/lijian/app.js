// lijian's own script: behaviour attached by data attributes, never inline handlers (CSP).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-submit-on-change]")) { el.form.requestSubmit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
});

// Pickers (lijian.core.widgets.PickerInput): htmx fetches the options for the word being typed; choosing
// one (click, or arrows and Enter) puts its code into the input, which is what the form submits.
(function () {
  var SEPARATORS = /[\s,，]+/;
  function pickerOf(el) { return el && el.closest ? el.closest("[data-picker]") : null; }
  function inputOf(picker) { return picker.querySelector("[data-picker-input]"); }
  function listOf(picker) { return picker.querySelector("[role=listbox]"); }
  function optionsOf(picker) { return Array.prototype.slice.call(picker.querySelectorAll("[data-picker-option]")); }
  function multiple(picker) { return picker.hasAttribute("data-picker-multiple"); }
  function word(picker) {
    var value = inputOf(picker).value;
    if (!multiple(picker)) { return value.trim(); }
    var words = value.split(SEPARATORS);
    return words[words.length - 1];
  }
  function close(picker) {
    var input = inputOf(picker);
    listOf(picker).innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function activate(picker, index) {
    var options = optionsOf(picker), input = inputOf(picker);
    options.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }
  // Under the input: the names of the chosen codes still in it (a code typed by hand has no name here).
  function showChosen(picker) {
    var labels = picker.lijianLabels || Object.create(null), chosen = picker.querySelector("[data-picker-chosen]");
    var names = inputOf(picker).value.split(SEPARATORS).filter(function (code) { return labels[code]; })
      .map(function (code) { return labels[code] + "（" + code + "）"; });
    chosen.textContent = names.length ? chosen.getAttribute("data-prefix") + names.join("、") : "";
  }
  function choose(option) {
    var picker = pickerOf(option), input = inputOf(picker);
    var value = option.getAttribute("data-value");
    picker.lijianLabels = picker.lijianLabels || Object.create(null);
    picker.lijianLabels[value] = option.getAttribute("data-label");
    input.value = multiple(picker) ? input.value.replace(/[^\s,，]*$/, "") + value + " " : value;
    showChosen(picker);
    input.setAttribute("data-picker-settled", input.value);  // a search already on its way is dropped
    close(picker);
    input.focus();
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var picker = pickerOf(event.detail.elt);
    if (!picker || event.detail.elt !== inputOf(picker)) { return; }
    if (inputOf(picker).value === inputOf(picker).getAttribute("data-picker-settled")) {
      event.preventDefault();
      return;
    }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) { delete params[key]; });
    params.q = word(picker);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var picker = pickerOf(event.detail.target);
    // Options that arrive after the user has moved on would cover the next fields: not shown.
    if (picker && !picker.contains(document.activeElement)) { event.detail.shouldSwap = false; }
  });
  document.addEventListener("focusout", function (event) {
    var picker = pickerOf(event.target);
    if (picker && !picker.contains(event.relatedTarget)) { close(picker); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.detail.target);
    if (!picker) { return; }
    var list = listOf(picker);
    optionsOf(picker).forEach(function (option, i) { option.id = list.id + "-" + i; });
    inputOf(picker).setAttribute("aria-expanded", list.children.length ? "true" : "false");
  });
  document.addEventListener("input", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === inputOf(picker)) { showChosen(picker); }
  });
  document.addEventListener("keydown", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target !== inputOf(picker)) { return; }
    var options = optionsOf(picker);
    var current = options.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) { return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(picker, current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();  // choose, do not submit the form yet
      choose(options[current]);
    } else if (event.key === "Escape" && listOf(picker).children.length) {
      event.preventDefault();
      close(picker);
    }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-picker-option]");
    if (option) { choose(option); return; }
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) { close(picker); }
    });
  });
})();

// The top menu (base.html): on a wide screen the entries that would not fit on one row go under 更多,
// the last ones first; on a narrow screen the menu collapses behind the toggler and holds them all.
(function () {
  var WIDE = window.matchMedia("(min-width: 992px)");
  var menu = document.getElementById("lj-menu");
  if (!menu) { return; }
  var more = document.getElementById("lj-menu-more");
  var list = more.querySelector(".lj-menu-more-list");
  var collapse = menu.closest(".navbar-collapse");
  function overflows() { return collapse.scrollWidth > collapse.clientWidth + 1; }
  function fitMenu() {
    Array.prototype.slice.call(list.children).forEach(function (item) { menu.insertBefore(item, more); });
    more.classList.add("d-none");
    if (!WIDE.matches || !overflows()) { return; }
    more.classList.remove("d-none");
    var items = menu.querySelectorAll(":scope > [data-menu-item]");
    for (var i = items.length - 1; i >= 0 && overflows(); i--) { list.insertBefore(items[i], list.firstChild); }
    more.querySelector(".nav-link").classList.toggle("active", list.querySelector(".nav-link.active") !== null);
  }
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fitMenu(); });
  });
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(fitMenu); }
  fitMenu();
})();

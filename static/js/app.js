/* Progressive enhancement for server-rendered pages. Loaded from a file: the CSP allows no inline script. */
(function () {
  "use strict";

  function toggleNode(button) {
    var item = button.closest("li");
    var group = item.querySelector(":scope > ul");
    var expanded = item.getAttribute("aria-expanded") === "true";
    if (!expanded && button.dataset.loaded !== "1" && button.dataset.childrenUrl) {
      button.dataset.loaded = "1";
      htmx.ajax("GET", button.dataset.childrenUrl, { target: group, swap: "innerHTML" });
    }
    group.hidden = expanded;
    item.setAttribute("aria-expanded", expanded ? "false" : "true");
    button.textContent = expanded ? "▸" : "▾";
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (toggle) {
      toggleNode(toggle);
      return;
    }
    var action = event.target.closest("[data-tree-action]");
    if (action) {
      var expand = action.dataset.treeAction === "expand";
      document.querySelectorAll(".org-tree .tree-toggle").forEach(function (button) {
        var item = button.closest("li");
        var isOpen = item.getAttribute("aria-expanded") === "true";
        // Expanding only opens levels already loaded, so one click never fetches the whole province.
        if (expand && !isOpen && button.dataset.loaded === "1") toggleNode(button);
        if (!expand && isOpen) toggleNode(button);
      });
      return;
    }
    var checkAll = event.target.closest("[data-check-all]");
    if (checkAll) {
      document.querySelectorAll('input[type=checkbox][name="' + checkAll.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = true;
      });
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // 问责立案: prefill the responsible subject from the team membership on the date of the facts.
  // Every change asks again; an answer to an earlier question that arrives late is dropped, so the
  // hint always belongs to the fields as they are now.
  var caseForm = document.querySelector("form[data-attribution-url]");
  if (caseForm) {
    var asked = 0;
    var refreshAttribution = function () {
      var ticket = ++asked;
      var value = function (name) { return caseForm.querySelector("[name=" + name + "]").value; };
      var params = new URLSearchParams({
        person: value("person"), organisation: value("organisation"), facts_date: value("facts_date")
      });
      fetch(caseForm.dataset.attributionUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || ticket !== asked) return;
          document.getElementById("attribution-hint").outerHTML = html;
          var hint = document.getElementById("attribution-subject");
          if (hint && hint.value) {
            caseForm.querySelector("[name=subject]").value = hint.value;
            caseForm.querySelector("[name=responsibility]").value = "individual";
          }
        });
    };
    ["person", "organisation", "facts_date"].forEach(function (name) {
      caseForm.querySelector("[name=" + name + "]").addEventListener("change", refreshAttribution);
    });
  }

  // Auto-submit selects marked with data-autosubmit (filters).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
})();

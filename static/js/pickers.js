/* Searchable pickers (people, organisations): a <select data-picker="URL"> becomes a Tom Select that
   asks URL?q=…&page=… as the user types and shows one page of matches at a time, the next page when
   the list is scrolled to its end. The page holds only the chosen option; the server checks what is
   posted against the same scoped list. Loaded from a file: the CSP allows no inline script. */
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") return;

  function pickerUrl(select, query, page) {
    var url = new URL(select.dataset.picker, window.location.href);
    url.searchParams.set("q", query || "");
    url.searchParams.set("page", String(page));
    var former = document.querySelector("[data-picker-former='" + select.id + "']");
    if (former && former.checked) url.searchParams.set("former", "1");
    return url.toString();
  }

  function escapeText(text, escape) { return escape(text == null ? "" : String(text)); }

  function initPicker(select) {
    if (select.tomselect) return;
    var pages = {};
    var picker = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],  // the server has matched already
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: false,  // the empty option is the placeholder; a field that may be empty gets a clear button
      placeholder: select.dataset.pickerPlaceholder || "",
      plugins: select.multiple ? ["remove_button", "virtual_scroll"] : (select.required ? ["virtual_scroll"] : ["virtual_scroll", "clear_button"]),
      firstUrl: function (query) { pages[query] = 1; return pickerUrl(select, query, 1); },
      load: function (query, callback) {
        var url = this.getUrl(query);
        var self = this;
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [], more: false }; })
          .then(function (data) {
            if (data.more) {
              pages[query] = (pages[query] || 1) + 1;
              self.setNextUrl(query, pickerUrl(select, query, pages[query]));
            }
            callback(data.results || []);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          return "<div>" + escapeText(item.text, escape) +
            (item.detail ? " <small class=\"text-muted\">" + escapeText(item.detail, escape) + "</small>" : "") + "</div>";
        },
        item: function (item, escape) { return "<div>" + escapeText(item.text, escape) + "</div>"; },
        no_results: function (data, escape) {
          return "<div class=\"no-results\">" + escapeText(select.dataset.pickerEmpty, escape) + "</div>";
        },
        loading_more: function () { return "<div class=\"loading-more-results py-2 d-flex align-items-center\"><div class=\"spinner-border spinner-border-sm\"></div></div>"; },
        no_more_results: function () { return ""; }
      }
    });
    // Asking for former cadres changes what may match: forget the cached answers.
    var former = document.querySelector("[data-picker-former='" + select.id + "']");
    if (former) {
      former.addEventListener("change", function () { picker.clearOptions(); picker.clearCache && picker.clearCache(); pages = {}; });
    }
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
  document.addEventListener("htmx:afterSwap", function (event) { initAll(event.target); });
})();

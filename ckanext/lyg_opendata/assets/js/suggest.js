/* Suggestions as you type in the dataset search boxes (README "Chinese search").
 *
 * Attaches to every search box of a dataset search form (a form whose action is the
 * dataset search — the header, the home page — and the form of /dataset/) and to any
 * <input data-lyg-suggest> or <input data-module="lyg-suggest">. Completions come from the action
 * lyg_opendata_search_suggest (titles the visitor may see; Chinese substrings, pinyin,
 * traditional forms). Up/Down choose, Enter opens, Escape closes.
 * The URL and the translated label come from #lyg-suggest-config
 * (templates/lyg_opendata/snippets/search_suggest.html).
 */
(function () {
  "use strict";
  var DELAY = 150;

  function config() {
    var el = document.getElementById("lyg-suggest-config");
    return el ? { url: el.dataset.url, datasetUrl: el.dataset.datasetUrl, label: el.dataset.label } : null;
  }

  function attach(input) {
    var cfg = config();
    if (!cfg || !input || input.dataset.lygSuggestAttached) { return; }
    input.dataset.lygSuggestAttached = "1";
    input.setAttribute("autocomplete", "off");
    var list = document.createElement("ul");
    list.className = "lyg-suggest list-unstyled";
    list.id = (input.id || "q") + "-lyg-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", cfg.label);
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    var holder = input.parentNode;
    if (window.getComputedStyle(holder).position === "static") { holder.style.position = "relative"; }
    holder.appendChild(list);

    var timer = null, seq = 0, active = -1;

    function close() { list.hidden = true; list.innerHTML = ""; active = -1; }

    function render(items) {
      list.innerHTML = "";
      active = -1;
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        var a = document.createElement("a");
        a.href = cfg.datasetUrl.replace("__NAME__", encodeURIComponent(item.name));
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function fetchNow() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch(cfg.url + "?" + new URLSearchParams({ q: q, limit: "8" }), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (mine !== seq || !data || !data.success) { return; }
          render(data.result.suggestions);
        })
        .catch(function () { close(); });
    }

    function move(step) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      if (active >= 0) { items[active].classList.remove("active"); items[active].removeAttribute("aria-selected"); }
      active = (active + step + items.length) % items.length;
      items[active].classList.add("active");
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchNow, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = list.querySelectorAll("li a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  if (window.ckan && window.ckan.module) {
    window.ckan.module("lyg-suggest", function () {
      return { initialize: function () { attach(this.el[0]); } };
    });
  }

  function attachAll() {
    document.querySelectorAll('form[action*="/dataset"] input[name="q"], ' +
                              'form#dataset-search-form input[name="q"], input[data-lyg-suggest]')
      .forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
  window.lygSuggestAttach = attach;
})();

/* 长者模式 toggle (remembered in this browser), "copy link" buttons, server-rendered dates.
   No third-party code. */
(function () {
  var KEY = "lyg-elder-mode";
  function apply(on) {
    document.documentElement.classList.toggle("lyg-elder", on);
    document.querySelectorAll("[data-lyg-elder-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  try { apply(localStorage.getItem(KEY) === "1"); } catch (e) {}
  document.addEventListener("DOMContentLoaded", function () {
    // Dates stay as the server wrote them (Chinese, Beijing time; i18n/display.py): CKAN's
    // main.js would rewrite every .automatic-local-datetime (used by ckanext-harvest's job
    // pages) with moment.js in English word order and the browser's time zone. This runs
    // first (registered in <head>, before main.js's ready handler).
    document.querySelectorAll(".automatic-local-datetime").forEach(function (e) {
      e.classList.remove("automatic-local-datetime");
      e.classList.add("lyg-datetime");
    });
    try { apply(localStorage.getItem(KEY) === "1"); } catch (e) {}
    document.querySelectorAll("[data-lyg-elder-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        var on = !document.documentElement.classList.contains("lyg-elder");
        try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) {}
        apply(on);
      });
    });
    document.querySelectorAll("[data-lyg-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var text = b.getAttribute("data-lyg-copy");
        var done = function () { b.textContent = b.getAttribute("data-lyg-copied"); };
        if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, done); }
        else { var t = document.createElement("textarea"); t.value = text; document.body.appendChild(t);
               t.select(); try { document.execCommand("copy"); } catch (e) {} t.remove(); done(); }
      });
    });
  });
})();

/* A readable URL name for a Chinese title (pinyin from /opendata/slug), on a new dataset's
   form, until the person edits the name themselves. CKAN's own slug keeps only Latin
   letters (连云港市公交线路 gave "ux"). */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var title = document.getElementById("field-title");
    var name = document.getElementById("field-name");
    if (!title || !name || name.value || !window.fetch) { return; }
    var edited = false, timer = null, seq = 0;
    name.addEventListener("input", function (e) { if (e.isTrusted) { edited = true; } });
    title.addEventListener("input", function () {
      if (edited) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/opendata/slug?title=" + encodeURIComponent(title.value))
          .then(function (r) { return r.json(); })
          .then(function (data) {
            if (edited || mine !== seq) { return; }
            if (window.jQuery) { window.jQuery(name).val(data.slug).trigger("change"); }
            else { name.value = data.slug; }
          });
      }, 250);
    });
  });
})();

/* Lists as cards on phones: each cell of a table.lyg-cards is labelled with its column's
   heading (data-label), which portal.css shows before the value below 576 px. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.lyg-cards").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) { return; }
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(cell.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && labels[col] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[col]);
          }
          col += span;
        });
      });
      table.classList.add("lyg-cards-ready");
    });
  });
})();

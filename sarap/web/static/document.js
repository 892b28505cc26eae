// Document page: a click on an item beside the text scrolls to its span and flashes it.
// Every item boundary is a segment boundary (sarap/web/highlight.py), so a span is a run of segments.
(function () {
  "use strict";
  var text = document.getElementById("doc-text");
  if (!text) { return; }
  var segments = Array.prototype.slice.call(text.querySelectorAll("[data-s]"));

  function spanSegments(start, end, entity) {
    if (entity) {
      return segments.filter(function (s) { return s.getAttribute("data-entity") === entity; }).slice(0, 1);
    }
    return segments.filter(function (s) {
      var s0 = +s.getAttribute("data-s"), e0 = +s.getAttribute("data-e");
      return s0 >= start && e0 <= end && e0 > s0;
    });
  }

  function flash(found) {
    if (!found.length) { return; }
    found[0].scrollIntoView({behavior: "smooth", block: "center"});
    found.forEach(function (s) {
      s.classList.add("flash");
      window.setTimeout(function () { s.classList.remove("flash"); }, 1800);
    });
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-start]");
    if (!item || event.target.closest("a")) { return; }
    flash(spanSegments(+item.getAttribute("data-start"), +item.getAttribute("data-end"),
                       item.getAttribute("data-entity")));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches(".item")) { event.target.click(); }
  });
  // Links from quote lists elsewhere arrive as #at-OFFSET.
  var match = /^#at-(\d+)$/.exec(window.location.hash);
  if (match) {
    var at = +match[1];
    flash(segments.filter(function (s) { return +s.getAttribute("data-s") <= at && +s.getAttribute("data-e") > at; }));
  }
}());

// Draws every [data-chart] element from the Plotly figure JSON embedded next to it (json_script).
// The page stays whole without this script: every chart is followed by a table of the same numbers.
(function () {
  "use strict";
  // No mode bar: its buttons inside a role="img" chart are unreachable to assistive technology, and the
  // data table and the exports below each chart already give the numbers.
  var CONFIG = { displayModeBar: false, responsive: true };
  // A chart with a narrow figure (data-chart-narrow) draws it on a phone: the same width as the stacked
  // tables of implhub.css, so a page switches its tables and charts together.
  var NARROW = window.matchMedia("(max-width: 575.98px)");

  function figureId(element) {
    return NARROW.matches && element.dataset.chartNarrow ? element.dataset.chartNarrow : element.dataset.chart;
  }

  function draw(element) {
    var id = figureId(element);
    var source = document.getElementById(id);
    if (!source || !window.Plotly || element.dataset.chartDrawn === id) return;
    var figure = JSON.parse(source.textContent);
    element.dataset.chartDrawn = id;
    window.Plotly.react(element, figure.data, figure.layout, CONFIG);
  }

  function charts() {
    return document.querySelectorAll("[data-chart]");
  }

  // Printing changes the page width without a resize event in every browser: refit before and after.
  function refit() {
    charts().forEach(function (element) {
      if (element.data) window.Plotly.Plots.resize(element);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    charts().forEach(draw);
  });
  NARROW.addEventListener("change", function () {
    charts().forEach(draw);
  });
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
})();

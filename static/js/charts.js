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
    window.Plotly.react(element, figure.data, figure.layout, CONFIG).then(function () {
      scalable(element);
      if (!element.dataset.chartScalable) {
        element.dataset.chartScalable = "yes";
        element.on("plotly_afterplot", function () { scalable(element); });
      }
    });
  }

  // A printed page is narrower than the screen the chart was drawn on, and printing runs no script in
  // every browser (nor when a PDF is made): each drawing gets a viewBox of the size it was drawn at, and
  // the chart its aspect ratio, so implhub.css can scale it to the page. On screen nothing changes.
  function scalable(element) {
    var svgs = element.querySelectorAll("svg.main-svg");
    svgs.forEach(function (svg) {
      var width = svg.getAttribute("width");
      var height = svg.getAttribute("height");
      if (!width || !height) return;
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    });
    if (svgs.length) {
      element.style.setProperty("--chart-aspect", svgs[0].getAttribute("width") + " / " + svgs[0].getAttribute("height"));
    }
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

  // The room each chart takes before it is drawn comes from its data attributes (no inline style: the
  // Content-Security-Policy allows none), so the page does not jump when the drawing arrives.
  function reserve(element) {
    element.style.setProperty("--chart-height", element.dataset.chartHeight + "px");
    if (element.dataset.chartNarrowHeight) {
      element.style.setProperty("--chart-narrow-height", element.dataset.chartNarrowHeight + "px");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    charts().forEach(reserve);
    charts().forEach(draw);
  });
  NARROW.addEventListener("change", function () {
    charts().forEach(draw);
  });
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
})();

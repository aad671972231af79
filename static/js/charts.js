// Draws every [data-chart] element from the Plotly figure JSON embedded next to it (json_script).
// The page stays whole without this script: every chart is followed by a table of the same numbers.
(function () {
  "use strict";
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
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
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
})();

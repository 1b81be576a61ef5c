/* careties: draw every Plotly chart on the page from its JSON block.
   No inline scripts (the Content-Security-Policy forbids them): each chart's figure is in a
   <script type="application/json" data-chart="target-id">, drawn with the vendored plotly.js.
   Charts re-draw after htmx swaps a section in. */
(function () {
  "use strict";
  function render(root) {
    if (!window.Plotly) { return; }
    var blocks = (root || document).querySelectorAll('script[type="application/json"][data-chart]');
    blocks.forEach(function (block) {
      var target = document.getElementById(block.getAttribute("data-chart"));
      if (!target || target.getAttribute("data-rendered") === "1") { return; }
      var figure;
      try { figure = JSON.parse(block.textContent); } catch (e) { return; }
      if (!figure || !figure.data) { return; }
      window.Plotly.newPlot(target, figure.data, figure.layout || {}, {
        displayModeBar: false, responsive: true, staticPlot: false
      });
      target.setAttribute("data-rendered", "1");
    });
  }
  window.caretiesCharts = { render: render };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  } else {
    render(document);
  }
  document.addEventListener("htmx:afterSettle", function () { render(document); });
})();

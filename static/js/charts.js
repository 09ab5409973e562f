/* Charts drawn from data the page embeds with json_script (no inline script: CSP). */
(function () {
  "use strict";
  document.querySelectorAll("canvas[data-chart-source]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.doneLabel, data: data.rates, backgroundColor: data.colors },
          { type: "line", label: data.parentLabel, data: data.labels.map(function () { return data.parentRate; }),
            borderColor: "#555", borderDash: [6, 4], pointRadius: 0, fill: false }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });

  document.querySelectorAll("canvas[data-line-chart-source]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.lineChartSource);
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.years,
        datasets: data.series.map(function (series) {
          return { label: series.label, data: series.values, spanGaps: true, tension: 0.2 };
        })
      },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { suggestedMin: 0, suggestedMax: 100 } },
        plugins: { legend: { position: "bottom" } } }
    });
  });

  // The 驾驶舱's charts (templates/responsibilities/dashboard.html): bar, horizontal bar, line or
  // doughnut, from a description the server writes (core.panels.DashboardSection.chart).
  document.querySelectorAll("canvas[data-dashboard-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.dashboardChart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var round = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (set) {
      var colour = set.colors || set.color;
      var dataset = { label: set.label, data: set.data, backgroundColor: colour, borderColor: set.color || "#fff",
        maxBarThickness: 36 };
      if (spec.type === "line") {
        dataset.spanGaps = true;
        dataset.fill = false;
        dataset.clip = false; // a point at 100 % is drawn whole
      }
      return dataset;
    });
    if (spec.line && spec.line.value !== null) {
      datasets.push({ type: "line", label: spec.line.label, data: spec.labels.map(function () { return spec.line.value; }),
        borderColor: "#555", borderDash: [6, 4], pointRadius: 0, fill: false });
    }
    var valueAxis = spec.percent
      ? { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } }
      : { beginAtZero: true, ticks: { precision: 0 } };
    var options = { maintainAspectRatio: false, animation: false, layout: { padding: { top: 6 } },
      plugins: { legend: { position: "bottom" } } };
    if (!round) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = spec.horizontal ? { x: valueAxis } : { y: valueAxis };
      if (spec.horizontal) {
        // Long item titles are cut to fit beside the bars (the whole title is in the table and the tooltip).
        options.scales.y = { ticks: { callback: function (value) {
          var label = String(this.getLabelForValue(value));
          var room = canvas.parentNode.clientWidth < 560 ? 9 : 18;
          return label.length > room ? label.slice(0, room - 1) + "…" : label;
        } } };
      }
      if (spec.horizontal && datasets.length === 1) options.plugins.legend.display = false;
    }
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
  });

  // Redraw at the paper's size when printing (the print stylesheet sets the boxes' heights).
  window.addEventListener("beforeprint", function () {
    if (typeof Chart === "undefined") return;
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  });
})();

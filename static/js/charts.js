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
})();

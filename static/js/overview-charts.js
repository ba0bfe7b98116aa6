// The steering overview's trend charts (reporting/overview). Each <canvas data-chart="ID">
// reads its numbers from the <script type="application/json" id="ID"> the server wrote with
// json_script: the very numbers of the table beside the chart. Without JavaScript (or without
// Chart.js) the tables carry the numbers alone.
(function () {
  // Colours that tell the series apart for most kinds of colour vision, with different bar
  // borders as a second cue.
  var COLOURS = ["#1e5fa8", "#c05a00", "#2a7d46", "#7b3f9e"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: "#1a1a1a",
            borderWidth: i === 0 ? 0 : 1,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { ticks: { autoSkip: false, maxRotation: 45 } },
        },
        plugins: {
          legend: { display: data.series.length > 1, position: "bottom" },
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

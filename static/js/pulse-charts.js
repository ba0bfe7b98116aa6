// The cooperation pulse's trend charts (surveys/pulse). Each <canvas data-pulse-chart="ID">
// reads its numbers from the <script type="application/json" id="ID"> the server wrote with
// json_script: the very numbers of the table beside the chart (null for a period with too few
// answers: the line has a gap there). Without JavaScript (or without Chart.js) the tables carry
// the numbers alone. Drawn on "load", after every deferred script (Chart.js too) has run.
(function () {
  // Colours that tell the series apart for most kinds of colour vision, with point shapes and
  // dashes as a second cue.
  var COLOURS = ["#1e5fa8", "#c05a00", "#2a7d46", "#7b3f9e", "#1a1a1a"];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.pulseChart);
    if (!source || typeof window.Chart === "undefined" || canvas.dataset.drawn) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
            pointStyle: POINTS[i % POINTS.length],
            pointRadius: 4,
            borderDash: DASHES[i % DASHES.length],
            borderWidth: 2,
            spanGaps: false,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { min: 1, max: 5, ticks: { stepSize: 1 } },
          x: { ticks: { autoSkip: false, maxRotation: 45 } },
        },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-pulse-chart]").forEach(draw);
  }

  if (document.readyState === "complete") {
    drawAll();
  } else {
    window.addEventListener("load", drawAll);
  }
})();

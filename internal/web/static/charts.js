// Draws each table marked data-chart as a bar chart with uPlot, beside the
// table it reads: the table stays the accessible form of the figures (the
// chart is aria-hidden), and the data never travels in an inline script,
// which the Content-Security-Policy forbids.
(function () {
  'use strict';
  if (typeof uPlot === 'undefined') return;
  var accent = getComputedStyle(document.documentElement).getPropertyValue('--ds-color-accent-base-default').trim() || '#0062ba';
  var text = getComputedStyle(document.documentElement).getPropertyValue('--ds-color-neutral-text-default').trim() || '#1e2b3c';
  // A table may feed several charts: data-chart lists their holders, and
  // each holder's data-column names the column it draws (1 by default).
  function drawAll(table) {
    if (!table.tBodies.length) return;
    table.dataset.chart.split(/\s+/).forEach(function (id) {
      var holder = document.getElementById(id);
      if (holder) draw(table, holder, Number(holder.dataset.column || 1));
    });
  }
  function draw(table, holder, col) {
    var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return r.cells.length > col && r.cells[col].dataset.value !== undefined; });
    if (!rows.length) return;
    // A row's short label (a month's name) is in data-label; else its text.
    var labels = rows.map(function (r) { return r.cells[0].dataset.label || r.cells[0].textContent.trim(); });
    var long = labels.some(function (l) { return l.length > 8; });
    var values = rows.map(function (r) { return Number(r.cells[col].dataset.value); });
    var xs = values.map(function (_, i) { return i; });
    var width = Math.max(240, Math.min(holder.clientWidth || 480, 720));
    // Long labels (phases) read better on horizontal bars, labels on the left.
    var opts = {
      width: width,
      height: long ? 32 * values.length + 40 : 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, values.length - 0.5], ori: long ? 1 : 0, dir: long ? -1 : 1 },
        y: { range: function (u, min, max) { return [0, Math.max(1, max)]; }, ori: long ? 0 : 1 },
      },
      axes: [
        { stroke: text, space: long ? 16 : 24, incrs: [1, 2, 3, 6], size: long ? Math.min(170, width / 2) : 40, side: long ? 3 : 2,
          values: function (u, splits) { return splits.map(function (i) { var l = labels[i]; return l === undefined ? '' : (l.length > 22 ? l.slice(0, 21) + '…' : l); }); } },
        { stroke: text, side: long ? 2 : 3, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] },
      ],
      series: [{}, { fill: accent, stroke: accent, paths: uPlot.paths.bars({ size: [0.7, 48] }), points: { show: false } }],
    };
    holder.textContent = '';
    new uPlot(opts, [xs, values], holder);
  }
  document.querySelectorAll('table[data-chart]').forEach(drawAll);
})();

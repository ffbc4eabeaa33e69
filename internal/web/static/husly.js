// Husly's small page behaviour, loaded as a file under the strict CSP (no
// inline scripts): the error summary takes focus after a form comes back
// with problems, and the page warns before the session runs out, offering
// to keep it alive.
(function () {
  'use strict';
  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }
  ready(function () {
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus();

    var box = document.getElementById('session-warning');
    if (!box) return;
    var warnBefore = 5 * 60; // seconds before the end the warning shows
    var timers = [];
    function schedule(seconds) {
      timers.forEach(clearTimeout);
      timers = [];
      box.hidden = true;
      document.getElementById('session-warning-soon').hidden = false;
      document.getElementById('session-warning-gone').hidden = true;
      document.getElementById('session-keep').hidden = false;
      timers.push(setTimeout(function () { box.hidden = false; }, Math.max(seconds - warnBefore, 0) * 1000));
      timers.push(setTimeout(function () {
        box.hidden = false;
        document.getElementById('session-warning-soon').hidden = true;
        document.getElementById('session-warning-gone').hidden = false;
        document.getElementById('session-keep').hidden = true;
      }, seconds * 1000));
    }
    schedule(parseInt(box.getAttribute('data-seconds'), 10) || 0);
    document.getElementById('session-keep').addEventListener('click', function () {
      fetch('/okt', { credentials: 'same-origin', cache: 'no-store' }).then(function (resp) {
        if (!resp.ok) { schedule(0); return; }
        return resp.text().then(function (t) { schedule(parseInt(t, 10) || 0); });
      });
    });
  });
})();

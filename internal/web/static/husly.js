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

    // Long forms save a draft on the server a few seconds after the last
    // change, so an expired session never loses the work.
    Array.prototype.forEach.call(document.querySelectorAll('form[data-draft]'), function (form) {
      var timer = null;
      var status = form.querySelector('.draft-status');
      function save() {
        var body = new URLSearchParams(new FormData(form));
        body.set('utkast_skjema', form.getAttribute('action'));
        fetch('/utkast', { method: 'POST', credentials: 'same-origin', body: body }).then(function (resp) {
          if (!status) return;
          var time = new Date().toLocaleTimeString(document.documentElement.lang || 'nb', { hour: '2-digit', minute: '2-digit' });
          status.textContent = resp.ok ? form.getAttribute('data-draft-saved') + ' ' + time : form.getAttribute('data-draft-failed');
        }, function () {
          if (status) status.textContent = form.getAttribute('data-draft-failed');
        });
      }
      function changed() {
        clearTimeout(timer);
        timer = setTimeout(save, 2000);
      }
      form.addEventListener('input', changed);
      form.addEventListener('change', changed);
      form.addEventListener('submit', function () { clearTimeout(timer); });
    });

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

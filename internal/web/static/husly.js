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

    // A form whose problem comes back on another page (a list) is shown
    // there again by the server with what was typed (keptforms.go); for a
    // page that does not yet read it (data-restore on the summary), the
    // form is filled in again here: the texts are kept in this tab only
    // until the next page has loaded.
    var typed = null;
    try { typed = JSON.parse(sessionStorage.getItem('husly-typed') || 'null'); } catch (e) { typed = null; }
    sessionStorage.removeItem('husly-typed');
    var problem = document.querySelector('#error-summary[data-restore]');
    if (problem && typed) {
      var back = document.querySelector('form[action="' + typed.action.replace(/"/g, '') + '"]');
      if (back) {
        Object.keys(typed.fields).forEach(function (name) {
          var field = back.elements.namedItem(name);
          if (field && (field.tagName === 'TEXTAREA' || (field.tagName === 'INPUT' && /^(text|search|email|tel|number|date|)$/.test(field.type)))) {
            field.value = typed.fields[name];
          }
        });
        // Boxes, buttons and options as they were chosen.
        var chosen = typed.chosen || {};
        Array.prototype.forEach.call(back.elements, function (el) {
          if (!el.name || !Object.prototype.hasOwnProperty.call(chosen, el.name)) return;
          if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
            el.checked = chosen[el.name].indexOf(el.value) >= 0;
          } else if (el.tagName === 'SELECT') {
            Array.prototype.forEach.call(el.options, function (o) { o.selected = chosen[el.name].indexOf(o.value) >= 0; });
          }
        });
        var closed = back.closest('details');
        if (closed) closed.open = true;
      }
    }
    Array.prototype.forEach.call(document.querySelectorAll('form[method="post"]'), function (form) {
      form.addEventListener('submit', function () {
        var fields = {}, chosen = {};
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name) return;
          if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && /^(text|search|email|tel|number|date|)$/.test(el.type))) {
            fields[el.name] = el.value;
          } else if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
            chosen[el.name] = chosen[el.name] || [];
            if (el.checked) chosen[el.name].push(el.value);
          } else if (el.tagName === 'SELECT') {
            chosen[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
          }
        });
        try { sessionStorage.setItem('husly-typed', JSON.stringify({ action: form.getAttribute('action'), fields: fields, chosen: chosen })); } catch (e) { /* storage full or off: nothing kept */ }
      });
    });

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

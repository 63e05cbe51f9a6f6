// Progressive enhancement for the BOM section: changing the batch size fetches the BOM page for
// that batch and swaps the section in place (the server renders; this file only moves HTML).
// Without script, the form submits to the same page.
(function () {
  'use strict';
  var timer;
  function wire(section) {
    var form = section.querySelector('form.batch');
    var input = section.querySelector('#batch');
    if (!form || !input) return;
    function update() {
      var n = input.value.trim();
      if (!/^\d+$/.test(n) || Number(n) < 1) return;
      var url = section.getAttribute('data-bom-page') + '?batch=' + encodeURIComponent(n);
      section.setAttribute('aria-busy', 'true');
      fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error(String(r.status))); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var fresh = doc.getElementById('bom');
          if (!fresh) return;
          var focused = document.activeElement === input;
          section.replaceWith(fresh);
          wire(fresh);
          if (focused) {
            var again = fresh.querySelector('#batch');
            again.focus();
            again.setSelectionRange && again.type === 'text' && again.setSelectionRange(again.value.length, again.value.length);
          }
          var here = new URL(window.location.href);
          here.searchParams.set('batch', n);
          history.replaceState(null, '', here.pathname + here.search + '#bom');
        })
        .catch(function () { form.submit(); })
        .finally(function () { section.removeAttribute('aria-busy'); });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 300); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var section = document.getElementById('bom');
    if (section) wire(section);
  });
})();

// Copy buttons next to commands: shown only where the clipboard API is available.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    if (!navigator.clipboard) return;
    document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = 'Copy'; }, 1500);
        }, function () { button.textContent = 'Select and copy'; });
      });
    });
  });
})();

// frame.html?src=<url>: shows another test-sign page in an iframe, for the
// cross-origin iframe test. Only http(s) pages on loopback hosts may be
// embedded (the server checks the same before it serves this page).
'use strict';

(() => {
  const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);
  const start = () => {
    document.getElementById('origin').textContent = location.origin;
    const src = new URLSearchParams(location.search).get('src') || '';
    let url = null;
    try {
      url = new URL(src);
    } catch {
      url = null;
    }
    const frame = document.getElementById('frame');
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || !loopback.has(url.hostname)) {
      const err = document.getElementById('frame-error');
      err.textContent = '埋め込めるのはループバック（localhost, 127.0.0.1, [::1]）のページだけです: ' + src;
      err.hidden = false;
      frame.remove();
      return;
    }
    frame.src = url.href;
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

// The page's entry point (www/early-worker.js ran before it and started the worker and the wasm):
// loads the page's modules (main.js and what it imports, in one file: scripts/bundle.mjs), and if
// any of them cannot load (a blocked file, a browser without a feature, a library that throws on
// this system) says so instead of a blank page.
// Opened as a file, the page cannot load its WebAssembly: say so at once and why (in both of the
// page's languages: the catalogues cannot be read from a file either). Served, it runs: the warning
// (which CSS reveals after a few seconds if no script ever runs) goes.
// Content Security Policy violations are kept for tests (the page must cause none; on the test
// hooks' object, www/app/test-hooks.js, present only under automation) and, in a frame, told to the
// host page (www/app/host-messages.js).
const hooks = navigator.webdriver === true ? (window.__test ??= {}) : null;
if (hooks) hooks.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const what = `${event.violatedDirective} ${event.blockedURI || '(inline)'}`;
  hooks?.cspViolations.push(what);
  if (window.parent !== window) {
    window.parent.postMessage({ source: 'distill-playground', type: 'error', detail: { message: `CSP: ${what}`, key: 'page.cspViolation', args: { what } } }, '*');
  }
});
const fileWarning = document.getElementById('file-warning');
if (location.protocol === 'file:') fileWarning?.classList.add('now');
else fileWarning?.remove();

/** Says in the error box that the page could not start, in the reader's language if its catalogue
 * can still be read (else in the words of the browser's error alone). */
async function sayStartFailed(error) {
  const box = document.getElementById('error');
  const reason = error?.message ?? String(error);
  box.textContent = reason;
  box.hidden = false;
  console.error(error);
  const i18n = await import('./i18n.js');
  await i18n.useLanguage(i18n.chooseLanguage(new URLSearchParams(location.search)).lang);
  box.textContent = i18n.t('page.startFailed', { reason });
}

if (location.protocol !== 'file:') {
  import('./main.bundle.js').catch((error) => sayStartFailed(error).catch(() => {}));
}

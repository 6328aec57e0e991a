// An embedded page tells the page that frames it what happens, as the web component does with its
// events (www/distill-playground.js): `window.parent.postMessage({source: 'distill-playground', type,
// detail}, '*')` with type `progress` ({step, loss, agreement}, at most 4 a second), `evaluation`
// (the ledger) or `error` ({message, key, args, field}; a Content Security Policy violation is one,
// with key `page.cspViolation`). The figures are not secret, so any origin may frame and listen.
const framed = window.parent !== window;
const PROGRESS_EVERY_MS = 250;
let lastProgress = -Infinity;
/** A progress held back by the rate limit: posted when the limit allows, so the host always hears
 * the last step (a run that stops between two posts still reports where it stopped). */
let heldProgress = null;

function post(type, detail) {
  try {
    window.parent.postMessage({ source: 'distill-playground', type, detail: JSON.parse(JSON.stringify(detail ?? null)) }, '*');
  } catch {
    // A host that cannot take the message changes nothing here.
  }
}

/** Posts `{source, type, detail}` to the framing page (nothing when the page is not framed). */
export function tellHost(type, detail) {
  if (!framed) return;
  if (type === 'progress') {
    const now = performance.now();
    const wait = lastProgress + PROGRESS_EVERY_MS - now;
    if (wait > 0) {
      if (heldProgress === null) {
        setTimeout(() => {
          lastProgress = performance.now();
          post('progress', heldProgress);
          heldProgress = null;
        }, wait);
      }
      heldProgress = detail;
      return;
    }
    lastProgress = now;
  }
  post(type, detail);
}

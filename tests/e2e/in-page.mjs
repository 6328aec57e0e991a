// What the Firefox and WebKit adapters run inside the page (their drivers lack Playwright's calls
// for it): filling an input, visibility, and a recorder of downloads, which neither driver reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Sets an input's value as a user would and fires input and change, as Playwright's fill does. */
export function fillValue(element, value) {
  element.focus();
  element.value = value;
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Whether the element `selector` names is shown (present, displayed, visible, with a box). */
export function isShownBySelector(selector) {
  const element = document.querySelector(selector);
  if (!element) return false;
  const style = getComputedStyle(element);
  return style.visibility !== 'hidden' && style.display !== 'none' && element.getClientRects().length > 0;
}

/** Runs in the page (before its scripts, or before any download): a download link the page clicks
 * (a blob: URL with a `download` name, as www/views/curves.js makes) is kept in window.__downloads instead
 * of being saved. The page's own code runs unchanged. Installing it twice changes nothing. */
export function captureDownloads() {
  if (window.__downloads) return;
  window.__downloads = [];
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = createObjectURL.call(URL, blob);
    blobs.set(url, blob);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function clickOrCapture() {
    const blob = this.download && blobs.get(this.href);
    if (!blob) return click.call(this);
    const entry = { name: this.download, base64: null };
    window.__downloads.push(entry);
    blob.arrayBuffer().then((buffer) => {
      let binary = '';
      for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
      entry.base64 = btoa(binary);
    });
    return undefined;
  };
}

/** A recorded download (`{name, base64}`), with the part of Playwright's Download that the tests use. */
export function downloadOf({ name, base64 }) {
  const bytes = Buffer.from(base64, 'base64');
  return {
    suggestedFilename: () => name,
    async path() {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'distill-download-')), name);
      fs.writeFileSync(file, bytes);
      return file;
    },
    createReadStream: async () => Readable.from([bytes]),
  };
}

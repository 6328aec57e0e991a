// The page's entry point: loads main.js, and if any module of the page cannot load (a blocked file,
// a browser without a feature, a library that throws on this system) says so instead of a blank page.
// Opened as a file, the page cannot load its WebAssembly: say so at once and why. Served, it runs:
// the warning (which CSS reveals after a few seconds if no script ever runs) goes.
const fileWarning = document.getElementById('file-warning');
if (location.protocol === 'file:') fileWarning?.classList.add('now');
else fileWarning?.remove();
if (location.protocol !== 'file:') import('./main.js').catch((error) => {
  const box = document.getElementById('error');
  box.textContent = `The playground could not start in this browser: ${error?.message ?? error}. Reload the page, or try a current Chromium, Firefox or Safari.`;
  box.hidden = false;
  console.error(error);
});

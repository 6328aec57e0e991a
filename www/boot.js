// The page's entry point: loads main.js, and if any module of the page cannot load (a blocked file,
// a browser without a feature, a library that throws on this system) says so instead of a blank page.
import('./main.js').catch((error) => {
  const box = document.getElementById('error');
  box.textContent = `The playground could not start in this browser: ${error?.message ?? error}. Reload the page, or try a current Chromium, Firefox or Safari.`;
  box.hidden = false;
  console.error(error);
});

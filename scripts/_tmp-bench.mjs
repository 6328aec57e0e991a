import { launch, openPage } from '../tests/e2e/browser.mjs';
const context = await launch();
try {
  const { page } = await openPage(context.browser, context.origin, '/');
  const out = await page.evaluate(async () => {
    const pg = await import('./www/playground.js'); await pg.ready();
    const r = {};
    r.parts = pg.benchRun ? pg.benchRun('cohort-parts', { seconds: 3 }) : Object.keys(pg).filter(k=>/bench/i.test(k));
    return r;
  });
  console.log(JSON.stringify(out));
} finally { process.exit(0); }

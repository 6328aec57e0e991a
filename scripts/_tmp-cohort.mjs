import { launch, openPage } from '/work/main/tests/e2e/browser.mjs';
const context = await launch();
try {
  const { page } = await openPage(context.browser, context.origin, '/');
  const out = await page.evaluate(async ({ lesson, arms, steps }) => {
    const pg = await import('./www/playground.js');
    await pg.ready();
    const t0 = performance.now();
    const run = new pg.LessonCohort(lesson, arms, 1, 1000, steps);
    const t1 = performance.now();
    while (run.advance(3000)) {}
    const t2 = performance.now();
    const row = run.finish();
    const t3 = performance.now();
    return { make: t1 - t0, train: t2 - t1, finish: t3 - t2, success: row.map((r) => r.studentSuccess) };
  }, { lesson: process.argv[2] ?? 'compression', arms: JSON.parse(process.argv[3] ?? '[0,1,2,3,4,5]'), steps: Number(process.argv[4] ?? 30000) });
  console.log(JSON.stringify(out));
} finally { await context.close?.(); process.exit(0); }

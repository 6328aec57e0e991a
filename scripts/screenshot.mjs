// Takes the README's screenshot from the real page in headless Chromium: docs/screenshot.png.
import { launch, openPage } from '../tests/e2e/browser.mjs';

const context = await launch();
const { page } = await openPage(context.browser, context.origin, '/', { width: 1200, height: 980 });
await page.waitForTimeout(3000);
await page.check('#show-teacher');
const box = await page.locator('#grid').boundingBox();
const n = await page.evaluate(() => window.playground.size());
await page.mouse.click(box.x + (2.5 * box.width) / n, box.y + (2.5 * box.height) / n);
await page.waitForTimeout(1600);
await page.screenshot({ path: new URL('../docs/screenshot.png', import.meta.url).pathname, fullPage: true });
await context.close();
console.log('wrote docs/screenshot.png');

// Attachments in the workbench (issue 8), in Chinese at 1440 px and 390 px: a lead creates a work
// order with two photos; the page shows the server's thumbnails and opens a photo in the page; a note
// brings a PDF, which opens in a dialog; the platform's list names the shop of every case and filters
// by shop. Screenshots: tests/e2e/out/att-*.png.
import assert from 'node:assert/strict';
import { png, PDF_BAD_XREF } from '../api/images.mjs';
import { login, openBrowser, pickOption, test } from './browser.mjs';
import { apiLogin, leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

async function waitFor(fn, what, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('photos on create, thumbnails and in-page preview, a PDF with a note, at 1440 and 390 px', { timeout: 600_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  const B = await openBrowser({ width: 1440, height: 900 });
  let woUrl;
  try {
    const p = B.page;
    await login(p, srv.url, lead);
    await p.goto(`${srv.url}/new?standalone=1`);
    await p.getByTestId('title-input').fill('买家收到的包裹外箱破损');
    await p.getByTestId('content-input').fill('买家发来两张照片，外箱一角压坏');
    await p.getByTestId('evidence-input').setInputFiles([
      { name: '破损外箱.png', mimeType: 'image/png', buffer: png(800, 600, { seed: 3 }) },
      { name: '快递面单.png', mimeType: 'image/png', buffer: png(600, 800) },
    ]);
    await waitFor(async () => (await p.getByTestId('thumb').locator('.ant-progress-status-success').count()) === 2, 'both uploads finish');
    await B.shot('att-1440-create');
    await p.getByTestId('create-submit').click();
    await p.waitForURL(/\/wo\/\d+$/, { timeout: 15_000 });
    woUrl = p.url();

    // the server's thumbnails, loaded
    const tiles = p.getByTestId('files-card').getByTestId('attachment');
    await waitFor(async () => (await tiles.count()) === 2, 'two tiles');
    // the 800 px wide photo, by name: two parallel uploads may be stored in either order
    const img = tiles.filter({ hasText: '破损外箱.png' }).locator('img').first();
    await waitFor(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the thumbnail loads');
    assert.match(await img.getAttribute('src'), /\/api\/v1\/attachments\/\d+\/thumbnail$/);
    assert.match(await p.getByTestId('timeline').innerText(), /破损外箱\.png/);
    await B.shot('att-1440-detail');
    // a click opens the photo in the page
    await img.click();
    await p.locator('.ant-image-preview').first().waitFor({ timeout: 30_000 });
    await waitFor(() => p.locator('.ant-image-preview img').first().evaluate((el) => el.complete && el.naturalWidth === 800), 'the full photo in the preview');
    await B.shot('att-1440-preview');
    await p.keyboard.press('Escape');

    // a note with a PDF; the PDF opens in a dialog
    await p.getByTestId('act-note').click();
    const dlg = p.getByTestId('dialog-note');
    await dlg.getByTestId('evidence-input').setInputFiles({ name: '物流说明.pdf', mimeType: 'application/pdf', buffer: PDF_BAD_XREF });
    await dlg.getByTestId('thumb').locator('.ant-progress-status-success').waitFor({ timeout: 60_000 });
    await dlg.locator('textarea').fill('快递公司的说明');
    await p.locator('.ant-modal-footer .ant-btn-primary').last().click();
    await waitFor(async () => (await tiles.count()) === 3, 'the PDF tile');
    const pdf = p.getByTestId('files-card').locator('[data-kind="pdf"] button');
    await pdf.click();
    const frame = p.getByTestId('pdf-preview');
    await frame.waitFor({ timeout: 30_000 });
    assert.match(await frame.getAttribute('src'), /\/api\/v1\/attachments\/\d+\?inline=1$/);
    await B.shot('att-1440-pdf');
    await p.keyboard.press('Escape');
    B.assertClean();
  } finally {
    await B.close();
  }

  const N = await openBrowser({ width: 390, height: 844 });
  try {
    const p = N.page;
    await login(p, srv.url, lead);
    await p.goto(woUrl);
    const tiles = p.getByTestId('files-card').getByTestId('attachment');
    await waitFor(async () => (await tiles.count()) === 3, 'three tiles on a phone');
    const img = tiles.first().locator('img').first();
    await waitFor(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the thumbnail loads on a phone');
    // nothing wider than the phone
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await p.getByTestId('files-card').scrollIntoViewIfNeeded();
    await N.shot('att-390-detail');
    // a phone draws the tiles without antd (issue 13): its stylesheet and preview come with the first click
    const antdSheets = () => p.evaluate(() => [...document.styleSheets].filter((s) => /AntdRoot/.test(s.href ?? '')).length);
    assert.equal(await antdSheets(), 0, 'no antd stylesheet before a tile is opened');
    await img.click();
    await p.locator('.ant-image-preview').first().waitFor({ timeout: 30_000 });
    await N.shot('att-390-preview');
    await p.keyboard.press('Escape');
    N.assertClean();
  } finally {
    await N.close();
  }
});

test('the platform sees the shop of every case and filters by shop', { timeout: 240_000 }, async () => {
  const pa = srv.accounts.find((a) => a.role === 'platform_agent');
  const plat = await apiLogin(srv.url, pa.username, pa.password);
  const shops = (await plat.call('GET', '/shops')).json.items;
  assert.ok(shops.length >= 2);
  for (const s of shops.slice(0, 2)) {
    const lead = srv.accounts.find((a) => a.shop === s.name && (a.role === 'shop_lead' || a.role === 'shop_owner'));
    const shop = await apiLogin(srv.url, lead.username, lead.password);
    const order = (await shop.call('GET', '/orders?limit=1')).json.items[0];
    const r = await plat.call('POST', '/collab', { shop_id: s.id, order_no: order.order_no, category: '描述不符', complaint: '颜色不一致', remedy: 'refund' });
    assert.equal(r.status, 201, r.text);
  }
  const B = await openBrowser({ width: 1440, height: 900 });
  try {
    const p = B.page;
    await login(p, srv.url, pa);
    await p.goto(`${srv.url}/platform/created`);
    const cells = p.getByTestId('wo-shop');
    await waitFor(async () => (await cells.count()) >= 2, 'shop cells');
    const names = new Set(await cells.allInnerTexts());
    for (const s of shops.slice(0, 2)) assert.ok(names.has(s.name), `the list names ${s.name}`);
    await B.shot('att-1440-platform-list');
    await pickOption(p, p.getByTestId('filter-shop'), shops[0].name);
    await p.getByTestId('filter-apply').click();
    await waitFor(async () => new Set(await cells.allInnerTexts()).size === 1 && (await cells.first().innerText()) === shops[0].name, 'one shop');
    // the case page names the shop with the number
    await p.getByTestId('wo-link').first().click();
    await p.getByTestId('wo-title').waitFor();
    assert.match(await p.getByTestId('wo-title').innerText(), new RegExp(`^${shops[0].name} · GD-\\d{6}`));
    await B.shot('att-1440-platform-case');
    B.assertClean();
  } finally {
    await B.close();
  }
});

// Work order types a shop defines (docs/types.md), in Chinese at 1440 px and 390 px: a lead adds
// a type and its fields on the 工单类型 page; the create form then offers the type with its fields
// (a required one refused while empty), the detail page shows the values, and the list filters
// on a field. Nothing is wider than the screen. Screenshots: tests/e2e/out/types-*.png.
import assert from 'node:assert/strict';
import { login, openBrowser, pickOption, test } from './browser.mjs';
import { leadAndAgent } from './server.mjs';
import { serverForFile } from './suite.mjs';

const srv = serverForFile();

const fitsScreen = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('a lead defines a type with fields; the create form, the detail page and the list use them', { timeout: 300_000 }, async () => {
  const { lead } = leadAndAgent(srv.accounts);
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const name = `质检${width}`;
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await login(p, srv.url, lead);

      // the types page: a type, then two fields of it
      await p.goto(`${srv.url}/types`);
      await p.getByTestId('type-name-zh').fill(name);
      await p.getByTestId('type-name-en').fill(`Quality ${width}`);
      await p.getByTestId('type-submit').click();
      const card = p.locator('[data-testid^="type-card-x-"]').filter({ hasText: name });
      await card.waitFor({ timeout: 15_000 });
      const key = (await card.getAttribute('data-testid')).replace('type-card-', '');
      const form = p.getByTestId(`field-form-${key}`);
      await form.getByTestId('field-key').fill(`batch${width}`);
      await form.getByTestId('field-label-zh').fill('批次');
      await form.getByTestId('field-label-en').fill('Batch');
      await form.getByTestId('field-required').check();
      await form.getByTestId('field-submit').click();
      await card.getByTestId(`field-batch${width}`).waitFor({ timeout: 15_000 });
      await form.getByTestId('field-key').fill(`grade${width}`);
      await form.getByTestId('field-label-zh').fill('等级');
      await form.getByTestId('field-label-en').fill('Grade');
      await pickOption(p, form.getByTestId('field-kind'), '单选');
      await form.getByTestId('field-options').fill('甲级\n乙级');
      await form.getByTestId('field-submit').click();
      await card.getByTestId(`field-grade${width}`).waitFor({ timeout: 15_000 });
      assert.match(await card.innerText(), /批次[\s\S]*必填[\s\S]*等级[\s\S]*单选[\s\S]*甲级 \/ 乙级/);
      assert.ok(await fitsScreen(p), `the types page fits ${width} px`);
      await B.shot(`types-page-${width}`);

      // the create form: the type offers its fields; the required one is asked for
      await p.goto(`${srv.url}/new?standalone=1`);
      await pickOption(p, p.getByTestId('type-select'), name);
      const fields = p.getByTestId('custom-fields');
      await fields.waitFor({ timeout: 15_000 });
      assert.match(await fields.innerText(), /批次[\s\S]*等级/);
      await p.getByTestId('create-submit').click();
      await fields.getByText('请填写内容').waitFor({ timeout: 10_000 });
      await p.getByTestId('title-input').fill(`批次抽检 ${width}`);
      await p.getByTestId(`field-input-batch${width}`).fill('B-0412');
      await pickOption(p, p.getByTestId(`field-input-grade${width}`), '乙级');
      assert.ok(await fitsScreen(p), `the create form fits ${width} px`);
      await B.shot(`types-create-${width}`);
      await p.getByTestId('create-submit').click();

      // the detail page shows the values under the type's name
      await p.getByTestId('wo-custom-fields').waitFor({ timeout: 15_000 });
      assert.equal(await p.getByTestId(`wo-field-batch${width}`).innerText(), 'B-0412');
      assert.equal(await p.getByTestId(`wo-field-grade${width}`).innerText(), '乙级');
      assert.match(await p.getByTestId('wo-fields').innerText(), new RegExp(name));
      const title = `批次抽检 ${width}`;
      assert.ok(await fitsScreen(p), `the detail page fits ${width} px`);
      await B.shot(`types-detail-${width}`);

      // the list filters on the field: 乙级 finds it, 甲级 does not
      await p.goto(`${srv.url}/list/shop`);
      await p.locator('main').getByText(title).first().waitFor({ timeout: 15_000 });
      // a phone shows the filter form behind 筛选 (its first screen is the list itself)
      if (width < 768) await p.getByTestId('filters-toggle').click();
      await pickOption(p, p.getByTestId('filter-field'), `${name} · 等级`);
      await p.getByTestId('filter-field-value').fill('甲级');
      await p.getByTestId('filter-apply').click();
      await p.waitForURL((u) => u.searchParams.get('field_value') === '甲级');
      await p.waitForFunction((t) => !document.querySelector('main')?.innerText.includes(t), title, { timeout: 15_000 });
      await p.getByTestId('filter-field-value').fill('乙级');
      await p.getByTestId('filter-apply').click();
      await p.waitForURL((u) => u.searchParams.get('field_value') === '乙级');
      await p.locator('main').getByText(title).first().waitFor({ timeout: 15_000 });
      assert.ok(await fitsScreen(p), `the list fits ${width} px`);
      await B.shot(`types-list-${width}`);
      B.assertClean();
    } finally {
      await B.close();
    }
  }
});

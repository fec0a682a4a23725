// Accessibility of the sign-in page, a lead's 全店工单 list and a work order, in Chinese, at a
// phone's width (390 px, Lighthouse's mobile preset) and a desktop's (1440 px): axe-core (the
// engine of Lighthouse's accessibility category, the copy Lighthouse itself depends on) runs the
// category's own weighted rules on each page and none may fail. This is the timing-free half of
// bench/lighthouse.mjs's accessibility target (>= 98; issue 13): the list page scored 96 on its
// state tags' contrast, the sign-in page 96 on touch targets and labels. Screenshots of each page
// go to tests/e2e/out/a11y-*.png.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before } from 'node:test';
import { login, openBrowser, test } from './browser.mjs';
import { apiLogin, leadAndAgent, repoRoot } from './server.mjs';
import { serverForFile } from './suite.mjs';

const fromWeb = createRequire(path.join(repoRoot, 'web', 'package.json'));
const fromLighthouse = createRequire(fromWeb.resolve('lighthouse'));
const AXE = fromLighthouse.resolve('axe-core/axe.min.js');
const lhConfig = (await import(pathToFileURL(path.join(path.dirname(fromWeb.resolve('lighthouse')), 'config', 'default-config.js')).href)).default;
// the audits that count towards Lighthouse's accessibility score; each is named after its axe rule
const RULES = lhConfig.categories.accessibility.auditRefs.filter((a) => a.weight > 0).map((a) => a.id);

const srv = serverForFile();
let lead, woId;
before(async () => {
  await srv.ready;
  ({ lead } = leadAndAgent(srv.accounts));
  const api = await apiLogin(srv.url, lead.username, lead.password);
  woId = (await api.call('GET', '/workorders?view=shop&sort=-created&limit=1')).json.items[0].id;
});

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (rules) => {
    const known = new Set(window.axe.getRules().map((r) => r.ruleId));
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: rules.filter((id) => known.has(id)) }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.failureSummary.replace(/\s+/g, ' ')}`).join(' | ')}`);
  }, RULES);
}

for (const [width, height] of [[390, 844], [1440, 900]]) {
  test(`no Lighthouse accessibility rule fails on the sign-in, list and work order pages at ${width} px`, { timeout: 240_000 }, async () => {
    assert.ok(RULES.length > 40, `Lighthouse's accessibility rules: ${RULES.length}`);
    const B = await openBrowser({ width, height });
    try {
      const p = B.page;
      await p.goto(`${srv.url}/login`);
      await p.locator('#username').waitFor();
      await B.shot(`a11y-login-${width}`);
      const found = { login: await axeViolations(p) };

      await login(p, srv.url, lead);
      await p.goto(`${srv.url}/list/shop`);
      await p.getByTestId('wo-link').first().waitFor({ timeout: 30_000 });
      await B.shot(`a11y-list-${width}`);
      found.list = await axeViolations(p);

      await p.goto(`${srv.url}/wo/${woId}`);
      await p.locator('h1').first().waitFor({ timeout: 30_000 });
      await p.waitForLoadState('networkidle');
      await B.shot(`a11y-wo-${width}`);
      found.workorder = await axeViolations(p);

      assert.deepEqual(found, { login: [], list: [], workorder: [] });
      B.assertClean();
    } finally {
      await B.close();
    }
  });
}

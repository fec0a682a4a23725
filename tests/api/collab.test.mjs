// Collaborative work orders (协同工单) over real HTTP: platform rules (versioned, validated),
// every step and refusal, the seller timeout and reminders (test clock), the reply/timeout race,
// crash (kill -9) with deadlines due then restart (each fires exactly once), a rule change that
// must not move existing deadlines, internal notes hidden from the shop, and evidence uploads
// (type by content, lying names, size and count limits, path tricks, another shop's evidence).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { client, INVALID, isStored, startServer, storedKeys, until } from './lib.mjs';

const HOUR = 3600_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(200, 7)]);

let srv, admin, agent, agent2, sup, lead, lead2, other;
let orders = [];

before(async () => {
  srv = await startServer({ testClock: true });
  [admin, agent, agent2, sup, lead, lead2, other] = await Promise.all(
    ['admin', 'xiaoer1', 'xiaoer2', 'supervisor', 'tea_lead', 'tea_agent1', 'baby_lead'].map((u) => client(srv, u)),
  );
  orders = (await lead.get('/api/v1/orders?limit=100')).body.items;
});
after(async () => { await srv?.cleanup(); });

let next = 0;
async function openCase(extra = {}) {
  const r = await agent.post('/api/v1/collab', {
    shop_id: lead.user.shop_id, order_no: orders[next++ % orders.length].order_no,
    category: '描述不符', complaint: '收到的商品颜色与图片不一致', remedy: 'return_refund', ...extra,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const get = async (c, id) => (await c.get(`/api/v1/workorders/${id}`)).body;
const kinds = (d) => d.events.map((e) => e.kind);
const advance = (ms) => fetch(srv.base + '/api/v1/_test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: ms }) });
async function upload(c, files) {
  const fd = new FormData();
  for (const [name, buf, type] of files) fd.append('file', new Blob([buf], { type: type || 'application/octet-stream' }), name);
  return c.post('/api/v1/attachments', fd);
}

test('rules: anyone reads, only platform_admin writes, validation names the field', async () => {
  const r = await lead.get('/api/v1/rules');
  assert.equal(r.status, 200);
  assert.equal(r.body.reply_window_hours, 24);
  assert.deepEqual(r.body.reminder_offsets_hours, [4, 1]);
  assert.equal(r.body.judge_working_days, 3);
  assert.equal(r.body.appeal_window_days, 7);
  assert.deepEqual(r.body.reply_options.find((o) => o.code === 'unreachable').requires, ['evidence', 'contact_at']);
  assert.deepEqual(r.body.outcomes.support_seller, ['payout', 'reject_claim']);
  assert.ok(r.body.calendar.years['2026'].workdays.includes('2026-02-28'));
  assert.equal((await lead.put('/api/v1/rules', { reply_window_hours: 12 })).status, 403);
  assert.equal((await agent.put('/api/v1/rules', { reply_window_hours: 12 })).status, 403);
  for (const [body, field] of [
    [{ reply_window_hours: -1 }, 'reply_window_hours'],
    [{ judge_working_days: -3 }, 'judge_working_days'],
    [{ reply_options: [{ code: 'maybe', requires: [] }] }, 'reply_options[0].code'],
    [{ reply_options: [{ code: 'other', requires: ['photo'] }] }, 'reply_options[0].requires[0]'],
    [{ outcomes: { support_buyer: ['money_back'] } }, 'outcomes.support_buyer[0]'],
    [{ calendar: { weekdays: [] } }, 'calendar'],
    [{ calendar: { years: { 2027: { holidays: ['2027-02-30'] } } } }, 'calendar.years.2027.holidays'],
    [{ colour: 'red' }, 'colour'],
  ]) {
    const bad = await admin.put('/api/v1/rules', body, INVALID);
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.equal(bad.body.error.field, field, JSON.stringify(bad.body));
  }
  assert.equal((await lead.get('/api/v1/rules')).body.version, 1, 'a refused PUT stores nothing');
  // the GET body can be sent back as it is (the workbench does): a new version, same content
  const again = await admin.put('/api/v1/rules', r.body);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.version, 2);
  assert.equal((await lead.get('/api/v1/rules?version=1')).body.version, 1);
});

test('open: platform only, fields checked; the shop sees the countdown', async () => {
  const body = { shop_id: lead.user.shop_id, order_no: orders[0].order_no, category: '质量问题', complaint: '破损', remedy: 'refund' };
  assert.equal((await lead.post('/api/v1/collab', body)).status, 403);
  assert.equal((await agent.post('/api/v1/collab', { ...body, remedy: 'cash' }, INVALID)).body.error.field, 'remedy');
  assert.equal((await agent.post('/api/v1/collab', { ...body, order_no: 'NOPE' })).body.error.field, 'order_no');
  // the workbench's shape: POST /workorders with type collab and a nested collab object
  const alt = await agent.post('/api/v1/workorders', { type: 'collab', title: '买家投诉', order_no: orders[1].order_no, shop_id: lead.user.shop_id, collab: { category: '描述不符', complaint: '颜色不一致', remedy: 'return_refund' } });
  assert.equal(alt.status, 201, JSON.stringify(alt.body));
  const wo = await openCase();
  assert.equal(wo.state, 'awaiting_seller');
  assert.equal(wo.type, 'collab');
  assert.equal(Date.parse(wo.deadline) - Date.parse(wo.created_at), 24 * HOUR);
  const d = await get(lead, wo.id);
  assert.equal(d.workorder.collab.reply_due, wo.deadline);
  assert.equal(d.workorder.collab.reply, null);
  assert.ok(d.allowed_actions.includes('reply'));
  assert.equal((await other.get(`/api/v1/workorders/${wo.id}`)).status, 404, 'another shop never learns it exists');
});

test('a case is found by its number and its complaint, in its shop only', async () => {
  const wo = await openCase({ complaint: '外包装压扁了角' });
  const find = async (c, q) => (await c.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent(q))).body.items.map((w) => w.id);
  assert.match(wo.number, /^GD-\d{6}$/);
  assert.notEqual(wo.number, 'GD-000000');
  assert.ok((await find(lead, wo.number)).includes(wo.id), 'the number it was given');
  assert.ok(!(await find(lead, 'GD-000000')).includes(wo.id), 'not a number it never had');
  assert.ok((await find(lead, '包装压扁')).includes(wo.id), 'the complaint');
  assert.ok(!(await find(other, wo.number)).includes(wo.id), 'another shop');
});

test('reply agreed -> resolved; contact before opening 422; a reply is never edited', async () => {
  const wo = await openCase();
  const early = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'agreed', contact_at: new Date(Date.parse(wo.created_at) - 60_000).toISOString() });
  assert.equal(early.status, 422);
  assert.equal(early.body.error.field, 'contact_at');
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'maybe' }, INVALID)).status, 422);
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'agreed' })).status, 403, 'the platform does not reply');
  const ok = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'agreed', description: '已协商退货退款' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'resolved');
  assert.equal(ok.body.collab.reply.option, 'agreed');
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'not_agreed', description: '改主意' })).status, 409);
});

test('unreachable: evidence and contact required -> verify rejected -> intervention -> judge -> appeal -> decided by another supervisor', async () => {
  const wo = await openCase();
  const noEv = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'unreachable', contact_at: new Date().toISOString() });
  assert.equal(noEv.status, 422);
  assert.equal(noEv.body.error.field, 'attachment_ids');
  const up = await upload(lead, [['通话记录.png', PNG, 'image/png']]);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const noContact = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'unreachable', attachment_ids: [up.body.id] });
  assert.equal(noContact.body.error.field, 'contact_at');
  const r = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'unreachable', contact_at: new Date(Date.now() + 1000).toISOString(), attachment_ids: [up.body.id] }, { 'if-match': `"${wo.version}"` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'platform_verify');
  assert.equal(r.body.collab.reply.evidence[0].filename, '通话记录.png');
  assert.ok(r.body.handler, 'assigned to a platform agent');
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/verify`, { result: 'verified' })).status, 403);
  const v = await agent.post(`/api/v1/workorders/${wo.id}/verify`, { result: 'rejected', remark: '通话记录显示已接通' });
  assert.equal(v.body.state, 'intervention');
  assert.equal(v.body.collab.intervention.reason, 'verify_rejected');
  // more evidence until the judgement, from both sides
  const ev = await lead.post(`/api/v1/workorders/${wo.id}/evidence`, { description: '补充聊天记录' });
  assert.equal(ev.status, 200, JSON.stringify(ev.body));
  const badJudge = await agent.post(`/api/v1/workorders/${wo.id}/judge`, { outcome: 'support_seller', remedy: 'refund', liable_party: 'buyer', reasoning: 'x', rule_article: 'y' });
  assert.equal(badJudge.status, 422);
  assert.equal(badJudge.body.error.field, 'remedy');
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/judge`, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: 'x', rule_article: 'y' })).status, 403);
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/appeal`, { reason: '太早' })).status, 409, 'no appeal before a judgement');
  const j = await sup.post(`/api/v1/workorders/${wo.id}/judge`, { outcome: 'support_buyer', remedy: 'refund', liable_party: 'seller', reasoning: '商家未能证明已联系买家', rule_article: '《争议处理规则》第十八条' });
  assert.equal(j.status, 200, JSON.stringify(j.body));
  assert.equal(j.body.state, 'judged');
  assert.equal(j.body.collab.judgement.judge.display_name, '平台主管老周');
  assert.equal(j.body.collab.judgement.counts_against_seller, true);
  assert.equal(Date.parse(j.body.deadline) - Date.parse(j.body.updated_at), 7 * 24 * HOUR);
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/evidence`, { description: '晚了' })).status, 409, 'evidence ends at the judgement');
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/appeal`, { reason: 'x' })).status, 403);
  const ap = await lead.post(`/api/v1/workorders/${wo.id}/appeal`, { reason: '已补充发货凭证' });
  assert.equal(ap.body.state, 'appeal_review');
  assert.equal((await sup.post(`/api/v1/workorders/${wo.id}/decide_appeal`, { decision: 'overturned' })).status, 403, 'not the judge');
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/decide_appeal`, { decision: 'overturned' })).status, 403, 'not an agent');
  const sup2 = await admin.post(`/api/v1/workorders/${wo.id}/decide_appeal`, { decision: 'overturned', remark: '改判' });
  assert.equal(sup2.status, 200, JSON.stringify(sup2.body));
  assert.equal(sup2.body.state, 'final');
  assert.equal(sup2.body.collab.appeal.decision, 'overturned');
  assert.equal(sup2.body.collab.judgement.counts_against_seller, false);
  const d = await get(lead, wo.id);
  for (const k of ['created', 'replied', 'verified', 'evidence_added', 'judged', 'appealed', 'appeal_decided']) assert.ok(kinds(d).includes(k), k);
});

test('other -> platform_verify -> verified -> resolved; internal notes hidden from the shop', async () => {
  const wo = await openCase();
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'other' })).body.error.field, 'description');
  const r = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'other', description: '买家电话空号' });
  assert.equal(r.body.state, 'platform_verify');
  const n = await agent.post(`/api/v1/workorders/${wo.id}/notes`, { text: '内部：该店铺近期投诉较多' });
  assert.equal(n.status, 200, JSON.stringify(n.body));
  assert.ok(!JSON.stringify(await get(lead, wo.id)).includes('该店铺近期投诉较多'), 'the shop never sees internal notes');
  assert.ok(JSON.stringify(await get(agent, wo.id)).includes('该店铺近期投诉较多'));
  const v = await agent2.post(`/api/v1/workorders/${wo.id}/verify`, { result: 'verified' });
  assert.equal(v.body.state, 'resolved');
});

test('no reply: reminders at T-4h and T-1h, then intervention (seller_timeout), auto-assigned', async () => {
  const wo = await openCase();
  await advance(20 * HOUR + 1000);
  assert.ok(await until(async () => kinds(await get(lead, wo.id)).includes('reminded')), 'first reminder');
  await advance(3 * HOUR);
  assert.ok(await until(async () => kinds(await get(lead, wo.id)).filter((k) => k === 'reminded').length === 2));
  await advance(HOUR);
  assert.ok(await until(async () => (await get(lead, wo.id)).workorder.state === 'intervention'));
  const d = await get(agent, wo.id);
  assert.equal(kinds(d).filter((k) => k === 'seller_timeout').length, 1);
  assert.equal(d.workorder.collab.intervention.reason, 'seller_timeout');
  assert.ok(['小二阿福', '小二青青'].includes(d.workorder.handler.display_name));
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'agreed' })).status, 409, 'too late');
  const q = await agent.get('/api/v1/workorders?view=intervention');
  assert.ok(q.body.items.some((w) => w.id === wo.id));
  const counts = (await agent.get('/api/v1/workorders/counts')).body;
  assert.ok(counts.intervention >= 1);
});

test('the reply/timeout race: 20 concurrent replies at the deadline, exactly one outcome', async () => {
  for (let round = 0; round < 3; round++) {
    const wo = await openCase();
    const replies = Array.from({ length: 20 }, () => lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'not_agreed', description: '不同意' }));
    const moved = advance(24 * HOUR);
    const results = await Promise.all([...replies, moved]);
    const ok = results.slice(0, 20).filter((r) => r.status === 200).length;
    assert.ok(results.slice(0, 20).every((r) => r.status === 200 || r.status === 409), results.map((r) => r.status).join());
    await until(async () => (await get(agent, wo.id)).workorder.state === 'intervention');
    await new Promise((r) => setTimeout(r, 300));
    const d = await get(agent, wo.id);
    const timeouts = kinds(d).filter((k) => k === 'seller_timeout').length;
    const replied = kinds(d).filter((k) => k === 'replied').length;
    assert.ok(ok <= 1, `${ok} replies succeeded`);
    assert.equal(replied, ok);
    assert.equal(replied + timeouts, 1, `replied ${replied} timeouts ${timeouts}`);
    assert.equal(d.workorder.collab.intervention.reason, ok ? 'not_agreed' : 'seller_timeout');
  }
});

test('a rule change after creation does not move existing deadlines', async () => {
  const a = await openCase();
  const put = await admin.put('/api/v1/rules', { reply_window_hours: 1, reminder_offsets_hours: [0.5] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const b = await openCase();
  assert.equal(Date.parse(b.deadline) - Date.parse(b.created_at), HOUR);
  assert.equal((await get(lead, a.id)).workorder.deadline, a.deadline);
  assert.equal((await get(lead, a.id)).workorder.collab.rule_version + 1, put.body.version);
  await advance(HOUR + 1000);
  assert.ok(await until(async () => (await get(lead, b.id)).workorder.state === 'intervention'));
  assert.equal((await get(lead, a.id)).workorder.state, 'awaiting_seller');
  assert.equal((await admin.put('/api/v1/rules', { reply_window_hours: 24, reminder_offsets_hours: [4, 1] })).status, 200);
});

test('attachments: typed by content, names that lie, limits, path tricks, other shops', async () => {
  const png = await upload(lead, [['../../../etc/passwd.png', PNG, 'image/png']]);
  assert.equal(png.status, 201, JSON.stringify(png.body));
  assert.equal(png.body.filename, 'passwd.png');
  assert.equal(png.body.mime, 'image/png');
  assert.match(png.body.sha256, /^[0-9a-f]{64}$/);
  assert.ok(isStored(srv, 'attachments', png.body.sha256));
  assert.ok(!existsSync(join(srv.dir, 'etc')));
  assert.ok(storedKeys(srv, 'attachments').every((k) => /^[0-9a-f]{64}$/.test(k)), 'content is stored by its SHA-256 only');
  const pdf = await upload(lead, [['合同.pdf', PDF, 'application/pdf']]);
  assert.equal(pdf.status, 201, JSON.stringify(pdf.body));
  assert.equal(pdf.body.mime, 'application/pdf');
  const lie = await upload(lead, [['photo.pdf', PNG, 'application/pdf']]);
  assert.equal(lie.status, 422, 'a PNG named .pdf');
  const exe = await upload(lead, [['cat.png', EXE, 'image/png']]);
  assert.equal(exe.status, 415, 'not an allowed type, whatever the name says');
  const html = await upload(lead, [['x.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html']]);
  assert.equal(html.status, 415);
  const many = await upload(lead, Array.from({ length: 10 }, (_, i) => [`p${i}.png`, PNG, 'image/png']));
  assert.equal(many.status, 413);
  assert.match(many.body.error.message, /9/);
  assert.equal((await admin.put('/api/v1/rules', { attachments: { max_file_bytes: 100, max_files: 9 } })).status, 200);
  const big = await upload(lead, [['big.png', Buffer.concat([PNG, Buffer.alloc(200)]), 'image/png']]);
  assert.equal(big.status, 413);
  assert.match(big.body.error.message, /100 bytes/);
  assert.equal((await admin.put('/api/v1/rules', { attachments: { max_file_bytes: 20971520, max_files: 9 } })).status, 200);
  // same content stored once
  const again = await upload(lead, [['again.png', PNG, 'image/png']]);
  assert.equal(again.body.sha256, png.body.sha256);

  // linked to a reply: visible to the shop and the platform, not to another shop
  const wo = await openCase();
  const r = await lead.post(`/api/v1/workorders/${wo.id}/reply`, { option: 'not_agreed', description: '见附件', attachment_ids: [png.body.id] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const mine = await lead.get(`/api/v1/attachments/${png.body.id}`);
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('x-content-type-options'), 'nosniff');
  assert.match(mine.headers.get('content-disposition'), /^attachment;/);
  assert.equal((await agent.get(`/api/v1/attachments/${png.body.id}`)).status, 200);
  assert.equal((await other.get(`/api/v1/attachments/${png.body.id}`)).status, 404);
  // an unused upload is its uploader's alone, and cannot be linked by anyone else
  assert.equal((await lead2.get(`/api/v1/attachments/${pdf.body.id}`)).status, 404);
  const wo2 = await openCase();
  const steal = await other.post(`/api/v1/workorders/${wo2.id}/reply`, { option: 'agreed', attachment_ids: [pdf.body.id] });
  assert.equal(steal.status, 404, 'another shop cannot even see the case');
  const reuse = await lead.post(`/api/v1/workorders/${wo2.id}/reply`, { option: 'agreed', attachment_ids: [png.body.id] });
  assert.equal(reuse.status, 422, 'already linked elsewhere');
});

test('kill -9 with deadlines due, then restart: each fires exactly once', async () => {
  const s2 = await startServer({});
  try {
    const [adm, ag, ld] = await Promise.all(['admin', 'xiaoer1', 'tea_lead'].map((u) => client(s2, u)));
    assert.equal((await adm.put('/api/v1/rules', { reply_window_hours: 2 / 3600, reminder_offsets_hours: [] })).status, 200);
    const ords = (await ld.get('/api/v1/orders?limit=10')).body.items;
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const r = await ag.post('/api/v1/collab', { shop_id: ld.user.shop_id, order_no: ords[i].order_no, category: '物流', complaint: '未收到', remedy: 'reship' });
      assert.equal(r.status, 201);
      ids.push(r.body.id);
    }
    await s2.kill();
    await new Promise((r) => setTimeout(r, 2500)); // every reply deadline passes while it is down
    await s2.start();
    const ag2 = await client(s2, 'xiaoer1');
    const all = async () => Promise.all(ids.map(async (id) => (await ag2.get(`/api/v1/workorders/${id}`)).body));
    assert.ok(await until(async () => (await all()).every((d) => d.workorder.state === 'intervention'), 8000));
    await s2.kill();
    await s2.start();
    await new Promise((r) => setTimeout(r, 500));
    const ag3 = await client(s2, 'xiaoer1');
    for (const id of ids) {
      const d = (await ag3.get(`/api/v1/workorders/${id}`)).body;
      assert.equal(d.events.filter((e) => e.kind === 'seller_timeout').length, 1, 'exactly once');
    }
  } finally {
    await s2.cleanup();
  }
});

test('platform staff hand an intervention case to one another; a shop user cannot take it', async () => {
  const c = await openCase();
  const r1 = await lead.post(`/api/v1/workorders/${c.id}/reply`, { option: 'not_agreed', description: '买家要求超出约定' });
  assert.equal(r1.status, 200, JSON.stringify(r1.body));
  const w = (await get(agent, c.id)).workorder;
  assert.equal(w.state, 'intervention');
  const from = w.handler.id === agent.user.id ? agent : agent2;
  const to = from === agent ? agent2 : agent;
  let r = await from.post(`/api/v1/workorders/${c.id}/transfer`, { to: lead2.user.id, reason: '转给商家' });
  assert.equal(r.status, 422);
  assert.match(r.body.error.message, /platform user/);
  r = await from.post(`/api/v1/workorders/${c.id}/transfer`, { to: to.user.id, reason: '休假交接' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.handler.id, to.user.id);
  const mine = (await to.get('/api/v1/workorders?view=intervention&limit=200')).body.items;
  assert.ok(mine.some((x) => x.id === c.id));
});

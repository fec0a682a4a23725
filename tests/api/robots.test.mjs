// Group robots (docs/notifications.md) over real HTTPS: a local receiver with a certificate of
// its own (the server trusts it through --webhook-ca-file) plays DingTalk and WeCom. It checks
// DingTalk's signature (timestamp + "\n" + secret, HMAC-SHA256, base64, URL-encoded) and refuses
// a bad one the way DingTalk does (HTTP 200, errcode 310000), which the server counts as a failed
// attempt. A robot takes only its kinds; a URL that is not https or whose host is not public is
// refused with the reason, and so is a DingTalk robot without its secret.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { client, INVALID, startServer, until } from './lib.mjs';

const SECRET = 'SECc0ffee0123456789abcdef';
let certDir, srv, lead, agent, recv;

// A self-signed certificate for 127.0.0.1 (its own CA), made fresh for this run.
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'gd-robot-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  return dir;
}

/** DingTalk and WeCom in one: /ding checks the signature, /wecom takes the key URL as it is. */
function receiver(dir) {
  const r = { got: [] };
  r.server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'https://127.0.0.1');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const got = { path: url.pathname, query: url.searchParams, raw: req.url, body };
      let answer = { errcode: 0, errmsg: 'ok' };
      if (url.pathname.startsWith('/ding')) {
        const ts = url.searchParams.get('timestamp');
        const sign = url.searchParams.get('sign');
        const want = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
        got.signed = sign === want && Math.abs(Date.now() - Number(ts)) < 3600_000;
        // the sign parameter is URL-encoded ('+', '/' and '=' of base64 travel escaped)
        got.encoded = !/[+/=]/.test(req.url.split('sign=')[1] ?? '');
        if (!got.signed) answer = { errcode: 310000, errmsg: 'sign not match' };
      }
      r.got.push(got);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => r.server.listen(0, '127.0.0.1', () => {
    r.base = `https://127.0.0.1:${r.server.address().port}`;
    resolve(r);
  }));
}

before(async () => {
  certDir = certificate();
  srv = await startServer({ args: ['--webhook-ca-file', join(certDir, 'cert.pem')] });
  lead = await client(srv, 'tea_lead');
  agent = await client(srv, 'tea_agent1');
  recv = await receiver(certDir);
});
after(async () => {
  await srv?.cleanup();
  recv?.server.close();
  rmSync(certDir, { recursive: true, force: true });
});

const robotOf = async (id) => (await lead.get('/api/v1/webhooks')).body.items.find((h) => h.id === id);

test('a DingTalk robot gets one signed markdown message of the kinds it takes', async () => {
  const r = await lead.post('/api/v1/webhooks', { url: `${recv.base}/ding/robot/send?access_token=abc`, format: 'dingtalk', secret: SECRET, events: ['transferred', 'chased'], description: '售后群' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.format, 'dingtalk');
  assert.equal(r.body.secret, undefined, 'the shop\'s DingTalk secret is never sent back');
  assert.equal((await robotOf(r.body.id)).secret, undefined);

  const wo = (await lead.post('/api/v1/workorders', { type: 'after_sales', title: '退款', handler_id: agent.user.id })).body;
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/notes`, { text: '不是它要的' })).status, 200);
  assert.equal((await lead.post(`/api/v1/workorders/${wo.id}/chase`, { text: '买家催了\n第二行' })).status, 200);
  await until(() => recv.got.some((g) => g.path.startsWith('/ding')));
  await until(async () => (await robotOf(r.body.id)).pending === 0);
  const ding = recv.got.filter((g) => g.path.startsWith('/ding'));
  assert.equal(ding.length, 1);
  const [m] = ding;
  assert.equal(m.signed, true, 'the signature checks out');
  assert.equal(m.encoded, true);
  assert.equal(m.query.get('access_token'), 'abc', 'the robot\'s own query is kept');
  assert.equal(m.body.msgtype, 'markdown');
  assert.equal(m.body.markdown.title, '工单通知');
  const lines = m.body.markdown.text.trim().split('\n');
  assert.deepEqual(lines, [`- **${wo.number}** 催办 · 王主管：买家催了 第二行`], 'only the chase; the note is not a kind it takes');
  const state = await robotOf(r.body.id);
  assert.equal(state.delivered, 1);
  assert.equal(state.failures, 0);
  assert.equal(state.last_error, null);
});

test('a WeCom robot gets the markdown content; a refused signature is a failed attempt with the reason', async () => {
  const wecom = await lead.post('/api/v1/webhooks', { url: `${recv.base}/wecom/cgi-bin/webhook/send?key=k1`, format: 'wecom', events: ['transferred'] });
  assert.equal(wecom.status, 201, JSON.stringify(wecom.body));
  const bad = await lead.post('/api/v1/webhooks', { url: `${recv.base}/ding/wrong`, format: 'dingtalk', secret: 'SECnot-the-one', events: ['transferred'] });
  assert.equal(bad.status, 201);
  const wo = (await lead.post('/api/v1/workorders', { type: 'after_sales', title: '换货', handler_id: agent.user.id })).body;
  assert.equal((await agent.post(`/api/v1/workorders/${wo.id}/transfer`, { to: lead.user.id, reason: '需要主管审批' })).status, 200);
  await until(() => recv.got.some((g) => g.path.startsWith('/wecom')));
  const w = recv.got.find((g) => g.path.startsWith('/wecom'));
  assert.equal(w.query.get('key'), 'k1');
  assert.equal(w.query.get('sign'), null, 'WeCom is not signed');
  assert.equal(w.body.msgtype, 'markdown');
  assert.equal(w.body.markdown.content.trim(), `- **${wo.number}** 转交 · 李小梅：需要仓库配合`.replace('需要仓库配合', '需要主管审批'));

  const failed = await until(async () => { const h = await robotOf(bad.body.id); return h.failures > 0 && h; });
  assert.ok(failed, 'the refused message is a failure');
  assert.match(failed.last_error, /errcode 310000 \(sign not match\)/);
  assert.equal(failed.delivered, 0);
  assert.ok(failed.pending > 0, 'kept to send again');
});

test('bad robots are refused with the reason and nothing is written', async () => {
  const before = (await lead.get('/api/v1/webhooks')).body.items.length;
  const cases = [
    [{ url: `${recv.base.replace('https', 'http')}/ding`, format: 'dingtalk', secret: SECRET }, 'url', /must start with https:\/\//],
    [{ url: `${recv.base}/ding`, format: 'dingtalk' }, 'secret', /signing secret/],
    [{ url: `${recv.base}/wecom?key=1`, format: 'wecom', secret: 'x' }, 'secret', /only a DingTalk robot/],
    [{ url: `${recv.base}/x`, format: 'slack' }, 'format', /gongdan, dingtalk or wecom/],
    [{ url: `${recv.base}/x`, secret: 'mine' }, 'secret', /made by the server/],
    [{ url: `${recv.base}/ding`, format: 'dingtalk', secret: 'S'.repeat(201) }, 'secret', /longer than 200/],
  ];
  for (const [body, field, message] of cases) {
    const r = await lead.post('/api/v1/webhooks', body, INVALID);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, message);
  }
  assert.equal((await agent.post('/api/v1/webhooks', { url: `${recv.base}/ding`, format: 'dingtalk', secret: SECRET })).status, 403);
  assert.equal((await lead.get('/api/v1/webhooks')).body.items.length, before);
});

test('without --webhook-allow-private a robot on a private or loopback address is refused when added', async () => {
  const strict = await startServer({ webhookPrivate: false });
  try {
    const l = await client(strict, 'tea_lead');
    for (const url of ['https://127.0.0.1:8443/robot/send?access_token=x', 'https://10.1.2.3/cgi-bin/webhook/send?key=1',
      'https://[::1]/x', 'https://169.254.169.254/latest', 'https://localhost/x']) {
      const r = await l.post('/api/v1/webhooks', { url, format: 'wecom' }, INVALID);
      assert.equal(r.status, 422, url);
      assert.equal(r.body.error.field, 'url');
      assert.match(r.body.error.message, /does not resolve to a public address/);
    }
    assert.deepEqual((await l.get('/api/v1/webhooks')).body.items, []);
  } finally { await strict.cleanup(); }
});

// The view cache per shop: a view is never older than the data (a write of its shop, by this
// server or by another process on the database, is in the next view at once), and on SQLite a
// write of one shop leaves another shop's cached view served from the cache. One server thread,
// so one cache: every hit and miss below is that thread's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, client, BACKEND } from './lib.mjs';

let srv, tea, baby;

before(async () => {
  srv = await startServer({ args: ['--threads', '1'] });
  [tea, baby] = await Promise.all(['tea_lead', 'baby_lead'].map((u) => client(srv, u)));
});
after(async () => { await srv.cleanup(); });

const VIEW = '/api/v1/workorders?view=shop&sort=-created&limit=50';

async function hits() {
  const text = await (await fetch(srv.base + '/metrics')).text();
  return Number(text.match(/^gongdan_view_cache_requests_total\{result="hit"\} (\d+)$/m)[1]);
}

async function view(c) {
  const r = await c.get(VIEW);
  assert.equal(r.status, 200);
  return r.body.items;
}

// Another process writes the database directly (not through the server): Python's sqlite3, or psql.
// Like every writer of a work order it moves the row's version (docs/decisions.md, "Rendered
// list rows are kept by version"): the rendered rows of the lists are kept by it.
function writeOutside(sql) {
  if (srv.db.startsWith('sqlite:')) {
    execFileSync('/usr/bin/python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=10)
c.execute(sys.argv[2])
c.commit()
`, srv.db.slice('sqlite:'.length), sql]);
  } else {
    execFileSync('psql', [srv.db, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  }
}

test('a write of one shop is in its own next view at once', async () => {
  await view(tea);
  await view(tea); // cached now
  const r = await tea.post('/api/v1/workorders', { type: 'task_memo', title: '盘点库存' });
  assert.equal(r.status, 201);
  assert.equal((await view(tea))[0].id, r.body.id, 'the new work order heads the next view');
});

test('a write by another process is in the next view at once', async () => {
  const [first] = await view(tea);
  await view(tea);
  const title = `改于服务之外 ${Date.now()}`;
  writeOutside(`UPDATE workorders SET title = '${title}', version = version + 1 WHERE id = ${first.id}`);
  assert.equal((await view(tea))[0].title, title, 'the view after the outside write shows it');
  // and a shop the write did not touch is not served what it had before either way: its view
  // is read again (the server cannot tell which shop another process wrote)
  const babyBefore = await view(baby);
  writeOutside(`UPDATE workorders SET title = '${title} baby', version = version + 1 WHERE id = ${babyBefore[0].id}`);
  assert.equal((await view(baby))[0].title, `${title} baby`);
});

test('a write of one shop leaves another shop\'s cached view served from the cache', async (t) => {
  if (BACKEND !== 'sqlite') {
    t.skip('on PostgreSQL every shop has the database\'s generation (docs/decisions.md)');
    return;
  }
  // the server's own background work (the janitor, the deadline engine) writes platform-wide
  // now and then, which rightly moves every shop: a few tries, one undisturbed is enough
  let kept = false;
  for (let i = 0; i < 5 && !kept; i++) {
    const before = await view(baby);
    await view(baby);
    const h = await hits();
    const r = await tea.post('/api/v1/workorders', { type: 'task_memo', title: `另一家店的写入 ${i}` });
    assert.equal(r.status, 201);
    const after = await view(baby);
    assert.deepEqual(after, before, 'the other shop\'s view is unchanged');
    kept = (await hits()) === h + 1;
    assert.equal((await view(tea))[0].id, r.body.id, 'the writing shop sees its write at once');
  }
  assert.ok(kept, 'after a write of another shop, the view was answered from the cache');
});

// SQLite's search index in a file of its own (docs/decisions.md "SQLite keeps its search index in a
// file of its own"): a thread moves the waiting pieces of text into <db>-search, and the writer
// deletes them from the main file after that commit. A search finds every work order whichever
// file holds its text; a crash between the two commits (pieces in both) neither doubles a work
// order in a search nor stops the next moves; a replaced text is no longer found.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { BACKEND, client, startServer, until } from './lib.mjs';

const sqlite = BACKEND === 'sqlite';
let srv;
let lead;
before(async () => {
  if (!sqlite) return;
  srv = await startServer();
  lead = await client(srv, 'tea_lead');
});
after(async () => { await srv?.cleanup(); });

// One statement on the main file with the index's file attached as the server attaches it.
function sql(query) {
  const path = srv.db.slice('sqlite:'.length);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute("ATTACH DATABASE ? AS search", (sys.argv[1] + "-search",))
rows = c.execute(sys.argv[2]).fetchall()
c.commit()
print(json.dumps(rows))
`, path, query], { encoding: 'utf8' }));
}

const find = async (q) => {
  const r = await lead.get('/api/v1/workorders?view=shop&limit=200&q=' + encodeURIComponent(q));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.map((w) => w.id).sort((a, b) => a - b);
};
// pieces of the index's file (its FTS5 content table) whose text holds `tag`
const indexed = (tag) => sql(`SELECT count(*) FROM search.wo_search_text_content WHERE c0 LIKE '%${tag}%'`)[0][0];

async function createMany(tag, n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const r = await lead.post('/api/v1/workorders', { type: 'task_memo', title: `${tag} 第${i}单`, content: '索引文件' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  return ids.sort((a, b) => a - b);
}

test('pieces in the index file, waiting, or both after a crash: each work order found once, replaced text gone', { skip: !sqlite && 'SQLite only', timeout: 120_000 }, async () => {
  const tag = `Idx${Date.now()}`;
  // more than a batch (128 pieces): the thread is woken and moves them into the index's file
  const ids = await createMany(tag, 140);
  assert.deepEqual(await find(tag), ids, 'found from the commit on');
  assert.ok(await until(() => indexed(tag) > 0, 30000), 'the batch reached the index file');
  assert.deepEqual(await find(tag), ids, 'found while moved');

  // a crash between the index's commit and the main file's delete: the moved pieces wait again
  await srv.kill();
  sql(`INSERT INTO main.wo_search_pending (id, workorder_id, shop_id, body)
       SELECT rowid, c2, CAST(substr(c1, 2) AS INTEGER), c0 FROM search.wo_search_text_content
       WHERE c0 LIKE '%${tag}%' AND rowid NOT IN (SELECT id FROM main.wo_search_pending)`);
  assert.ok(sql(`SELECT count(*) FROM main.wo_search_pending WHERE body LIKE '%${tag}%'`)[0][0] >= 128);
  await srv.start();
  assert.deepEqual(await find(tag), ids, 'each found once with its text in both files');

  // a replaced title: the old words find the work order no more, the new ones do, before and
  // after the move that deletes the old piece from the index
  const renamed = ids[0];
  const fresh = `Ren${Date.now()}`;
  const r = await lead.patch(`/api/v1/workorders/${renamed}`, { title: `改名 ${fresh}` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const rest = ids.slice(1);
  assert.deepEqual(await find(`${tag} 第0单`), [], 'the old title');
  assert.deepEqual(await find(tag), rest);
  assert.deepEqual(await find(fresh), [renamed]);

  // the next batches are still moved (no piece indexed twice stops them), the crash's leftovers
  // and the removal are forgotten by the main file, and every search still answers the same
  const tag2 = `Nxt${Date.now()}`;
  const ids2 = await createMany(tag2, 140);
  assert.ok(await until(() => indexed(tag2) > 0, 30000), 'a later batch reached the index file');
  const forgotten = async () => {
    await createMany(`Poke${Date.now()}`, 1); // a group of the writer deletes what was moved
    return sql(`SELECT (SELECT count(*) FROM main.wo_search_pending WHERE id <= (SELECT upto FROM search.search_moved))
                + (SELECT count(*) FROM main.wo_search_gone)`)[0][0] === 0;
  };
  assert.ok(await until(forgotten, 30000), 'moved pieces and applied removals deleted from the main file');
  assert.equal(sql(`SELECT count(*) FROM search.wo_search_text_content WHERE rowid = (SELECT piece FROM main.wo_search_base WHERE workorder_id = ${renamed})`)[0][0] +
    sql(`SELECT count(*) FROM main.wo_search_pending WHERE id = (SELECT piece FROM main.wo_search_base WHERE workorder_id = ${renamed})`)[0][0], 1,
  'the new title is one piece');
  assert.deepEqual(await find(tag), rest, 'the old piece deleted from the index');
  assert.deepEqual(await find(`${tag} 第0单`), []);
  assert.deepEqual(await find(fresh), [renamed]);
  assert.deepEqual(await find(tag2), ids2);
});

test('a main file restored without its index file: a new index is made, the error logged, new text found', { skip: !sqlite && 'SQLite only', timeout: 60_000 }, async () => {
  await srv.kill();
  const path = srv.db.slice('sqlite:'.length);
  for (const side of ['-search', '-search-wal', '-search-shm']) rmSync(path + side, { force: true });
  srv.log = '';
  await srv.start();
  assert.match(srv.log, /search index file .* is missing/);
  const tag = `Lost${Date.now()}`;
  const ids = await createMany(tag, 3);
  assert.deepEqual(await find(tag), ids);
});

test('a backup as architecture.md takes it (the main file first, the index file after more text was moved): new text is found after its move', { skip: !sqlite && 'SQLite only', timeout: 120_000 }, async () => {
  const path = srv.db.slice('sqlite:'.length);
  const backup = (from, to) => execFileSync('/usr/bin/python3', ['-c', `
import sqlite3, sys
src = sqlite3.connect(sys.argv[1], timeout=30)
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
`, from, to]);
  const copy = `${path}.backup`;
  backup(path, copy);
  // text created and moved after the main file's copy: the index file's copy holds it
  const moved = `Bak${Date.now()}`;
  await createMany(moved, 140);
  assert.ok(await until(() => indexed(moved) > 0, 30000), 'moved before the index file was copied');
  backup(path + '-search', copy + '-search');

  await srv.kill();
  for (const side of ['', '-wal', '-shm', '-search', '-search-wal', '-search-shm']) rmSync(path + side, { force: true });
  execFileSync('/bin/mv', [copy, path]);
  execFileSync('/bin/mv', [copy + '-search', path + '-search']);
  await srv.start();
  assert.deepEqual(await find(moved), [], 'the work orders made after the main file\'s copy are not in it');

  // new text after the restore, more than a batch: moved into the index and deleted from the
  // main file, and still found (numbered past what the index file holds, not taken as indexed)
  const tag = `Rst${Date.now()}`;
  const ids = await createMany(tag, 140);
  assert.ok(await until(() => indexed(tag) > 0, 30000), 'the new text reached the index file');
  await createMany(`Poke${Date.now()}`, 1); // a group of the writer deletes what was moved
  assert.deepEqual(await find(tag), ids);
});

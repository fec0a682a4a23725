#!/usr/bin/env python3
"""Turns the statements gongdan ran, as PostgreSQL logged them, into a pgbench script.

The ceilings of `make bench` run exactly the SQL the code ran: the benchmark serves a few
requests (or fires a few timers) on a connection that logs every statement
(log_statement=all, the cluster writing jsonlog), then this program reads them back and writes
a pgbench script, so the script follows the code when its SQL changes. Nothing is hand-copied.

  pgscript.py request LOGDIR MARK PICK [ONLY] [DFILE]
      The statements of one request: the log holds MARK statements (a psql `SELECT 'MARK'`)
      between identical requests. In each stretch between marks, the connection that ran a
      statement containing PICK is the request's; the statements most requests ran, in
      order, are the script (only those containing ONLY, when given). A parameter the two
      requests bound alike is written as its literal (with DFILE: a variable, its value
      written to DFILE as pgbench -D arguments, NUL-separated, so the statement is the same
      parameterised one); one that differed (new ids, times, numbers) becomes a fresh random
      number in each pgbench transaction.
  pgscript.py batch LOGDIR CLAIM GET [BATCH]
      One deadline batch of the engine, for pgbench -D base=B -D now=T -D shop=S -D b=0 with
      one client: the transaction that ran CLAIM and fired the most timers (at least four)
      and, per timer, the block of statements starting at GET (the shape most timers ran: the
      first may also fill a cache). The script repeats the block BATCH times (default 2000),
      the k-th block of the b-th transaction acting on work order base + (b-1)*BATCH + k
      (bound as that sum), so it needs work orders with consecutive ids (bench_deadlines
      --dense). The claim's time parameter becomes :now, the work orders' shop :shop.
The script goes to stdout; a summary to stderr.
"""
import glob
import json
import re
import sys

PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)


def entries(logdir):
    out = []
    for path in sorted(glob.glob(logdir + "/*.json")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    return out


def statement(e):
    """(sql, [literal or None per parameter]) of a logged statement, or None."""
    msg = e.get("message", "")
    if msg.startswith("statement: "):
        return msg[len("statement: "):], []
    m = re.match(r"execute [^:]+: (.*)", msg, re.S)
    if not m:
        return None
    params = {}
    detail = e.get("detail") or ""
    if detail.startswith("parameters: "):
        for num, lit in PARAM.findall(detail):
            params[int(num)] = lit
    n = max(params) if params else 0
    return m.group(1), [params.get(i + 1, "NULL") for i in range(n)]


def stretches(ents, mark):
    at = [i for i, e in enumerate(ents) if e.get("message", "") == "statement: SELECT '%s'" % mark]
    return [ents[a + 1:b] for a, b in zip(at, at[1:])]


def of_pid(stretch, pick):
    pids = [e["pid"] for e in stretch if pick in e.get("message", "")]
    if not pids:
        sys.exit("pgscript: no statement containing %r between the marks" % pick)
    return [s for s in (statement(e) for e in stretch if e["pid"] == pids[0]) if s]


def as_int(lit):
    return int(lit[1:-1]) if re.fullmatch(r"'-?\d+'", lit or "") else None


def substitute(sql, values):
    """$N -> values[N-1] (a literal, or a :variable)."""
    return re.sub(r"\$(\d+)\b", lambda m: values[int(m.group(1)) - 1], sql)


def unquote(lit):
    return lit[1:-1].replace("''", "'")


def request(logdir, mark, pick, only=None, dfile=None):
    runs = [of_pid(s, pick) for s in stretches(entries(logdir), mark)]
    # a request on a server thread's first use also connects and fills its caches: the
    # script is the statements most requests ran (two of them, to see what varies)
    shapes = [tuple(q for q, _ in r) for r in runs]
    common = max(set(shapes), key=shapes.count) if shapes else None
    same = [r for r, sh in zip(runs, shapes) if sh == common]
    if len(same) < 2:
        sys.exit("pgscript: need two requests that ran the same statements")
    a, b = same[-2], same[-1]
    lines, varied, consts = [], {}, {}
    for (sql, pa), (_, pb) in zip(a, b):
        if only and only not in sql:
            continue
        values = []
        for x, y in zip(pa, pb):
            if (x == y or as_int(x) is None or as_int(y) is None) and dfile and y != "NULL":
                # bound as a parameter, as the code binds it (pgbench -D name=value), so the
                # server plans the same parameterised statement
                if y not in consts:
                    consts[y] = "c%d" % (len(consts) + 1)
                values.append(":" + consts[y])
                continue
            if x == y or as_int(x) is None or as_int(y) is None:
                values.append(y)
                continue
            # a new id, a time, a number: fresh in each transaction, from a range wide enough
            # that 16 clients never draw one twice in a run (unique columns); the same value
            # bound twice (the new work order's id in each statement) is the same variable
            if (x, y) not in varied:
                varied[(x, y)] = "v%d" % (len(varied) + 1)
                lines.append("\\set %s random(1, 4503599627370496)" % varied[(x, y)])
            values.append(":" + varied[(x, y)])
        lines.append(substitute(sql, values) + ";")
    if dfile:
        with open(dfile, "wb") as f:
            for lit, name in consts.items():
                f.write(b"-D\0" + ("%s=%s" % (name, unquote(lit))).encode() + b"\0")
    sys.stderr.write("pgscript: %d statements, %d values varied per transaction\n"
                     % (sum(1 for l in lines if not l.startswith("\\")), len(varied)))
    return "\n".join(lines) + "\n"


def batch(logdir, claim, get, size=2000):
    ents = entries(logdir)
    # the claim that fired the most timers (the burst, not a single timer fired later)
    best = (0, None, None)
    for pid in dict.fromkeys(e["pid"] for e in ents if claim in e.get("message", "")):
        seq = [s for s in (statement(e) for e in ents if e["pid"] == pid) if s]
        for k in range(len(seq) - 1):
            if claim in seq[k][0] and get in seq[k + 1][0]:
                end = next((j for j in range(k, len(seq)) if seq[j][0] == "COMMIT"), len(seq))
                fired = sum(1 for q, _ in seq[k:end] if get in q)
                if fired > best[0]:
                    best = (fired, seq, k)
    _, seq, c = best
    if c is None:
        sys.exit("pgscript: no claim containing %r followed by %r" % (claim, get))
    begin = max(k for k in range(c) if seq[k][0].startswith("BEGIN"))
    end = next(k for k in range(c, len(seq)) if seq[k][0] == "COMMIT")
    tx = seq[begin:end + 1]
    c -= begin
    starts = [k for k in range(c + 1, len(tx)) if get in tx[k][0]]
    ends = starts[1:] + [len(tx)]
    # the last timer's block runs to the batch's own statements (the counters), which follow
    # the shape every timer shares
    blocks = [tx[s:e] for s, e in zip(starts, ends)]
    shapes = [tuple(q for q, _ in blk) for blk in blocks[:-1]]
    common = max(set(shapes), key=shapes.count) if shapes else ()
    width = len(common)
    same = [blk for blk, sh in zip(blocks, shapes) if sh == common]
    if len(same) < 2 or tuple(q for q, _ in blocks[-1][:width]) != common:
        sys.exit("pgscript: the captured batch must fire at least three timers alike")
    flush = blocks[-1][width:]
    a, b = same[-2], same[-1]
    # GET's parameters: the work order (one per timer) and its shop (the ceiling's database
    # has a shop of its own: pgbench -D shop=S)
    (wo_a, shop), wo_b = a[0][1][:2], b[0][1][0]
    out = ["\\set b :b + 1"]
    for sql, params in tx[:c]:
        out.append(substitute(sql, params) + ";")
    sql, params = tx[c]
    out.append(substitute(sql, [":now"] + params[1:]) + ";")
    # the block of one timer: per statement its SQL and, per parameter, a literal or a name of
    # this timer's variables ("w": its work order, "vN": fresh random numbers)
    body = []
    varied = {}
    for (sql, pa), (_, pb) in zip(a, b):
        values = []
        for x, y in zip(pa, pb):
            if x == wo_a and y == wo_b:
                values.append(("var", "w"))
            elif x == shop and y == shop:
                values.append(("lit", ":shop"))
            elif x == y or as_int(x) is None or as_int(y) is None:
                values.append(("lit", y))
            else:
                varied.setdefault((x, y), "v%d" % (len(varied) + 1))
                values.append(("var", varied[(x, y)]))
        body.append((sql, values))
    # one base per variable per batch, the k-th timer binding base + k: a \\set per timer
    # would add 6,000 commands to a script pgbench already reads slowly (minutes for 16,000)
    out.append("\\set wb :base + (:b - 1) * %d" % size)
    for name in varied.values():
        out.append("\\set %sb random(1, 4503599627370496)" % name)
    for i in range(1, size + 1):
        for sql, values in body:
            out.append(substitute(sql, [v if kind == "lit" else "(:%sb::bigint + %d)" % (v, i)
                                        for kind, v in values]) + ";")
    for sql, params in flush:
        out.append(substitute(sql, [":shop" if v == shop else v for v in params]) + ";")
    sys.stderr.write("pgscript: a batch of %d timers: %d statements before the timers, %d per "
                     "timer, %d after\n" % (size, c + 1, width, len(flush)))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "request":
        sys.stdout.write(request(*sys.argv[2:7]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "batch":
        sys.stdout.write(batch(sys.argv[2], sys.argv[3], sys.argv[4],
                               int(sys.argv[5]) if len(sys.argv) > 5 else 2000))
    else:
        sys.exit(__doc__)

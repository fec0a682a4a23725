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
  pgscript.py replay LOGDIR CLAIM
      What the deadline engine ran in a burst, for bench_pg_replay (bench/pg_replay.c, the
      ceiling of make bench): the connection that ran CLAIM and the most statements, from the
      BEGIN of its first CLAIM to its last COMMIT, one JSON object per statement: {"sql": its
      text ($1..$n, as the engine prepared it), "simple": true when it was sent as plain text
      (BEGIN, COMMIT, the locks), "params": ["=VALUE" or "~" (NULL) for each]}.
The output goes to stdout; a summary to stderr.
"""
import glob
import json
import re
import sys

# texts sent as plain statements (PQexec), not prepared: BEGIN, COMMIT, the advisory locks
SIMPLE = set()
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
        SIMPLE.add(msg[len("statement: "):])
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


def replay(logdir, claim):
    ents = entries(logdir)
    # the connection that claimed timers and ran the most statements: the burst
    best = []
    for pid in dict.fromkeys(e["pid"] for e in ents if claim in e.get("message", "")):
        seq = [s for s in (statement(e) for e in ents if e["pid"] == pid) if s]
        if len(seq) > len(best):
            best = seq
    first = next((k for k, (q, _) in enumerate(best) if claim in q), None)
    if first is None:
        sys.exit("pgscript: no statement containing %r" % claim)
    begin = max(k for k in range(first) if best[k][0].startswith("BEGIN"))
    end = max(k for k in range(len(best)) if best[k][0] == "COMMIT")
    out = []
    for sql, params in best[begin:end + 1]:
        out.append(json.dumps({"sql": sql, "simple": sql in SIMPLE,
                               "params": ["~" if v == "NULL" else "=" + unquote(v)
                                          for v in params]}, ensure_ascii=False))
    sys.stderr.write("pgscript: %d statements, %d transactions\n"
                     % (len(out), sum(1 for q, _ in best[begin:end + 1] if q == "COMMIT")))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "request":
        sys.stdout.write(request(*sys.argv[2:7]))
    elif len(sys.argv) == 4 and sys.argv[1] == "replay":
        sys.stdout.write(replay(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)

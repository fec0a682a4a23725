/* bench_pg_replay: the PostgreSQL ceiling of the deadline engine (make bench). The engine fired
 * a burst on a logging connection (log_statement=all); bench/pgscript.py replay wrote every
 * statement it ran, in order, with the values it bound, one JSON object per line. This program
 * runs them again on one connection, against a copy of the database taken before that burst
 * (CREATE DATABASE ... TEMPLATE): the same SQL text, prepared once as the engine prepares it
 * (plain statements such as BEGIN and COMMIT sent as plain text, as the engine sends them),
 * the same values, the same transactions, and nothing else between them. What the engine spends
 * beyond this is its own.
 *
 * usage: bench_pg_replay URL STATEMENTS.jsonl TIMERS
 * Prints "replayed N statements in T transactions: S s, R firings/s" (TIMERS / S). */
#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/xalloc.h"

struct statement {
    int sql;       /* index into texts */
    int nparams;   /* values[0 .. nparams) */
    char **values; /* NULL = SQL NULL */
};

struct text {
    char *sql;
    bool simple;
    char name[16]; /* its prepared statement, once prepared */
};

static struct text *texts;
static int ntexts, captexts;

static int text_index(const char *sql, bool simple)
{
    for (int i = 0; i < ntexts; i++) {
        if (texts[i].simple == simple && strcmp(texts[i].sql, sql) == 0) {
            return i;
        }
    }
    if (ntexts == captexts) {
        captexts = captexts ? 2 * captexts : 32;
        texts = xrealloc(texts, sizeof(*texts) * (size_t)captexts);
    }
    texts[ntexts] = (struct text){.sql = xstrdup(sql), .simple = simple};
    return ntexts++;
}

/* Reads the statements of FILE; returns how many, or -1. */
static long load(const char *path, struct statement **out)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    long n = 0, room = 0;
    struct statement *st = NULL;

    if (!f) {
        perror(path);
        return -1;
    }
    while (getline(&line, &cap, f) > 0) {
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        json_t *params = json_object_get(o, "params");
        const char *sql = json_string_value(json_object_get(o, "sql"));
        if (!sql || !json_is_array(params)) {
            fprintf(stderr, "bench_pg_replay: %s: line %ld is not a statement\n", path, n + 1);
            json_decref(o);
            n = -1;
            break;
        }
        if (n == room) {
            room = room ? 2 * room : 4096;
            st = xrealloc(st, sizeof(*st) * (size_t)room);
        }
        struct statement *s = &st[n++];
        s->sql = text_index(sql, json_is_true(json_object_get(o, "simple")));
        s->nparams = (int)json_array_size(params);
        s->values = xcalloc((size_t)s->nparams + 1, sizeof(*s->values));
        for (int i = 0; i < s->nparams; i++) {
            const char *v = json_string_value(json_array_get(params, (size_t)i));
            s->values[i] = v && v[0] == '=' ? xstrdup(v + 1) : NULL; /* "~": NULL */
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    *out = st;
    return n;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool ok(PGconn *c, PGresult *r, const char *sql)
{
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        return true;
    }
    fprintf(stderr, "bench_pg_replay: %.200s: %s", sql, PQerrorMessage(c));
    return false;
}

int main(int argc, char **argv)
{
    struct statement *st = NULL;
    long timers = argc == 4 ? strtol(argv[3], NULL, 10) : 0, n, commits = 0;

    if (timers <= 0) {
        fprintf(stderr, "usage: bench_pg_replay URL STATEMENTS.jsonl TIMERS\n");
        return 2;
    }
    if ((n = load(argv[2], &st)) <= 0) {
        fprintf(stderr, "bench_pg_replay: no statements in %s\n", argv[2]);
        return 1;
    }
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_pg_replay: cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return 1;
    }
    double t0 = mono_s();
    for (long k = 0; k < n; k++) {
        struct text *t = &texts[st[k].sql];
        PGresult *r;
        if (t->simple) {
            r = PQexec(c, t->sql);
        } else {
            if (!t->name[0]) { /* prepared on first use, as the engine's statement cache does */
                snprintf(t->name, sizeof(t->name), "r%d", st[k].sql);
                r = PQprepare(c, t->name, t->sql, 0, NULL);
                if (!ok(c, r, t->sql)) {
                    PQclear(r);
                    PQfinish(c);
                    return 1;
                }
                PQclear(r);
            }
            r = PQexecPrepared(c, t->name, st[k].nparams, (const char *const *)st[k].values, NULL,
                               NULL, 0);
        }
        if (!ok(c, r, t->sql)) {
            PQclear(r);
            PQfinish(c);
            return 1;
        }
        PQclear(r);
        commits += t->simple && strcmp(t->sql, "COMMIT") == 0;
    }
    double secs = mono_s() - t0;
    printf("replayed %ld statements in %ld transactions: %.2f s, %.0f firings/s\n", n, commits,
           secs, (double)timers / secs);
    PQfinish(c);
    return 0;
}

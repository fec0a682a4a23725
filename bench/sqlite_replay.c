/* Records the statements SQLite runs (a trace installed on every connection opened while
 * recording is on, through sqlite3_auto_extension) and runs them again on another database
 * from a plain loop: the ceiling of what the engine's statements cost without the engine.
 *
 * A statement's values are read back from its expanded text (sqlite3_expanded_sql) against its
 * own text: SQLite writes each bound value where its ?N stands and copies everything else, so
 * walking both side by side gives the values, bound again as the same types on replay. */
#include "sqlite_replay.h"
#include <ctype.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/xalloc.h"

#define MAX_PARAMS 1024 /* a firing batch writes 32 rows to a statement: up to 352 values */

enum { V_NULL, V_INT, V_REAL, V_TEXT, V_BLOB };

struct value {
    int type;
    int64_t i;
    double d;
    char *s;    /* V_TEXT, V_BLOB: owned */
    size_t len; /* V_BLOB: bytes */
};

struct record {
    int sql;    /* index into sqls */
    long first; /* its values: values[first .. first + n) */
    int n;
};

static struct {
    bool on, broken;
    pthread_t
        thread; /* the one recorded: the engine's (not the search index's or a checkpoint's) */
    char **sqls;
    int nsqls, capsqls;
    struct record *recs;
    long nrecs, caprecs;
    struct value *values;
    long nvalues, capvalues;
    long marked; /* first measured record */
    const void *last_stmt, *last_text;
    int last_sql;
} rec;

static int sql_index(const void *stmt, const char *text)
{
    /* a statement runs again and again: its cached index, checked by content */
    if (stmt == rec.last_stmt && text == rec.last_text && rec.last_sql >= 0 &&
        strcmp(rec.sqls[rec.last_sql], text) == 0) {
        return rec.last_sql;
    }
    int i = 0;
    while (i < rec.nsqls && strcmp(rec.sqls[i], text) != 0) {
        i++;
    }
    if (i == rec.nsqls) {
        if (rec.nsqls == rec.capsqls) {
            rec.capsqls = rec.capsqls ? 2 * rec.capsqls : 32;
            rec.sqls = xrealloc(rec.sqls, sizeof(*rec.sqls) * (size_t)rec.capsqls);
        }
        rec.sqls[rec.nsqls++] = xstrdup(text);
    }
    rec.last_stmt = stmt;
    rec.last_text = text;
    rec.last_sql = i;
    return i;
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* One literal of an expanded statement at *p: NULL, a number, a quoted string or x'blob'. */
static bool read_literal(const char **p, struct value *v)
{
    const char *e = *p;
    memset(v, 0, sizeof(*v));
    if (strncmp(e, "NULL", 4) == 0) {
        *p = e + 4;
        return true;
    }
    if ((e[0] == 'x' || e[0] == 'X') && e[1] == '\'') {
        const char *end = strchr(e + 2, '\'');
        if (!end) {
            return false;
        }
        v->type = V_BLOB;
        v->len = (size_t)(end - e - 2) / 2;
        v->s = xmalloc(v->len + 1);
        for (size_t k = 0; k < v->len; k++) {
            v->s[k] = (char)(hex(e[2 + 2 * k]) << 4 | hex(e[3 + 2 * k]));
        }
        *p = end + 1;
        return true;
    }
    if (*e == '\'') {
        size_t cap = 64, n = 0;
        char *s = xmalloc(cap);
        for (e++;; e++) {
            if (!*e) {
                free(s);
                return false;
            }
            if (*e == '\'') {
                if (e[1] != '\'') {
                    break;
                }
                e++;
            }
            if (n + 2 > cap) {
                cap *= 2;
                s = xrealloc(s, cap);
            }
            s[n++] = *e;
        }
        s[n] = '\0';
        v->type = V_TEXT;
        v->s = s;
        *p = e + 1;
        return true;
    }
    char *end;
    long long i = strtoll(e, &end, 10);
    if (end == e) {
        return false;
    }
    if (*end == '.' || *end == 'e' || *end == 'E') {
        v->type = V_REAL;
        v->d = strtod(e, &end);
    } else {
        v->type = V_INT;
        v->i = i;
    }
    *p = end;
    return true;
}

/* The values bound to ?1..?n of `text`, read from its expansion into vals. */
static bool read_values(const char *text, const char *expanded, struct value *vals, int n)
{
    const char *t = text, *e = expanded;
    int next = 1;
    while (*t) {
        if (*t == '\'') { /* a literal in the text itself: the same in both */
            for (t++, e++; *t && (*t != '\'' || t[1] == '\''); t++, e++) {
                if (*t == '\'') {
                    t++, e++;
                }
            }
            if (*t) {
                t++, e++;
            }
            continue;
        }
        if (*t == '?' || (*t == '$' && isdigit((unsigned char)t[1]))) {
            char *end;
            long k = strtol(t + 1, &end, 10);
            if (end == t + 1) {
                k = next;
            }
            next = (int)k + 1;
            if (k < 1 || k > n || !read_literal(&e, &vals[k - 1])) {
                return false;
            }
            t = end;
            continue;
        }
        if (*t != *e) {
            return false;
        }
        t++, e++;
    }
    return *e == '\0';
}

static int on_statement(unsigned type, void *ctx, void *p, void *x)
{
    sqlite3_stmt *st = p;
    const char *text = x;

    (void)ctx;
    if (type != SQLITE_TRACE_STMT || !rec.on || (text[0] == '-' && text[1] == '-')) {
        return 0; /* a trigger's own statements run as part of the one that fired it */
    }
    text = sqlite3_sql(st);
    if (!pthread_equal(pthread_self(), rec.thread) || strncmp(text, "ATTACH", 6) == 0 ||
        strncmp(text, "PRAGMA", 6) == 0) {
        return 0; /* another thread's work, or a connection opened (the search index's file attached) */
    }
    int n = sqlite3_bind_parameter_count(st);
    if (n > MAX_PARAMS) {
        rec.broken = true;
        return 0;
    }
    if (rec.nrecs == rec.caprecs) {
        rec.caprecs = rec.caprecs ? 2 * rec.caprecs : 4096;
        rec.recs = xrealloc(rec.recs, sizeof(*rec.recs) * (size_t)rec.caprecs);
    }
    if (rec.nvalues + n > rec.capvalues) {
        rec.capvalues = rec.capvalues ? 2 * rec.capvalues : 16384;
        rec.values = xrealloc(rec.values, sizeof(*rec.values) * (size_t)rec.capvalues);
    }
    struct record *r = &rec.recs[rec.nrecs++];
    r->sql = sql_index(st, text);
    r->first = rec.nvalues;
    r->n = n;
    if (n) {
        char *expanded = sqlite3_expanded_sql(st);
        if (!expanded || !read_values(text, expanded, &rec.values[rec.nvalues], n)) {
            if (!rec.broken) {
                fprintf(stderr, "ceiling: cannot read the values of: %.200s\n", text);
            }
            rec.broken = true;
        }
        sqlite3_free(expanded);
        rec.nvalues += n;
    }
    return 0;
}

static int on_open(sqlite3 *db, const char **msg, const void *api)
{
    (void)msg, (void)api;
    if (rec.on) {
        sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_statement, NULL);
    }
    return SQLITE_OK;
}

int gd_bench_trace_install(void)
{
    rec.last_sql = -1;
    /* SQLite calls the entry point with the signature of an extension's init */
    return sqlite3_auto_extension((void (*)(void))on_open) != SQLITE_OK;
}

void gd_bench_trace_record(bool on)
{
    rec.thread = pthread_self();
    rec.on = on;
}

void gd_bench_trace_mark(void) { rec.marked = rec.nrecs; }

int gd_bench_sqlite_copy(const char *from, const char *to)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    }
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        if (b) {
            sqlite3_backup_finish(b);
        }
    }
    if (rc != SQLITE_OK) {
        fprintf(stderr, "ceiling: cannot copy %s to %s: %s\n", from, to,
                dst   ? sqlite3_errmsg(dst)
                : src ? sqlite3_errmsg(src)
                      : "out of memory");
    }
    sqlite3_close(dst);
    sqlite3_close(src);
    return rc != SQLITE_OK;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void forget(void)
{
    for (long i = 0; i < rec.nvalues; i++) {
        free(rec.values[i].s);
    }
    for (int i = 0; i < rec.nsqls; i++) {
        free(rec.sqls[i]);
    }
    free(rec.values);
    free(rec.recs);
    free(rec.sqls);
    memset(&rec, 0, sizeof(rec));
    rec.last_sql = -1;
}

/* Runs records [from, to) on db with the statements in stmts (prepared on first use). */
static int run(sqlite3 *db, sqlite3_stmt **stmts, long from, long to, int *commits)
{
    for (long k = from; k < to; k++) {
        const struct record *r = &rec.recs[k];
        sqlite3_stmt **st = &stmts[r->sql];
        if (!*st && sqlite3_prepare_v2(db, rec.sqls[r->sql], -1, st, NULL) != SQLITE_OK) {
            fprintf(stderr, "ceiling: cannot prepare %s: %s\n", rec.sqls[r->sql],
                    sqlite3_errmsg(db));
            return 1;
        }
        for (int i = 0; i < r->n; i++) {
            const struct value *v = &rec.values[r->first + i];
            switch (v->type) {
            case V_INT:
                sqlite3_bind_int64(*st, i + 1, v->i);
                break;
            case V_REAL:
                sqlite3_bind_double(*st, i + 1, v->d);
                break;
            case V_TEXT:
                sqlite3_bind_text(*st, i + 1, v->s, -1, SQLITE_STATIC);
                break;
            case V_BLOB:
                sqlite3_bind_blob(*st, i + 1, v->s, (int)v->len, SQLITE_STATIC);
                break;
            default:
                sqlite3_bind_null(*st, i + 1);
            }
        }
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "ceiling: %s: %s\n", rec.sqls[r->sql], sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(*st);
        *commits += strcmp(rec.sqls[r->sql], "COMMIT") == 0;
    }
    return 0;
}

int gd_bench_replay(const char *path, int64_t *ms, long *statements, int *commits)
{
    sqlite3 *db = NULL;
    sqlite3_stmt **stmts = xcalloc((size_t)rec.nsqls + 1, sizeof(*stmts));
    int bad = rec.broken, setup_commits = 0;

    *commits = 0;
    *statements = rec.nrecs - rec.marked;
    if (!bad && sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "ceiling: cannot open %s\n", path);
        bad = 1;
    }
    /* the recorded connections' settings (WAL, synchronous=FULL, cache size ...), untimed */
    bad = bad || run(db, stmts, 0, rec.marked, &setup_commits);
    int64_t t0 = mono_ms();
    bad = bad || run(db, stmts, rec.marked, rec.nrecs, commits);
    *ms = mono_ms() - t0;
    /* what ran, by statement: where a timer's statements go */
    long *count = xcalloc((size_t)rec.nsqls + 1, sizeof(*count));
    for (long k = rec.marked; k < rec.nrecs; k++) {
        count[rec.recs[k].sql]++;
    }
    for (int i = 0; i < rec.nsqls; i++) {
        if (count[i]) {
            printf("    %9ld x %.90s\n", count[i], rec.sqls[i]);
        }
    }
    free(count);
    for (int i = 0; i < rec.nsqls; i++) {
        sqlite3_finalize(stmts[i]);
    }
    free(stmts);
    sqlite3_close(db);
    forget();
    return bad;
}

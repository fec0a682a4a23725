/* Several nodes on one PostgreSQL: node slots and change notifications.
 *
 * A node slot is a session-level advisory lock (SLOT_CLASS, slot) held by one connection of the
 * node for its life: a node that dies loses its connection and with it the slot. Changes travel
 * on one channel, NOTIFY issued inside the committing transaction (PostgreSQL delivers it only
 * after COMMIT, and folds identical payloads of one transaction into one). The payload is
 * "SHOP WORKORDER ORIGIN" in decimal for a work order, "revoked ORIGIN" for a revoked credential.
 *
 * An import holds its shop's import lock, a session advisory lock (IMPORT_CLASS, the shop id
 * folded to 32 bits as the writer lock folds it: two shops folding alike only refuse each other's
 * concurrent import), on the importing handle's connection: freed with it if the node dies.
 *
 * The listening handle reconnects by itself (changes_wait): LISTEN and the slot are taken again
 * on the new connection, and the caller is told that changes may have been missed. */
#include <errno.h>
#include <poll.h>
#include "base/log.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define SLOT_CLASS "7263003"   /* advisory lock class of the node slots ("gd" 3) */
#define IMPORT_CLASS "7263004" /* advisory lock class of the shops' imports ("gd" 4) */
#define CHANNEL "gongdan_change"

static bool try_slot(PGconn *conn, int slot)
{
    char num[16];
    const char *vals[] = {num};
    snprintf(num, sizeof(num), "%d", slot);
    PGresult *r = PQexecParams(conn, "SELECT pg_try_advisory_lock(" SLOT_CLASS ", $1::int)", 1,
                               NULL, vals, NULL, NULL, 0);
    bool got = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
               strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return got;
}

int gd_pg__node_slot_claim(struct gd_store *s, int nslots, int *slot, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    if (p->slot_held) {
        *slot = p->slot;
        return GD_OK;
    }
    if (PQstatus(p->conn) != CONNECTION_OK) {
        return gd_err_set(err, GD_ERETRY, "the database connection was lost; try again");
    }
    for (int i = 0; i < nslots; i++) {
        if (try_slot(p->conn, i)) {
            p->slot_held = true;
            p->slot = *slot = i;
            return GD_OK;
        }
    }
    return gd_err_set(err, GD_ELIMIT, "all %d node slots are held by running nodes", nslots);
}

int gd_pg__change_notify(struct gd_store *s, int64_t shop_id, int64_t workorder_id, int origin,
                         struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    char payload[64];
    snprintf(payload, sizeof(payload), "%lld %lld %d", (long long)shop_id, (long long)workorder_id,
             origin);
    if (p->in_tx) {
        /* delivered at COMMIT either way: sent with it (gd_pg__xid_and_notices), not one round
         * trip per change (the deadline engine changes 2,000 work orders in a transaction) */
        if (!p->notices.len) {
            gd_strbuf_addch(&p->notices, '{');
        }
        gd_pg__array_text(&p->notices, payload);
        return GD_OK;
    }
    struct gd_pg_stmt *st = pg_prep(p, "SELECT pg_notify('" CHANNEL "', $1)", err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, payload);
    return pg_exec(p, st, err);
}

PGresult *gd_pg__xid_and_notices(struct gd_pg *p)
{
    if (!p->notices.len) {
        return PQexec(p->conn, "SELECT pg_current_xact_id_if_assigned()");
    }
    gd_strbuf_addch(&p->notices, '}');
    const char *vals[] = {p->notices.buf};
    /* the notifications first (the aggregate runs them all), then the id: one row */
    PGresult *r = PQexecParams(p->conn,
                               "SELECT pg_current_xact_id_if_assigned() FROM (SELECT "
                               "count(pg_notify('" CHANNEL "', x)) FROM unnest($1::text[]) x) n",
                               1, NULL, vals, NULL, NULL, 0);
    gd_strbuf_reset(&p->notices);
    return r;
}

int gd_pg__revoked_notify(struct gd_store *s, int origin, struct gd_err *err)
{
    char payload[32];
    struct gd_pg_stmt *st = pg_prep(PG(s), "SELECT pg_notify('" CHANNEL "', $1)", err);
    if (!st) {
        return GD_EDB;
    }
    snprintf(payload, sizeof(payload), "revoked %d", origin);
    bind_text(st, 1, payload);
    return pg_exec(PG(s), st, err);
}

static int import_key(int64_t shop_id)
{
    return (int)(uint32_t)((uint64_t)shop_id ^ ((uint64_t)shop_id >> 32));
}

int gd_pg__import_lock(struct gd_store *s, int64_t shop_id, bool *held, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT pg_try_advisory_lock(" IMPORT_CLASS ", $1::int)", err);
    int rc;
    *held = false;
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, import_key(shop_id));
    if ((rc = pg_step(st)) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *held = strcmp(col_text(st, 0), "t") == 0;
    pg_done(st);
    return GD_OK;
}

void gd_pg__import_unlock(struct gd_store *s, int64_t shop_id)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s), "SELECT pg_advisory_unlock(" IMPORT_CLASS ", $1::int)", NULL);
    if (st) {
        bind_i64(st, 1, import_key(shop_id));
        pg_exec(PG(s), st, NULL);
    }
}

/* A connection that broke: reset it, LISTEN again and take the slot back. */
static int relisten(struct gd_pg *p, bool *gap, struct gd_err *err)
{
    if (PQstatus(p->conn) != CONNECTION_OK) {
        PQreset(p->conn);
        if (PQstatus(p->conn) != CONNECTION_OK) {
            return gd_err_set(err, GD_ERETRY, "the database connection was lost; try again");
        }
    }
    PGresult *r = PQexec(p->conn, "LISTEN " CHANNEL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        return gd_err_set(err, GD_ERETRY, "cannot LISTEN: %s", PQerrorMessage(p->conn));
    }
    if (p->slot_held && !try_slot(p->conn, p->slot)) {
        /* another node claimed it while this one was away: ids may clash from now on */
        gd_log(GD_LOG_ERROR,
               "node slot %d was taken by another node while the connection was "
               "lost; restart this node",
               p->slot);
    }
    *gap = p->listen_lost;
    p->listen_lost = false;
    p->listening = true;
    return GD_OK;
}

static void lost(struct gd_pg *p)
{
    gd_log(GD_LOG_WARN, "change listener lost its connection: %s", PQerrorMessage(p->conn));
    p->listening = false;
    p->listen_lost = true;
}

/* Moves the notifications libpq has read into `out`, up to `max`. */
static void drain(struct gd_pg *p, struct gd_change *out, int max, int *count)
{
    PGnotify *n;
    while (*count < max && (n = PQnotifies(p->conn))) {
        long long shop, wo;
        int origin;
        if (sscanf(n->extra, "revoked %d", &origin) == 1) {
            out[(*count)++] = (struct gd_change){0, 0, origin, true};
        } else if (sscanf(n->extra, "%lld %lld %d", &shop, &wo, &origin) == 3) {
            out[(*count)++] = (struct gd_change){shop, wo, origin, false};
        }
        PQfreemem(n);
    }
}

int gd_pg__changes_wait(struct gd_store *s, int timeout_ms, struct gd_change *out, int max,
                        int *count, bool *gap, struct gd_err *err)
{
    struct gd_pg *p = PG(s);

    *count = 0;
    *gap = false;
    if (!p->listening || PQstatus(p->conn) != CONNECTION_OK) {
        if (p->listening) {
            lost(p);
        }
        int ret = relisten(p, gap, err);
        if (ret) {
            return ret;
        }
    }
    if (max <= 0) {
        return GD_OK;
    }
    if (!PQconsumeInput(p->conn)) {
        lost(p);
        return gd_err_set(err, GD_ERETRY, "the database connection was lost; try again");
    }
    drain(p, out, max, count);
    if (*count == 0 && timeout_ms > 0) {
        struct pollfd pfd = {.fd = PQsocket(p->conn), .events = POLLIN};
        if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR) {
            return gd_err_set(err, GD_EIO, "poll: %s", strerror(errno));
        }
        if (!PQconsumeInput(p->conn) || PQstatus(p->conn) != CONNECTION_OK) {
            lost(p);
            return gd_err_set(err, GD_ERETRY, "the database connection was lost; try again");
        }
        drain(p, out, max, count);
    }
    return GD_OK;
}

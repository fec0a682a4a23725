/* The PostgreSQL backend's connection and what happens when it breaks (the database restarted,
 * the network dropped): the next statement outside a transaction, or the next begin, opens it
 * again (PQreset) and sets the session up as at open; statements prepared on the old connection
 * are prepared again when next used (db.c compares their generation with the connection's).
 * What a failure means for the caller:
 *   - the database cannot be reached: GD_EUNAVAIL (nothing ran);
 *   - the connection broke inside a transaction, before COMMIT: GD_ERETRY (the server rolls the
 *     transaction back; the unit of work may run again);
 *   - the connection broke during COMMIT, or during a statement that commits on its own: the
 *     outcome is unknown to the client. For a COMMIT the transaction's id answers it once a new
 *     connection is made (pg_xact_status): committed is GD_OK, aborted GD_ERETRY; when no new
 *     connection can be made it stays unknown, GD_EUNAVAIL, and the unit of work must not run
 *     again by itself (an Idempotency-Key retry by the client finds the first one's answer). */
#include <poll.h>
#include <stdatomic.h>
#include <time.h>
#include "base/log.h"
#include "store/backends.h"
#include "store/pg/pg_int.h"

/* How long a connection attempt may take when the URL does not say (connect_timeout): a
 * database host that does not answer must not hold a request for the kernel's TCP timeout. */
#define CONNECT_TIMEOUT_S "5"
/* How long a COMMIT whose connection broke is watched while its transaction is still running
 * on the server. */
#define OUTCOME_POLLS 20
#define OUTCOME_POLL_MS 50

static _Atomic long lost_total, reconnects_total;

long gd_pg_connections_lost(void) { return atomic_load(&lost_total); }

long gd_pg_reconnects(void) { return atomic_load(&reconnects_total); }

/* libpq's messages end with a newline; logs and errors want one line. */
static const char *one_line(const char *msg, char *buf, size_t n)
{
    snprintf(buf, n, "%s", msg ? msg : "");
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ')) {
        buf[--len] = 0;
    }
    return buf;
}

/* The server's notices and the last words of a connection it ends go to the log, not stderr. */
static void notice_to_log(void *arg, const char *msg)
{
    char buf[256];
    (void)arg;
    gd_log(GD_LOG_WARN, "database says: %s", one_line(msg, buf, sizeof(buf)));
}

PGconn *gd_pg__connect(const char *url)
{
    /* the URL's own settings win over these defaults (expand_dbname: later values override) */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const vals[] = {CONNECT_TIMEOUT_S, "gongdan", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    PQsetNoticeProcessor(conn, notice_to_log, NULL);
    return conn;
}

int gd_pg__session_setup(struct gd_pg *p, struct gd_err *err)
{
    /* UTF-8 text, hex bytea (col_blob reads it), quiet notices */
    int ret = gd_pg__exec(p,
                          "SET client_encoding = 'UTF8'; SET bytea_output = 'hex'; "
                          "SET client_min_messages = warning",
                          err);
    if (ret) {
        return ret;
    }
    if (p->relaxed) {
        return gd_pg__exec(p, "SET synchronous_commit = off", err);
    }
    return GD_OK;
}

/* Whether an idle connection is still open: what waits on its socket (a server's last words
 * "terminating connection", then the end of the stream) is read without blocking. */
static bool still_open(PGconn *conn)
{
    for (int i = 0; i < 4 && PQstatus(conn) == CONNECTION_OK; i++) {
        struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
        if (poll(&pfd, 1, 0) <= 0 || !PQconsumeInput(conn)) {
            break;
        }
    }
    return PQstatus(conn) == CONNECTION_OK;
}

bool gd_pg__connected(struct gd_pg *p)
{
    char msg[256];
    /* reading what is waiting on the socket (without blocking) notices a connection the server
     * closed while it sat idle (a restart ends every session): it is then opened again before
     * a statement is lost on it */
    if (still_open(p->conn)) {
        return true;
    }
    if (!p->lost) {
        p->lost = true;
        atomic_fetch_add(&lost_total, 1);
        gd_log(GD_LOG_WARN, "database connection lost: %s",
               one_line(PQerrorMessage(p->conn), msg, sizeof(msg)));
    }
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        return false;
    }
    p->gen++; /* the statements of the old connection are prepared again on first use */
    if (gd_pg__session_setup(p, NULL)) {
        return false;
    }
    p->lost = false;
    atomic_fetch_add(&reconnects_total, 1);
    gd_log(GD_LOG_INFO, "database connection restored");
    return true;
}

int gd_pg__unreachable(struct gd_pg *p, struct gd_err *err)
{
    char msg[256];
    gd_log(GD_LOG_ERROR, "database unreachable: %s",
           one_line(PQerrorMessage(p->conn), msg, sizeof(msg)));
    return gd_err_set(err, GD_EUNAVAIL, "the database cannot be reached; try again shortly");
}

int gd_pg__commit_outcome(struct gd_pg *p, struct gd_err *err)
{
    char q[96];
    snprintf(q, sizeof(q), "SELECT pg_xact_status('%s'::xid8)", p->xid);
    for (int i = 0; p->xid[0] && i < OUTCOME_POLLS && gd_pg__connected(p); i++) {
        PGresult *r = PQexec(p->conn, q);
        const char *v =
            PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
        bool committed = strcmp(v, "committed") == 0, aborted = strcmp(v, "aborted") == 0;
        bool running = strcmp(v, "in progress") == 0;
        PQclear(r);
        if (committed) {
            gd_log(GD_LOG_WARN, "the connection broke during COMMIT; the transaction committed");
            return GD_OK;
        }
        if (aborted) {
            gd_log(GD_LOG_WARN, "the connection broke during COMMIT; the transaction rolled back");
            return gd_err_set(err, GD_ERETRY, "the database asks to run the work again");
        }
        if (!running) {
            break;
        }
        nanosleep(&(struct timespec){0, OUTCOME_POLL_MS * 1000000L}, NULL);
    }
    gd_log(GD_LOG_ERROR,
           "the connection broke during COMMIT of transaction %s; its outcome is "
           "unknown",
           p->xid[0] ? p->xid : "?");
    return gd_err_set(err, GD_EUNAVAIL,
                      "the database connection broke while the change was "
                      "being saved; whether it was saved is not known yet: send the same request "
                      "again with the same Idempotency-Key");
}

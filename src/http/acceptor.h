/* The server's listening socket and the one thread that accepts on it, handing each connection
 * to libmicrohttpd's thread pool (MHD_add_connection, which places it on the pool thread the
 * socket's number picks, modulo the pool's size).
 *
 * Why not libmicrohttpd's own accepting: every pool thread waits on the listening socket and the
 * one woken first accepts up to ten connections at once, so a burst of connections lands on a few
 * threads (64 connections on 8 threads: 18, 16, 13, 8, 8, 1, 0 and 0). A connection's requests
 * wait for everything else its thread serves, so the crowded threads made the view's tail
 * latency (docs/PERFORMANCE.md, "The tail of the uncached view"). Consecutive sockets go to
 * consecutive threads here: a burst is spread evenly.
 *
 * The acceptor also keeps the count of open connections, since only it sees every outcome: a
 * socket libmicrohttpd refuses (MHD_add_connection fails) is closed by it without any close
 * notification. At max_open, accepting pauses until a connection closes: clients wait in the
 * kernel's backlog instead of being accepted and dropped. libmicrohttpd is started with a limit
 * per pool thread of max_open itself, so it never refuses for lack of room after a connection was
 * handed over (a refusal there, on its thread, would close the socket unnotified too); only
 * running out of memory for a connection's pool could still do that. */
#ifndef GD_HTTP_ACCEPTOR_H
#define GD_HTTP_ACCEPTOR_H
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "base/err.h"
#include "base/worker.h"

struct MHD_Daemon;

/* Decides on a connection just accepted from sa: true admits it (the callee counts it), false
 * refuses it (its socket is closed unread). */
typedef bool gd_acceptor_admit_fn(void *ctx, const struct sockaddr *sa);
/* An admitted connection is over: closed, or never taken by libmicrohttpd. */
typedef void gd_acceptor_release_fn(void *ctx, const struct sockaddr *sa);

struct gd_acceptor {
    int fd; /* the listening socket, -1 when closed */
    struct MHD_Daemon *daemon;
    struct gd_worker worker;
    /* set before gd_acceptor_start: */
    unsigned max_open;               /* connections open at most (0: no limit) */
    gd_acceptor_admit_fn *admit;     /* NULL: every connection is admitted */
    gd_acceptor_release_fn *release; /* with admit */
    void *ctx;
    atomic_uint open; /* connections handed over and not yet closed */
};

/* Binds and listens on addr (SO_REUSEPORT when reuse_port, else SO_REUSEADDR, as libmicrohttpd
 * did). Fails with errno kept (EADDRINUSE: the port is in use). */
int gd_acceptor_listen(struct gd_acceptor *a, const struct sockaddr_in *addr, bool reuse_port);
/* The port bound (the one the system chose for port 0). */
unsigned gd_acceptor_port(const struct gd_acceptor *a);
/* Starts accepting into daemon (started with MHD_USE_NO_LISTEN_SOCKET and a thread pool). */
int gd_acceptor_start(struct gd_acceptor *a, struct MHD_Daemon *daemon, struct gd_err *err);
/* libmicrohttpd closed a connection handed over (its MHD_CONNECTION_NOTIFY_CLOSED): released,
 * and accepting resumes if it paused at max_open. Any thread. */
void gd_acceptor_closed(struct gd_acceptor *a, const struct sockaddr *sa);
/* Stops accepting (a client's connect is refused from here on) and closes the socket; the
 * connections handed over stay with libmicrohttpd. */
void gd_acceptor_stop(struct gd_acceptor *a);

#endif

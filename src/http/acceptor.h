/* The server's listening socket and the one thread that accepts on it, handing each connection
 * to libmicrohttpd's thread pool (MHD_add_connection, which places it on the pool thread the
 * socket's number picks, modulo the pool's size).
 *
 * Why not libmicrohttpd's own accepting: every pool thread waits on the listening socket and the
 * one woken first accepts up to ten connections at once, so a burst of connections lands on a few
 * threads (64 connections on 8 threads: 18, 16, 13, 8, 8, 1, 0 and 0). A connection's requests
 * wait for everything else its thread serves, so the crowded threads made the view's tail
 * latency (docs/PERFORMANCE.md, "The tail of the uncached view"). Consecutive sockets go to
 * consecutive threads here: a burst is spread evenly. */
#ifndef GD_HTTP_ACCEPTOR_H
#define GD_HTTP_ACCEPTOR_H
#include <netinet/in.h>
#include <stdbool.h>
#include "base/err.h"
#include "base/worker.h"

struct MHD_Daemon;

struct gd_acceptor {
    int fd; /* the listening socket, -1 when closed */
    struct MHD_Daemon *daemon;
    struct gd_worker worker;
};

/* Binds and listens on addr (SO_REUSEPORT when reuse_port, else SO_REUSEADDR, as libmicrohttpd
 * did). Fails with errno kept (EADDRINUSE: the port is in use). */
int gd_acceptor_listen(struct gd_acceptor *a, const struct sockaddr_in *addr, bool reuse_port);
/* The port bound (the one the system chose for port 0). */
unsigned gd_acceptor_port(const struct gd_acceptor *a);
/* Starts accepting into daemon (started with MHD_USE_NO_LISTEN_SOCKET and a thread pool). */
int gd_acceptor_start(struct gd_acceptor *a, struct MHD_Daemon *daemon, struct gd_err *err);
/* Stops accepting (a client's connect is refused from here on) and closes the socket; the
 * connections handed over stay with libmicrohttpd. */
void gd_acceptor_stop(struct gd_acceptor *a);

#endif

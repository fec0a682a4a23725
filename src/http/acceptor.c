/* The listening socket and its accepting thread (acceptor.h). */
#include "http/acceptor.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"

/* After a failure the system may cure (out of descriptors or memory): wait before accepting
 * again, the pending connections staying in the backlog meanwhile. */
#define BACKOFF_MS 100

int gd_acceptor_listen(struct gd_acceptor *a, const struct sockaddr_in *addr, bool reuse_port)
{
    a->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (a->fd < 0) {
        return GD_EIO;
    }
    int on = 1;
    setsockopt(a->fd, SOL_SOCKET, reuse_port ? SO_REUSEPORT : SO_REUSEADDR, &on, sizeof(on));
    if (bind(a->fd, (const struct sockaddr *)addr, sizeof(*addr)) || listen(a->fd, SOMAXCONN)) {
        int e = errno;
        close(a->fd);
        a->fd = -1;
        errno = e;
        return GD_EIO;
    }
    return GD_OK;
}

unsigned gd_acceptor_port(const struct gd_acceptor *a)
{
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof(sa);
    if (getsockname(a->fd, (struct sockaddr *)&sa, &len)) {
        return 0;
    }
    return ntohs(sa.sin_port);
}

static bool is_full(const struct gd_acceptor *a)
{
    return a->max_open && atomic_load(&a->open) >= a->max_open;
}

/* Admits and counts the connection, then hands it to libmicrohttpd, which places it on a pool
 * thread or, refusing it, closes it: then it is uncounted here, as no close notification comes. */
static void hand_over(struct gd_acceptor *a, int fd, const struct sockaddr *sa, socklen_t len)
{
    if (a->admit && !a->admit(a->ctx, sa)) {
        close(fd);
        return;
    }
    atomic_fetch_add(&a->open, 1);
    if (MHD_add_connection(a->daemon, fd, sa, len) != MHD_YES) {
        atomic_fetch_sub(&a->open, 1);
        if (a->release) {
            a->release(a->ctx, sa);
        }
    }
}

/* Accepts until the socket fails or max_open connections are open (then a close wakes the
 * round; the period's round looks again in any case). A shut-down socket (the stop) fails at
 * once, and the round then sleeps until the worker stops (a socket failing otherwise is tried
 * again a second later). */
static int64_t round_accept(void *ctx, bool woken)
{
    struct gd_acceptor *a = ctx;
    (void)woken;
    while (!gd_worker_is_stopping(&a->worker) && !is_full(a)) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept4(a->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            hand_over(a, fd, (const struct sockaddr *)&ss, len);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN) {
            continue;
        }
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            static int64_t last_log; /* this thread's alone: logged once a second at most */
            int64_t now = gd_clock_mono_ms();
            if (now - last_log >= 1000) {
                last_log = now;
                gd_log(GD_LOG_WARN, "cannot accept a connection: %s", strerror(errno));
            }
            return BACKOFF_MS;
        }
        break;
    }
    return GD_WORKER_IDLE;
}

int gd_acceptor_start(struct gd_acceptor *a, struct MHD_Daemon *daemon, struct gd_err *err)
{
    a->daemon = daemon;
    return gd_worker_start(&a->worker, "accepting", round_accept, a, 1000, err);
}

void gd_acceptor_closed(struct gd_acceptor *a, const struct sockaddr *sa)
{
    if (a->release) {
        a->release(a->ctx, sa);
    }
    if (atomic_fetch_sub(&a->open, 1) == a->max_open) { /* it was full: accepting resumes */
        gd_worker_wake(&a->worker);
    }
}

void gd_acceptor_stop(struct gd_acceptor *a)
{
    if (a->fd < 0) {
        return;
    }
    /* a blocked accept returns (EINVAL) once its socket is shut down */
    shutdown(a->fd, SHUT_RDWR);
    gd_worker_stop(&a->worker);
    close(a->fd);
    a->fd = -1;
}

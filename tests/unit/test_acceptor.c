/* Unit tests of http/acceptor: a burst of connections is spread evenly over libmicrohttpd's
 * thread pool (libmicrohttpd's own accepting put 64 connections on 8 threads as 18, 16, 13, 8, 8,
 * 1, 0, 0), each connection keeps its thread, after the stop a new connection is refused, a
 * connection that came while the process was out of descriptors is served once one is free, the
 * count of open connections survives libmicrohttpd refusing one, and at the most open connections
 * a new one waits until another closes. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "check.h"
#include "http/acceptor.h"

#define THREADS 4
#define CONNS 16

/* each pool thread numbers itself on its first request */
static atomic_int threads_seen;
static _Thread_local int my_thread = -1;

static enum MHD_Result answer_thread(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version, const char *body,
                                     size_t *body_size, void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)body, (void)body_size;
    static int started;
    if (!*con_cls) { /* the headers: the answer comes with the request's end */
        *con_cls = &started;
        return MHD_YES;
    }
    if (my_thread < 0) {
        my_thread = atomic_fetch_add(&threads_seen, 1);
    }
    char text[8];
    int n = snprintf(text, sizeof(text), "%d", my_thread);
    struct MHD_Response *r =
        MHD_create_response_from_buffer((size_t)n, text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret = MHD_queue_response(conn, 200, r);
    MHD_destroy_response(r);
    return ret;
}

/* One GET on an open connection: the number of the thread that answered, -1 on failure. */
static int ask_thread(int fd)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
        return -1;
    }
    char buf[1024];
    size_t got = 0;
    for (;;) { /* the whole answer: headers, then the body its Content-Length gives */
        ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (n <= 0) {
            return -1;
        }
        got += (size_t)n;
        buf[got] = 0;
        char *end = strstr(buf, "\r\n\r\n"), *len = strstr(buf, "Content-Length: ");
        if (end && len && strlen(end + 4) >= (size_t)strtol(len + 16, NULL, 10)) {
            return (int)strtol(end + 4, NULL, 10);
        }
    }
}

static int connect_to(unsigned port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_burst_spread_evenly(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct gd_acceptor a = {.fd = -1};
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_acceptor_listen(&a, &addr, false), GD_OK);
    unsigned port = gd_acceptor_port(&a);
    CHECK(port > 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
        answer_thread, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS, MHD_OPTION_END);
    CHECK(d != NULL);

    /* the burst: every connection waiting in the backlog when accepting starts (the test's own
     * client sockets would otherwise take descriptor numbers between the server's) */
    int fds[CONNS], per_thread[CONNS] = {0};
    for (int i = 0; i < CONNS; i++) {
        fds[i] = connect_to(port);
        CHECK(fds[i] >= 0);
    }
    CHECK_EQ_INT(gd_acceptor_start(&a, d, &err), GD_OK);
    for (int i = 0; i < CONNS; i++) {
        int t = ask_thread(fds[i]);
        CHECK(t >= 0 && t < THREADS);
        if (t >= 0 && t < THREADS) {
            per_thread[t]++;
            /* a kept-alive connection stays on its thread */
            CHECK_EQ_INT(ask_thread(fds[i]), t);
        }
    }
    CHECK_EQ_INT(atomic_load(&threads_seen), THREADS);
    for (int t = 0; t < THREADS; t++) {
        CHECK_EQ_INT(per_thread[t], CONNS / THREADS);
    }

    /* stopped: no new connection, the ones handed over still answered */
    gd_acceptor_stop(&a);
    CHECK_EQ_INT(a.fd, -1);
    int late = connect_to(port);
    CHECK(late < 0);
    CHECK(ask_thread(fds[0]) >= 0);
    for (int i = 0; i < CONNS; i++) {
        close(fds[i]);
    }
    MHD_stop_daemon(d);
}

/* Out of descriptors, the connection waits in the backlog and is taken once one is free again. */
static void test_out_of_descriptors(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct gd_acceptor a = {.fd = -1};
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_acceptor_listen(&a, &addr, false), GD_OK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
        answer_thread, NULL, MHD_OPTION_THREAD_POOL_SIZE, 1u, MHD_OPTION_END);
    CHECK(d != NULL);
    CHECK_EQ_INT(gd_acceptor_start(&a, d, &err), GD_OK);

    struct sockaddr_in to = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)gd_acceptor_port(&a))};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval five = {.tv_sec = 5}; /* an acceptor that gave up fails the test, not hangs it */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof(five));
    struct rlimit was;
    getrlimit(RLIMIT_NOFILE, &was);
    int next = dup(0); /* the lowest free descriptor: with the limit there, none is left */
    close(next);
    struct rlimit none = {.rlim_cur = (rlim_t)next, .rlim_max = was.rlim_max};
    CHECK_EQ_INT(setrlimit(RLIMIT_NOFILE, &none), 0);
    CHECK_EQ_INT(connect(fd, (struct sockaddr *)&to, sizeof(to)), 0);
    usleep(300 * 1000); /* the accepting thread fails (EMFILE) and waits */
    CHECK_EQ_INT(dup(0), -1);
    CHECK_EQ_INT(setrlimit(RLIMIT_NOFILE, &was), 0);
    CHECK(ask_thread(fd) >= 0);

    close(fd);
    gd_acceptor_stop(&a);
    MHD_stop_daemon(d);
}

/* The admit/release pair of test_counting: admitted and released connections, by count. */
static atomic_int admitted, released;

static bool count_admit(void *ctx, const struct sockaddr *sa)
{
    (void)ctx, (void)sa;
    atomic_fetch_add(&admitted, 1);
    return true;
}

static void count_release(void *ctx, const struct sockaddr *sa)
{
    (void)ctx, (void)sa;
    atomic_fetch_add(&released, 1);
}

static void notify_closed(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)socket_ctx;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (code == MHD_CONNECTION_NOTIFY_CLOSED && ci) {
        gd_acceptor_closed(cls, ci->client_addr);
    }
}

static bool wait_for(atomic_int *v, int want)
{
    for (int i = 0; i < 500 && atomic_load(v) != want; i++) {
        usleep(10 * 1000);
    }
    return atomic_load(v) == want;
}

/* libmicrohttpd at its own limit (one connection) refuses the second socket and closes it with
 * no close notification: the acceptor releases it, so nothing stays counted once the first
 * closes. */
static void test_counting(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct gd_acceptor a = {.fd = -1, .admit = count_admit, .release = count_release};
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_acceptor_listen(&a, &addr, false), GD_OK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
        answer_thread, NULL, MHD_OPTION_THREAD_POOL_SIZE, 1u, MHD_OPTION_CONNECTION_LIMIT, 1u,
        MHD_OPTION_NOTIFY_CONNECTION, notify_closed, &a, MHD_OPTION_END);
    CHECK(d != NULL);
    CHECK_EQ_INT(gd_acceptor_start(&a, d, &err), GD_OK);
    unsigned port = gd_acceptor_port(&a);

    int first = connect_to(port);
    CHECK(ask_thread(first) >= 0); /* taken by the pool: libmicrohttpd is at its limit */
    int second = connect_to(port);
    CHECK(wait_for(&released, 1)); /* refused, closed, released */
    char c;
    CHECK(read(second, &c, 1) <= 0);
    CHECK_EQ_INT(atomic_load(&admitted), 2);
    CHECK_EQ_INT((int)atomic_load(&a.open), 1);
    close(first);
    CHECK(wait_for(&released, 2));
    CHECK_EQ_INT((int)atomic_load(&a.open), 0);

    close(second);
    gd_acceptor_stop(&a);
    MHD_stop_daemon(d);
}

/* At max_open connections the next one waits (unanswered, not dropped) until one closes. */
static void test_most_open(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct gd_acceptor a = {.fd = -1, .max_open = 2};
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_acceptor_listen(&a, &addr, false), GD_OK);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0,
                         NULL, NULL, answer_thread, NULL, MHD_OPTION_THREAD_POOL_SIZE, 2u,
                         MHD_OPTION_NOTIFY_CONNECTION, notify_closed, &a, MHD_OPTION_END);
    CHECK(d != NULL);
    CHECK_EQ_INT(gd_acceptor_start(&a, d, &err), GD_OK);
    unsigned port = gd_acceptor_port(&a);

    int one = connect_to(port), two = connect_to(port);
    CHECK(ask_thread(one) >= 0);
    CHECK(ask_thread(two) >= 0);
    int three = connect_to(port); /* the kernel completes it; the acceptor waits */
    CHECK(three >= 0);
    struct timeval short_wait = {.tv_usec = 300 * 1000};
    setsockopt(three, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof(short_wait));
    CHECK_EQ_INT(ask_thread(three), -1); /* not answered while two are open */
    CHECK_EQ_INT((int)atomic_load(&a.open), 2);
    close(one);
    struct timeval five = {.tv_sec = 5};
    setsockopt(three, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof(five));
    char buf[256];
    ssize_t n = read(three, buf, sizeof(buf) - 1); /* the request sent above, answered now */
    CHECK(n > 0);
    if (n > 0) {
        buf[n] = 0;
        CHECK(strstr(buf, "200 OK") != NULL);
    }

    close(two);
    close(three);
    gd_acceptor_stop(&a);
    MHD_stop_daemon(d);
}

static void test_port_in_use(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct gd_acceptor a = {.fd = -1}, b = {.fd = -1};
    CHECK_EQ_INT(gd_acceptor_listen(&a, &addr, false), GD_OK);
    addr.sin_port = htons((uint16_t)gd_acceptor_port(&a));
    errno = 0;
    CHECK(gd_acceptor_listen(&b, &addr, false) != GD_OK);
    CHECK_EQ_INT(errno, EADDRINUSE);
    CHECK_EQ_INT(b.fd, -1);
    close(a.fd);
}

int main(void)
{
    test_burst_spread_evenly();
    test_out_of_descriptors();
    test_counting();
    test_most_open();
    test_port_in_use();
    return check_report("acceptor");
}

/* The HTTP server: libmicrohttpd with an epoll thread pool, the route table, auth, JSON in and
 * out, static assets of the workbench, request logs, metrics, graceful shutdown.
 * Thread safety: gd_http_serve blocks until SIGTERM/SIGINT; everything inside is per thread
 * except the shared state named in struct gd_server. */
#ifndef GD_HTTP_H
#define GD_HTTP_H
#include <stdbool.h>
#include <stddef.h>

struct gd_http_opts {
    const char *listen; /* host:port; port 0 picks a free one (printed) */
    const char *db_url;
    const char *web_root;        /* built workbench (web/dist); NULL = none */
    const char *data_dir;        /* attachments, exports */
    bool test_clock;             /* exposes POST /api/v1/_test/clock */
    bool webhook_private;        /* webhooks may reach loopback and private addresses */
    const char *webhook_ca_file; /* PEM CAs trusted for https endpoints (NULL: the system's) */
    int threads;                 /* 0 = four per core on SQLite, two on PostgreSQL */
    size_t max_body;             /* JSON bodies; uploads have their own limit */
    int max_conns_per_addr;      /* open connections one client address may hold; 0 = default */
    bool reuse_port; /* share the port with another server (SO_REUSEPORT); else in use = error */
    /* --trusted-proxy: comma-separated addresses of reverse proxies whose X-Forwarded-For and
     * X-Forwarded-Proto are believed; NULL = none */
    const char *trusted_proxy;
    /* --public-url: the URL clients reach the server at (scheme://host[:port]); an https one
     * makes the session cookie __Host- and Secure, and it is the origin sign-in accepts */
    const char *public_url;
    /* --node-id: this node's name among several on one database (default HOST:PORT) */
    const char *node_id;
    int deadline_batch; /* --deadline-batch: timers fired per transaction; 0 = GD_SCHED_BATCH */
};

/* Is `list` one or more comma-separated IPv4/IPv6 addresses? (checks --trusted-proxy) */
bool gd_http_addr_list_valid(const char *list);

int gd_http_serve(const struct gd_http_opts *opts);

#endif

/* gongdan serve: the HTTP API, the workbench and the deadline scheduler in one process. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "http/http.h"
#include "sched/sched.h"
#include "service/cluster.h"

/* scheme://host[:port][/], where the host is what a browser's Origin would name */
static bool public_url_ok(const char *u)
{
    const char *host = strncmp(u, "https://", 8) == 0  ? u + 8
                       : strncmp(u, "http://", 7) == 0 ? u + 7
                                                       : NULL;
    if (!host || !*host || *host == '/' || *host == ':') {
        return false;
    }
    for (const char *p = host; *p; p++) {
        if (*p == '/') {
            return p[1] == 0;
        }
        if (*p == '@' || *p == '?' || *p == '#' || *p <= ' ') {
            return false;
        }
    }
    return true;
}

/* The default --node-id: the host name and the port of --listen ("HOST:PORT"), the pid for a
 * port the system picks (0). */
static void default_node_id(const char *listen, char *out, size_t n)
{
    char host[GD_NODE_ID_MAX + 1] = "gongdan";
    const char *colon = strrchr(listen, ':');
    const char *port = colon ? colon + 1 : "8080";

    gethostname(host, sizeof(host) - 1);
    host[GD_NODE_ID_MAX - 12] = 0; /* room for ":" and a port or "pid" and a number */
    if (strcmp(port, "0") == 0) {
        snprintf(out, n, "%s:pid%d", host, (int)getpid());
    } else {
        snprintf(out, n, "%s:%.6s", host, port);
    }
}

int gd_cmd_serve(int argc, char **argv)
{
    struct gd_http_opts o = {0};
    static char node_id[GD_NODE_ID_MAX + 16];
    const char *threads = gd_cli_opt(argc, argv, "--threads");
    struct stat st;

    o.listen = gd_cli_opt(argc, argv, "--listen");
    if (!o.listen) {
        o.listen = "127.0.0.1:8080";
    }
    o.db_url = gd_cli_db(argc, argv);
    o.web_root = gd_cli_opt(argc, argv, "--web-root");
    if (!o.web_root && stat("web/dist/index.html", &st) == 0) {
        o.web_root = "web/dist";
    }
    o.data_dir = gd_cli_opt(argc, argv, "--data-dir");
    if (!o.data_dir) {
        o.data_dir = "data";
    }
    o.test_clock = gd_cli_flag(argc, argv, "--test-clock");
    o.webhook_private = gd_cli_flag(argc, argv, "--webhook-allow-private");
    o.webhook_ca_file = gd_cli_opt(argc, argv, "--webhook-ca-file");
    o.threads = threads ? (int)strtol(threads, NULL, 10) : 0;
    o.max_body = 1024 * 1024;
    const char *per_addr = gd_cli_opt(argc, argv, "--max-conns-per-addr");
    o.max_conns_per_addr = per_addr ? (int)strtol(per_addr, NULL, 10) : 0;
    o.reuse_port = gd_cli_flag(argc, argv, "--reuse-port");
    const char *batch = gd_cli_opt(argc, argv, "--deadline-batch");
    if (batch) {
        char *end;
        long n = strtol(batch, &end, 10);
        if (*end || n < 1 || n > GD_SCHED_BATCH) {
            fprintf(stderr,
                    "error: --deadline-batch must be a whole number from 1 to %d, not '%s'\n",
                    GD_SCHED_BATCH, batch);
            return 2;
        }
        o.deadline_batch = (int)n;
    }
    o.trusted_proxy = gd_cli_opt(argc, argv, "--trusted-proxy");
    if (o.trusted_proxy && !gd_http_addr_list_valid(o.trusted_proxy)) {
        fprintf(stderr,
                "error: --trusted-proxy must be IP addresses separated by commas, "
                "not '%s'\n",
                o.trusted_proxy);
        return 2;
    }
    o.node_id = gd_cli_opt(argc, argv, "--node-id");
    if (!o.node_id) {
        default_node_id(o.listen, node_id, sizeof(node_id));
        o.node_id = node_id;
    }
    if (!gd_cluster_node_id_valid(o.node_id)) {
        fprintf(stderr,
                "error: --node-id must be 1 to %d printable characters without spaces, "
                "quotes or backslashes, not '%s'\n",
                GD_NODE_ID_MAX, o.node_id);
        return 2;
    }
    o.public_url = gd_cli_opt(argc, argv, "--public-url");
    if (o.public_url && !public_url_ok(o.public_url)) {
        fprintf(stderr,
                "error: --public-url must be http:// or https:// and a host, such as "
                "https://gongdan.example.com, not '%s'\n",
                o.public_url);
        return 2;
    }
    return gd_http_serve(&o);
}

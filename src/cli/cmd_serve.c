/* gongdan serve: the HTTP API, the workbench and the deadline scheduler in one process. */
#include <sys/stat.h>
#include "cli/cli.h"
#include "http/http.h"

int gd_cmd_serve(int argc, char **argv)
{
    struct gd_http_opts o = {0};
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
    o.threads = threads ? (int)strtol(threads, NULL, 10) : 0;
    o.max_body = 1024 * 1024;
    const char *per_addr = gd_cli_opt(argc, argv, "--max-conns-per-addr");
    o.max_conns_per_addr = per_addr ? (int)strtol(per_addr, NULL, 10) : 0;
    o.reuse_port = gd_cli_flag(argc, argv, "--reuse-port");
    return gd_http_serve(&o);
}

/* The built workbench (web/dist): its files, and index.html for any other GET outside the API
 * and the route table, so that client-side routes load the app.
 *
 * Text files are sent precompressed when the client takes it: the web build writes FILE.br and
 * FILE.gz beside each one (web/scripts/compress.mjs), and Accept-Encoding picks between them
 * (the highest q above 0; br before gzip on a tie; the file as it is when neither is taken or
 * present). Each encoding has its own ETag, and If-None-Match answers 304. Files that are
 * compressed already (images, fonts) are sent as they are.
 *
 * No other site may frame a page (Content-Security-Policy: frame-ancestors 'none', and
 * X-Frame-Options: DENY for older browsers), except the chat panel (/panel, routes_panel.c),
 * which its shop's listed origins may frame. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/compress.h"

static const struct {
    const char *ext, *type;
    bool text; /* worth compressing: the build writes .br and .gz beside it */
} types[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".json", "application/json", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".png", "image/png", false},
    {".ico", "image/x-icon", false},
    {".woff2", "font/woff2", false},
};

static int type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (int i = 0; dot && i < (int)(sizeof(types) / sizeof(*types)); i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return i;
        }
    }
    return -1;
}

/* Does If-None-Match name this ETag (or "*")? Weak comparison, as for GET (RFC 9110 13.1.2). */
static bool etag_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);
    while (inm && *inm) {
        inm += strspn(inm, " \t,");
        if (strncmp(inm, "W/", 2) == 0) {
            inm += 2;
        }
        size_t n = strcspn(inm, " \t,");
        if ((n == 1 && *inm == '*') || (n == elen && strncmp(inm, etag, n) == 0)) {
            return true;
        }
        inm += n;
    }
    return false;
}

/* Opens `file` or, when the client takes it, its .br or .gz beside it; *coding is the one sent
 * (NULL for the file as it is). Returns the descriptor, or -1. */
static int open_variant(const char *file, bool text, const char *accept, const char **coding,
                        struct stat *st)
{
    static const struct {
        const char *suffix, *coding;
    } codings[2] = {{".br", "br"}, {".gz", "gzip"}};
    struct gd_accept_q a = gd_http_accept_encoding(text ? accept : NULL);
    int q[2] = {a.br, a.gzip};
    int first = a.gzip > a.br; /* br first unless gzip has the higher q */
    char variant[1100];

    for (int k = 0; text && k < 2; k++) {
        int i = k ? !first : first;
        if (q[i] <= 0) {
            continue;
        }
        snprintf(variant, sizeof(variant), "%s%s", file, codings[i].suffix);
        int fd = open(variant, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, st) == 0 && S_ISREG(st->st_mode)) {
            *coding = codings[i].coding;
            return fd;
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    *coding = NULL;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, st) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Sends `file` (a path under the web root) with its caching headers. An HTML page may be framed
 * only by `frame_ancestors` (a CSP source list; NULL = by nobody: every page but the chat panel,
 * which lists its shop's origins). */
static bool send_file(struct gd_req *r, const char *file, bool asset, const char *frame_ancestors)
{
    char etag[80];
    struct stat st;
    const char *coding;
    int type = type_of(file);
    bool text = type >= 0 && types[type].text;
    int fd = open_variant(file, text, gd_http_header_in(r, "Accept-Encoding"), &coding, &st);
    if (fd < 0) {
        return false;
    }
    snprintf(etag, sizeof(etag), "\"%llx-%llx%s%s\"", (unsigned long long)st.st_mtime,
             (unsigned long long)st.st_size, coding ? "-" : "", coding ? coding : "");
    if (etag_matches(gd_http_header_in(r, "If-None-Match"), etag)) {
        close(fd);
        r->response = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        r->status = 304;
    } else {
        r->response = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        r->status = 200;
        MHD_add_response_header(r->response, "Content-Type",
                                type >= 0 ? types[type].type : "application/octet-stream");
        if (coding) {
            MHD_add_response_header(r->response, "Content-Encoding", coding);
        }
    }
    MHD_add_response_header(r->response, "ETag", etag);
    if (text) {
        MHD_add_response_header(r->response, "Vary", "Accept-Encoding");
    }
    MHD_add_response_header(r->response, "Cache-Control",
                            asset ? "public, max-age=31536000, immutable" : "no-cache");
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    if (type == 0) { /* .html: a page, which no other site may frame unless listed */
        bool listed = frame_ancestors && *frame_ancestors;
        MHD_add_response_header(
            r->response, "Content-Security-Policy",
            gd_arena_printf(&r->a, "frame-ancestors %s", listed ? frame_ancestors : "'none'"));
        if (!listed) { /* browsers without CSP level 2; with a list, CSP alone decides */
            MHD_add_response_header(r->response, "X-Frame-Options", "DENY");
        }
    }
    return true;
}

/* The workbench: files under web_root; any other non-API path gets index.html (client routes). */
bool gd_http__serve_static(struct gd_req *r)
{
    const char *root = gd_server_web_root(r->srv);
    char file[1024];
    struct stat st;

    if (!root || strncmp(r->path, "/api/", 5) == 0 ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) {
        return false;
    }
    if (strstr(r->path, "..") || strlen(r->path) > 512) {
        return false;
    }
    /* /assets/ holds the build's hashed file names: a new build makes new names, so they are
     * cached for a year; index.html (every other path) is checked again on each load */
    bool asset = strncmp(r->path, "/assets/", 8) == 0;
    snprintf(file, sizeof(file), "%s%s", root, r->path);
    if (strcmp(r->path, "/") == 0 || stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (asset) {
            return false;
        }
        snprintf(file, sizeof(file), "%s/index.html", root);
        asset = false;
    }
    return send_file(r, file, asset, NULL);
}

bool gd_http__serve_page(struct gd_req *r, const char *page, const char *frame_ancestors)
{
    const char *root = gd_server_web_root(r->srv);
    char file[1024];

    if (!root) {
        return false;
    }
    snprintf(file, sizeof(file), "%s/%s", root, page);
    return send_file(r, file, false, frame_ancestors);
}

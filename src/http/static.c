/* The built workbench (web/dist): its files, and index.html for any other GET outside the API
 * and the route table, so that client-side routes load the app. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/req.h"

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},         {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(*types); i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

/* The workbench: files under web_root; any other non-API path gets index.html (client routes). */
bool gd_http__serve_static(struct gd_req *r)
{
    const char *root = gd_server_web_root(r->srv);
    char file[1024];
    struct stat st;
    int fd = -1;

    if (!root || strncmp(r->path, "/api/", 5) == 0 ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) {
        return false;
    }
    if (strstr(r->path, "..") || strlen(r->path) > 512) {
        return false;
    }
    bool asset = strncmp(r->path, "/assets/", 8) == 0;
    snprintf(file, sizeof(file), "%s%s", root, r->path);
    if (strcmp(r->path, "/") == 0 || stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (asset) {
            return false;
        }
        snprintf(file, sizeof(file), "%s/index.html", root);
        asset = false;
    }
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    r->response = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    r->status = 200;
    MHD_add_response_header(r->response, "Content-Type", mime_of(file));
    MHD_add_response_header(r->response, "Cache-Control",
                            asset ? "public, max-age=31536000, immutable" : "no-cache");
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    return true;
}

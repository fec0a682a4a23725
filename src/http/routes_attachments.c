/* Routes of the attachments (evidence and notes' files): the upload (multipart.c splits the
 * body; the content, read by libmagic, decides the type) and the downloads of a file and of its
 * thumbnail, with a Content-Disposition that keeps a UTF-8 name. */
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/multipart.h"
#include "http/req.h"

/* libmagic cookies are not thread safe and uploads are rare: one cookie behind a lock. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_cookie;

static const char *detect(struct gd_req *r, const void *data, size_t n)
{
    const char *mime = NULL;
    pthread_mutex_lock(&magic_lock);
    if (!magic_cookie) {
        magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR |
                                  MAGIC_NO_CHECK_ELF);
        if (magic_cookie && magic_load(magic_cookie, NULL) != 0) {
            magic_close(magic_cookie);
            magic_cookie = NULL;
        }
    }
    if (magic_cookie) {
        const char *m = magic_buffer(magic_cookie, data, n);
        mime = m ? gd_arena_strdup(&r->a, m) : NULL;
    }
    pthread_mutex_unlock(&magic_lock);
    return mime ? mime : "application/octet-stream";
}

/* The type a file name's extension claims: NULL without an extension, "" for an unknown one. */
static const char *ext_type(const char *name)
{
    static const char *const map[][2] = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"jpe", "image/jpeg"},
        {"png", "image/png"},  {"webp", "image/webp"}, {"pdf", "application/pdf"},
        {"mp4", "video/mp4"},  {"m4v", "video/mp4"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || strchr(dot, '/')) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
        if (strcasecmp(dot + 1, map[i][0]) == 0) {
            return map[i][1];
        }
    }
    return "";
}

static void attachments_post(struct gd_req *r)
{
    struct gd_upload files[GD_MULTIPART_MAX_PARTS];
    struct gd_attachment *rows;
    struct gd_err err = {0};
    int n = gd_http_multipart(r, files);

    if (n < 0) {
        return;
    }
    /* typed by content; the name's extension may not claim another type */
    const struct gd_collab_rules *rules;
    if (gd_svc_rules_load(r->svc, 0, &rules, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (n > rules->max_files) {
        gd_http_fail(r, "too_large", "file",
                     "at most %d files per submission "
                     "(attachments.max_files)",
                     rules->max_files);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = gd_svc_attachment_display_name(&r->a, files[i].filename);
        if ((int64_t)files[i].size > rules->max_file_bytes) {
            gd_http_fail(r, "too_large", "file",
                         "'%s' is larger than the limit of %lld "
                         "bytes (20 MiB) per file (attachments.max_file_bytes)",
                         name, (long long)rules->max_file_bytes);
            return;
        }
        files[i].mime = detect(r, files[i].data, files[i].size);
        const char *claimed = ext_type(name);
        if (claimed && strcmp(claimed, files[i].mime) != 0) {
            /* content of an allowed type whose name claims another type: a lie (415 otherwise) */
            bool content_ok = strcmp(files[i].mime, "image/jpeg") == 0 ||
                              strcmp(files[i].mime, "image/png") == 0 ||
                              strcmp(files[i].mime, "image/webp") == 0 ||
                              strcmp(files[i].mime, "application/pdf") == 0 ||
                              strcmp(files[i].mime, "video/mp4") == 0;
            if (content_ok) {
                gd_http_fail(r, "type_mismatch", "file",
                             "'%s': the name says %s but the "
                             "content is %s",
                             name, *claimed ? claimed : "another type", files[i].mime);
                return;
            }
        }
    }
    if (gd_svc_attachments_add(r->svc, &r->actor, gd_server_data_dir(r->srv), files, n, &r->a,
                               &rows, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_render_uploaded(&r->out, rows, n);
    gd_http_header(r, "Location",
                   gd_arena_printf(&r->a, "/api/v1/attachments/%lld", (long long)rows[0].id));
    gd_http_json(r, 201);
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
static const char *disposition(struct gd_arena *a, const char *type, const char *name)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    gd_strbuf_adds(&sb, type);
    gd_strbuf_adds(&sb, "; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        gd_strbuf_addch(&sb, *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\' ? (char)*p : '_');
    }
    gd_strbuf_adds(&sb, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_') {
            gd_strbuf_addch(&sb, (char)*p);
        } else {
            gd_strbuf_addf(&sb, "%%%02X", *p);
        }
    }
    const char *out = gd_arena_strdup(a, sb.buf);
    gd_strbuf_release(&sb);
    return out;
}

/* ?inline=1 shows an image or a PDF in the page (the workbench's preview); anything else, and
 * every file by default, downloads. */
static bool inline_ok(struct gd_req *r, const char *mime)
{
    const char *q = gd_http_query(r, "inline");
    return q && strcmp(q, "1") == 0 &&
           (strcmp(mime, "image/jpeg") == 0 || strcmp(mime, "image/png") == 0 ||
            strcmp(mime, "image/webp") == 0 || strcmp(mime, "application/pdf") == 0);
}

static void attachment_get(struct gd_req *r)
{
    struct gd_attachment x;
    struct gd_svc_blob content;
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_attachment_open(r->svc, &r->actor, gd_server_data_dir(r->srv), id, &r->a, &x,
                               &content, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (content.size < 0) {
        gd_http_fail(r, "gone", NULL, "the content of attachment %lld is missing", (long long)id);
        return;
    }
    gd_http_send_blob(r, &content);
    MHD_add_response_header(r->response, "Content-Type", x.mime);
    MHD_add_response_header(
        r->response, "Content-Disposition",
        disposition(&r->a, inline_ok(r, x.mime) ? "inline" : "attachment", x.filename));
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "private, max-age=3600");
    MHD_add_response_header(r->response, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'self'");
    r->status = 200;
}

/* GET /api/v1/attachments/{id}/thumbnail: a WebP of at most 320 px a side (images only). */
static void attachment_thumbnail(struct gd_req *r)
{
    struct gd_err err = {0};
    struct gd_svc_blob thumb;
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_attachment_thumbnail(r->svc, &r->actor, gd_server_data_dir(r->srv), id, &r->a,
                                    &thumb, &err)) {
        if (err.code == GD_EINVAL) {
            gd_http_fail(r, "unreadable_image", NULL, "no thumbnail of attachment %lld: %s",
                         (long long)id, err.msg);
        } else {
            if (err.code == GD_ELIMIT) {
                gd_http_header(r, "Retry-After", "1");
            }
            gd_http_error(r, &err);
        }
        return;
    }
    gd_http_send_blob(r, &thumb);
    MHD_add_response_header(r->response, "Content-Type", "image/webp");
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "private, max-age=86400");
    MHD_add_response_header(r->response, "Content-Security-Policy", "default-src 'none'");
    r->status = 200;
}

const struct gd_route gd_routes_attachments[] = {
    {"POST", "/api/v1/attachments", attachments_post,
     GD_R_RAW_BODY | GD_R_BIG_BODY | GD_R_LONG_WRITE},
    {"GET", "/api/v1/attachments/{}", attachment_get, 0},
    {"GET", "/api/v1/attachments/{}/thumbnail", attachment_thumbnail, 0},
    {NULL, NULL, NULL, 0},
};

/* Evidence (凭证) files: stored once by content, a blob of folder "attachments" keyed by the
 * SHA-256 in hex (never the client's file name; store.h, "stored bytes"), recorded with
 * uploader, party and time as a chain of custody, and read back only by users who may see the
 * work order they belong to. */
#include <sodium.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/utf8.h"
#include "service/svc_int.h"

#define DISPLAY_MAX 100 /* characters */

static const char *const allowed_types[] = {"image/jpeg",      "image/png", "image/webp",
                                            "application/pdf", "video/mp4", NULL};

static bool type_allowed(const char *mime)
{
    for (const char *const *p = allowed_types; *p; p++) {
        if (mime && strcmp(*p, mime) == 0) {
            return true;
        }
    }
    return false;
}

const char *gd_svc_attachment_display_name(struct gd_arena *a, const char *filename)
{
    const char *base = filename ? filename : "";
    size_t n;
    char *out;
    int chars = 0;
    size_t o = 0;

    for (const char *p = base; *p; p++) {
        if (*p == '/' || *p == '\\') {
            base = p + 1; /* a path is never a name: keep its last part */
        }
    }
    n = strlen(base);
    if (!gd_utf8_valid(base, n)) {
        return "file";
    }
    out = gd_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n && chars < DISPLAY_MAX; i++) {
        unsigned char ch = (unsigned char)base[i];
        if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == ';') {
            continue; /* control characters and header metacharacters */
        }
        if ((ch & 0xc0) != 0x80) {
            chars++;
            if (chars > DISPLAY_MAX) {
                break;
            }
        }
        out[o++] = (char)ch;
    }
    out[o] = 0;
    while (out[0] == '.') {
        out++; /* no hidden-file names, no ".." */
    }
    return out[0] ? out : "file";
}

static void hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = 0;
}

struct insert {
    const struct gd_attachment *rows;
    int n;
};

static int insert_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct insert *x = ctx;
    int ret = GD_OK;
    for (int i = 0; i < x->n && !ret; i++) {
        ret = GD_STORE(svc->store, attachment_insert, &x->rows[i], err);
    }
    return ret;
}

int gd_svc_attachments_add(struct gd_svc *svc, const struct gd_actor *actor, const char *data_dir,
                           const struct gd_upload *files, int n, struct gd_arena *a,
                           struct gd_attachment **out, struct gd_err *err)
{
    const struct gd_collab_rules *rules;
    struct gd_attachment *rows;
    int64_t now = gd_clock_now_ms();
    int ret;

    if (n <= 0) {
        return gd_err_field(err, GD_EINVAL, "file", "send at least one file in the field 'file'");
    }
    if ((ret = gd_svc_rules_load(svc, 0, &rules, err))) {
        return ret;
    }
    if (n > rules->max_files) {
        return gd_err_field(err, GD_ETOOBIG, "file",
                            "at most %d files per submission "
                            "(attachments.max_files)",
                            rules->max_files);
    }
    rows = gd_arena_zalloc(a, sizeof(*rows) * (size_t)n);
    for (int i = 0; i < n; i++) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        char sha[2 * crypto_hash_sha256_BYTES + 1];
        const char *name = gd_svc_attachment_display_name(a, files[i].filename);
        if ((int64_t)files[i].size > rules->max_file_bytes) {
            return gd_err_field(err, GD_ETOOBIG, "file",
                                "'%s' is larger than the limit of %lld "
                                "bytes per file (attachments.max_file_bytes)",
                                name, (long long)rules->max_file_bytes);
        }
        if (!type_allowed(files[i].mime)) {
            return gd_err_field(err, GD_ETYPE, "file",
                                "'%s' is not a JPEG, PNG, WebP, PDF or "
                                "MP4 file",
                                name);
        }
        crypto_hash_sha256(digest, files[i].data, files[i].size);
        hex(digest, sizeof(digest), sha);
        rows[i].id = gd_id_new();
        rows[i].shop_id = actor->shop_id;
        rows[i].sha256 = gd_arena_strdup(a, sha);
        rows[i].mime = files[i].mime;
        rows[i].size = (int64_t)files[i].size;
        rows[i].filename = name;
        rows[i].uploader_id = actor->user_id;
        rows[i].party = gd_role_is_platform(actor->role) ? "platform" : "shop";
        rows[i].created_at = now;
        /* the bytes first, committed on their own: a row never names missing content (an
         * upload that fails after this leaves content no row names: stored once by hash, it
         * is stored again, or kept, by the next upload of the same bytes) */
        if ((ret = GD_STORE(svc->store, blob_put, data_dir, "attachments", rows[i].sha256,
                            files[i].data, files[i].size, err))) {
            return ret;
        }
    }
    struct insert x = {rows, n};
    if ((ret = gd_svc__uow_run(svc, actor->shop_id, insert_unit, &x, err))) {
        return ret;
    }
    *out = rows;
    return GD_OK;
}

int gd_svc_attachment_open(struct gd_svc *svc, const struct gd_actor *actor, const char *data_dir,
                           int64_t id, struct gd_arena *a, struct gd_attachment *out,
                           struct gd_svc_blob *content, struct gd_err *err)
{
    struct gd_workorder wo;
    int ret = GD_STORE(svc->store, attachment_get, actor->shop_id, id, a, out, err);

    if (ret) {
        return ret;
    }
    if (out->workorder_id) {
        /* an attachment is for whoever may open its work order (core/perm's one rule) */
        ret = gd_svc__load_visible(svc, actor, out->workorder_id, 0, a, &wo, err);
    } else if (out->uploader_id != actor->user_id) {
        ret = GD_ENOTFOUND; /* an unlinked upload is its uploader's alone */
    }
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_ENOTFOUND, "no attachment %lld", (long long)id);
    }
    if (ret) {
        return ret;
    }
    ret = gd_svc__blob_find(svc, data_dir, "attachments", out->sha256, content, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        content->size = -1;
        return GD_OK;
    }
    return ret;
}

/* Event data: "attachments":[{"id","filename","mime"}...] of the ids just linked to `wo`. */
static int describe_linked(struct gd_svc *svc, const struct gd_workorder *wo, const int64_t *ids,
                           int n, struct gd_arena *a, struct gd_strbuf *data, struct gd_err *err)
{
    struct gd_attachment *rows;
    int count,
        ret = GD_STORE(svc->store, attachments_list, wo->shop_id, wo->id, a, &rows, &count, err);
    bool first = true;

    if (ret) {
        return ret;
    }
    gd_strbuf_addch(data, data->len ? ',' : '{');
    gd_strbuf_adds(data, "\"attachments\":[");
    for (int i = 0; i < count; i++) {
        bool named = false;
        for (int j = 0; j < n && !named; j++) {
            named = rows[i].id == ids[j];
        }
        if (!named) {
            continue;
        }
        gd_strbuf_adds(data, first ? "{\"id\":\"" : ",{\"id\":\"");
        first = false;
        gd_strbuf_add_i64(data, rows[i].id);
        gd_strbuf_adds(data, "\",\"filename\":");
        gd_strbuf_add_json_str(data, rows[i].filename);
        gd_strbuf_adds(data, ",\"mime\":");
        gd_strbuf_add_json_str(data, rows[i].mime);
        gd_strbuf_addch(data, '}');
    }
    gd_strbuf_addch(data, ']');
    return GD_OK;
}

int gd_svc__attachments_link(struct gd_svc *svc, const struct gd_actor *actor,
                             const struct gd_workorder *wo, const int64_t *ids, int n,
                             const char *purpose, struct gd_arena *a, struct gd_strbuf *data,
                             struct gd_err *err)
{
    const struct gd_collab_rules *rules;
    int ret;

    if (n <= 0) {
        return GD_OK;
    }
    if ((ret = gd_svc_rules_load(svc, 0, &rules, err))) {
        return ret;
    }
    if (n > rules->max_files) {
        return gd_err_field(err, GD_ETOOBIG, "attachment_ids",
                            "at most %d files per submission "
                            "(attachments.max_files)",
                            rules->max_files);
    }
    for (int i = 0; i < n; i++) {
        ret = GD_STORE(svc->store, attachment_link, ids[i], actor->user_id, wo->shop_id, wo->id,
                       purpose, err);
        if (ret) {
            return ret == GD_ENOTFOUND ? gd_err_field(err, GD_EINVAL, "attachment_ids",
                                                      "attachment %lld is not an unused upload "
                                                      "of yours",
                                                      (long long)ids[i])
                                       : ret;
        }
    }
    return data ? describe_linked(svc, wo, ids, n, a, data, err) : GD_OK;
}

int gd_svc_workorder_attachments(struct gd_svc *svc, const struct gd_workorder *wo,
                                 struct gd_arena *a, struct gd_attachment **out, int *count,
                                 struct gd_err *err)
{
    return GD_STORE(svc->store, attachments_list, wo->shop_id, wo->id, a, out, count, err);
}

/* Evidence (凭证) files: stored once by content under <data-dir>/attachments/ab/cdef... (the
 * SHA-256 in hex, never the client's file name), recorded with uploader, party and time as a
 * chain of custody, and read back only by users who may see the work order they belong to. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/utf8.h"
#include "service/svc_int.h"

#define DISPLAY_MAX 100 /* characters */

static const char *const allowed_types[] = {"image/jpeg", "image/png", "image/webp",
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

const char *gd_svc__attachment_path(struct gd_arena *a, const char *data_dir, const char *sha)
{
    return gd_arena_printf(a, "%s/attachments/%.2s/%s", data_dir, sha, sha + 2);
}

static int mkdirs(const char *data_dir, const char *sha, struct gd_err *err)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s", data_dir);
    if (mkdir(dir, 0750) && errno != EEXIST) {
        goto fail;
    }
    snprintf(dir, sizeof(dir), "%s/attachments", data_dir);
    if (mkdir(dir, 0750) && errno != EEXIST) {
        goto fail;
    }
    snprintf(dir, sizeof(dir), "%s/attachments/%.2s", data_dir, sha);
    if (mkdir(dir, 0750) && errno != EEXIST) {
        goto fail;
    }
    return GD_OK;
fail:
    gd_log(GD_LOG_ERROR, "cannot create directory '%s': %s", dir, strerror(errno));
    return gd_err_set(err, GD_EIO, "cannot store the file");
}

/* Writes the content once: a temporary file in the same directory, synced, then renamed. */
static int write_content(const char *path, const void *data, size_t size, struct gd_err *err)
{
    struct stat st;
    char tmp[1100];
    int fd = -1, ret = GD_OK;
    size_t done = 0;

    if (stat(path, &st) == 0 && (size_t)st.st_size == size) {
        return GD_OK; /* the same content is already stored */
    }
    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        gd_log(GD_LOG_ERROR, "cannot create '%s': %s", tmp, strerror(errno));
        return gd_err_set(err, GD_EIO, "cannot store the file");
    }
    while (done < size) {
        ssize_t w = write(fd, (const char *)data + done, size - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            gd_log(GD_LOG_ERROR, "cannot write '%s': %s", tmp, strerror(errno));
            ret = gd_err_set(err, GD_EIO, "cannot store the file");
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) || rename(tmp, path)) {
        gd_log(GD_LOG_ERROR, "cannot store '%s': %s", path, strerror(errno));
        ret = gd_err_set(err, GD_EIO, "cannot store the file");
    }
out:
    close(fd);
    if (ret) {
        unlink(tmp);
    }
    return ret;
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

int gd_svc_attachments_add(struct gd_svc *svc, const struct gd_actor *actor,
                           const char *data_dir, const struct gd_upload *files, int n,
                           struct gd_arena *a, struct gd_attachment **out,
                           struct gd_err *err)
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
        return gd_err_field(err, GD_ETOOBIG, "file", "at most %d files per submission "
                            "(attachments.max_files)", rules->max_files);
    }
    rows = gd_arena_zalloc(a, sizeof(*rows) * (size_t)n);
    for (int i = 0; i < n; i++) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        char sha[2 * crypto_hash_sha256_BYTES + 1];
        const char *name = gd_svc_attachment_display_name(a, files[i].filename);
        if ((int64_t)files[i].size > rules->max_file_bytes) {
            return gd_err_field(err, GD_ETOOBIG, "file", "'%s' is larger than the limit of %lld "
                                "bytes per file (attachments.max_file_bytes)", name,
                                (long long)rules->max_file_bytes);
        }
        if (!type_allowed(files[i].mime)) {
            return gd_err_field(err, GD_ETYPE, "file", "'%s' is not a JPEG, PNG, WebP, PDF or "
                                "MP4 file", name);
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
        if ((ret = mkdirs(data_dir, sha, err)) ||
            (ret = write_content(gd_svc__attachment_path(a, data_dir, sha), files[i].data,
                                 files[i].size, err))) {
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

int gd_svc_attachment_open(struct gd_svc *svc, const struct gd_actor *actor,
                           const char *data_dir, int64_t id, struct gd_arena *a,
                           struct gd_attachment *out, const char **path, struct gd_err *err)
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
    *path = gd_svc__attachment_path(a, data_dir, out->sha256);
    return GD_OK;
}

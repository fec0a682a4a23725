/* Thumbnails of image attachments, made on the server from the stored bytes with libvips and
 * kept once per content as a blob "thumbnails"/"<sha>.webp" (store.h, "stored bytes": in
 * PostgreSQL every node serves the one any node made; with SQLite a file under --data-dir).
 *
 * A hostile image must not hurt the server, so: only the JPEG, PNG and WebP loaders are called
 * (by the type libmagic found at upload, never by sniffing, and libvips' untrusted loaders are
 * blocked); the pixel count is read from the header before anything is decoded; decoding stops
 * at the first error or truncation; a thumbnail taking longer than GD_THUMB_MAX_MS is killed;
 * at most GD_THUMB_CONCURRENCY are made at once, one libvips worker thread each; and libvips'
 * operation cache is off, so nothing decoded stays in memory. A refusal is written next to the
 * thumbnails ("<sha>.refused") and answered from there: a bad image is decoded at most once. */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <vips/vips.h>
#include "base/log.h"
#include "service/svc_int.h"

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ok;

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static int slots_busy;

static _Atomic long made_total, cached_total, refused_pixels, refused_decode, refused_time,
    refused_busy;
static _Atomic long made_ms_total; /* time spent making thumbnails, for the mean per image */

static void vips_setup(void)
{
    if (VIPS_INIT("gongdan")) {
        gd_log(GD_LOG_ERROR, "libvips did not start: %s", vips_error_buffer());
        vips_error_clear();
        return;
    }
    vips_block_untrusted_set(TRUE);
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_ok = true;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct deadline {
    int64_t until_ms;
    bool killed;
};

/* libvips' progress signal, on the image being computed: past the deadline, stop it. */
static void on_eval(VipsImage *image, VipsProgress *progress, void *ctx)
{
    struct deadline *d = ctx;
    (void)progress;
    if (!d->killed && mono_ms() > d->until_ms) {
        d->killed = true;
        vips_image_set_kill(image, TRUE);
    }
}

static int take_slot(struct gd_err *err)
{
    struct timespec until;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += GD_THUMB_WAIT_MS / 1000;
    pthread_mutex_lock(&slots_lock);
    while (slots_busy >= GD_THUMB_CONCURRENCY && rc != ETIMEDOUT) {
        rc = pthread_cond_timedwait(&slots_free, &slots_lock, &until);
    }
    if (slots_busy < GD_THUMB_CONCURRENCY) {
        slots_busy++;
        rc = 0;
    }
    pthread_mutex_unlock(&slots_lock);
    if (rc) {
        refused_busy++;
        return gd_err_set(err, GD_ELIMIT,
                          "%d thumbnails are being made and none finished "
                          "within %d s (thumbnail.concurrency); try again",
                          GD_THUMB_CONCURRENCY, GD_THUMB_WAIT_MS / 1000);
    }
    return GD_OK;
}

static void give_slot(void)
{
    pthread_mutex_lock(&slots_lock);
    slots_busy--;
    pthread_cond_signal(&slots_free);
    pthread_mutex_unlock(&slots_lock);
}

/* The image's bytes, read lazily with its own loader (the header only is read first). */
struct image {
    const void *data;
    size_t len;
};

static VipsImage *load(const struct image *src, const char *mime, int shrink)
{
    VipsImage *img = NULL;
    if (strcmp(mime, "image/jpeg") == 0) {
        vips_jpegload_buffer((void *)src->data, src->len, &img, "access", VIPS_ACCESS_SEQUENTIAL,
                             "fail_on", VIPS_FAIL_ON_ERROR, "shrink", shrink, NULL);
    } else if (strcmp(mime, "image/png") == 0) {
        vips_pngload_buffer((void *)src->data, src->len, &img, "access", VIPS_ACCESS_SEQUENTIAL,
                            "fail_on", VIPS_FAIL_ON_ERROR, NULL);
    } else if (strcmp(mime, "image/webp") == 0) {
        vips_webpload_buffer((void *)src->data, src->len, &img, "access", VIPS_ACCESS_SEQUENTIAL,
                             "fail_on", VIPS_FAIL_ON_ERROR, NULL);
    }
    return img;
}

/* Makes the thumbnail bytes of the image `src`; *out (g_free) on success. */
static int make(const struct image *src, const char *name, const char *mime, void **out,
                size_t *len, struct gd_err *err)
{
    struct deadline d = {mono_ms() + GD_THUMB_MAX_MS, false};
    VipsImage *img = load(src, mime, 1), *thumb = NULL;
    int ret = GD_OK;

    if (!img) {
        refused_decode++;
        ret = gd_err_set(err, GD_EINVAL, "the image cannot be read (%s)", mime);
        goto out;
    }
    int64_t w = vips_image_get_width(img), h = vips_image_get_height(img);
    if (w * h > GD_THUMB_MAX_PIXELS) {
        refused_pixels++;
        ret = gd_err_set(err, GD_ETOOBIG,
                         "the image is %lld×%lld pixels, more than the "
                         "thumbnail limit of %lld megapixels (thumbnail.max_pixels)",
                         (long long)w, (long long)h, GD_THUMB_MAX_PIXELS / 1000000);
        goto out;
    }
    if (strcmp(mime, "image/jpeg") == 0) {
        /* JPEG decodes at 1/2, 1/4 or 1/8 scale for much less work */
        int shrink = 1;
        while (shrink < 8 && w / (shrink * 2) >= GD_THUMB_EDGE &&
               h / (shrink * 2) >= GD_THUMB_EDGE) {
            shrink *= 2;
        }
        if (shrink > 1) {
            g_object_unref(img);
            if (!(img = load(src, mime, shrink))) {
                refused_decode++;
                ret = gd_err_set(err, GD_EINVAL, "the image cannot be read (%s)", mime);
                goto out;
            }
        }
    }
    if (vips_thumbnail_image(img, &thumb, GD_THUMB_EDGE, "height", GD_THUMB_EDGE, "size",
                             VIPS_SIZE_DOWN, NULL)) {
        refused_decode++;
        ret = gd_err_set(err, GD_EINVAL, "the image cannot be read (%s)", mime);
        goto out;
    }
    vips_image_set_progress(thumb, TRUE);
    g_signal_connect(thumb, "eval", G_CALLBACK(on_eval), &d);
    if (vips_image_write_to_buffer(thumb, ".webp", out, len, "Q", 75, "strip", TRUE, NULL)) {
        if (d.killed) {
            refused_time++;
            ret = gd_err_set(err, GD_EINVAL,
                             "the image took longer than %d s to read "
                             "(thumbnail.max_ms)",
                             GD_THUMB_MAX_MS / 1000);
        } else {
            refused_decode++;
            ret = gd_err_set(err, GD_EINVAL, "the image is damaged or truncated (%s)", mime);
        }
    }
out:
    if (ret) {
        gd_log(GD_LOG_INFO, "thumbnail of %s refused: %s (%s)", name, err ? err->msg : "",
               vips_error_buffer());
    }
    vips_error_clear();
    if (thumb) {
        g_object_unref(thumb);
    }
    if (img) {
        g_object_unref(img);
    }
    vips_thread_shutdown();
    return ret;
}

/* A remembered refusal: "<code> <message>" (GD_OK when there is none). */
static int read_refusal(struct gd_svc *svc, const char *data_dir, const char *key,
                        struct gd_err *err)
{
    char buf[400];
    size_t n = 0;
    int code;

    if (GD_STORE(svc->store, blob_read, data_dir, "thumbnails", key, 0, buf, sizeof(buf) - 1, &n,
                 NULL) != GD_OK ||
        n == 0) {
        return GD_OK;
    }
    buf[n] = 0;
    char *msg = strchr(buf, ' ');
    code = (int)strtol(buf, NULL, 10);
    if (code != GD_ETOOBIG) {
        code = GD_EINVAL;
    }
    return gd_err_set(err, code, "%s", msg ? msg + 1 : "the image cannot be read");
}

/* The whole image, read from its blob piece by piece (at most attachments.max_file_bytes: the
 * decoder needs it at once). */
static int read_image(struct gd_svc *svc, const char *data_dir, const struct gd_svc_blob *b,
                      struct image *out, struct gd_err *err)
{
    char *buf = malloc(b->size > 0 ? (size_t)b->size : 1);
    int64_t off = 0;
    int ret = GD_OK;

    while (off < b->size) {
        size_t n = 0;
        if ((ret = gd_svc_blob_read(svc, data_dir, b, off, buf + off, (size_t)(b->size - off), &n,
                                    err))) {
            break;
        }
        if (n == 0) {
            ret = gd_err_set(err, GD_EIO, "the stored image is shorter than recorded");
            break;
        }
        off += (int64_t)n;
    }
    if (ret) {
        free(buf);
        return ret;
    }
    out->data = buf;
    out->len = (size_t)b->size;
    return GD_OK;
}

int gd_svc_attachment_thumbnail(struct gd_svc *svc, const struct gd_actor *actor,
                                const char *data_dir, int64_t id, struct gd_arena *a,
                                struct gd_svc_blob *thumb, struct gd_err *err)
{
    struct gd_attachment x;
    struct gd_svc_blob src;
    struct image img = {0};
    const char *key, *refused;
    void *buf = NULL;
    size_t len = 0;
    int ret;

    if ((ret = gd_svc_attachment_open(svc, actor, data_dir, id, a, &x, &src, err))) {
        return ret;
    }
    if (strcmp(x.mime, "image/jpeg") != 0 && strcmp(x.mime, "image/png") != 0 &&
        strcmp(x.mime, "image/webp") != 0) {
        return gd_err_set(err, GD_ENOTFOUND,
                          "attachment %lld is %s: only images have a "
                          "thumbnail",
                          (long long)id, x.mime);
    }
    key = gd_arena_printf(a, "%s.webp", x.sha256);
    refused = gd_arena_printf(a, "%s.refused", x.sha256);
    if ((ret = gd_svc__blob_find(svc, data_dir, "thumbnails", key, thumb, err)) != GD_ENOTFOUND) {
        cached_total += ret == GD_OK;
        return ret;
    }
    gd_err_clear(err);
    if ((ret = read_refusal(svc, data_dir, refused, err))) {
        cached_total++;
        return ret;
    }
    if (src.size < 0) {
        return gd_err_set(err, GD_ENOTFOUND, "the content of attachment %lld is missing",
                          (long long)id);
    }
    pthread_once(&vips_once, vips_setup);
    if (!vips_ok) {
        return gd_err_set(err, GD_EIO, "thumbnails are not available");
    }
    if ((ret = take_slot(err))) {
        return ret;
    }
    /* made by another request (of any node) while this one waited */
    if ((ret = gd_svc__blob_find(svc, data_dir, "thumbnails", key, thumb, err)) != GD_ENOTFOUND) {
        give_slot();
        return ret;
    }
    gd_err_clear(err);
    int64_t t0 = mono_ms();
    ret = read_image(svc, data_dir, &src, &img, err);
    if (!ret) {
        ret = make(&img, x.sha256, x.mime, &buf, &len, err);
    }
    free((void *)img.data);
    give_slot();
    if (ret == GD_EINVAL || ret == GD_ETOOBIG) {
        char line[400];
        int n = snprintf(line, sizeof(line), "%d %s", ret, err->msg);
        GD_STORE(svc->store, blob_put, data_dir, "thumbnails", refused, line,
                 (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1), NULL);
        return ret;
    }
    if (ret) {
        return ret;
    }
    made_total++;
    made_ms_total += (long)(mono_ms() - t0);
    ret = GD_STORE(svc->store, blob_put, data_dir, "thumbnails", key, buf, len, err);
    g_free(buf);
    if (ret) {
        return ret;
    }
    return gd_svc__blob_find(svc, data_dir, "thumbnails", key, thumb, err);
}

void gd_svc_thumbnail_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_thumbnails_made_total Thumbnails made from stored images.\n"
                   "# TYPE gongdan_thumbnails_made_total counter\n"
                   "gongdan_thumbnails_made_total %ld\n"
                   "# HELP gongdan_thumbnails_made_seconds_total Time spent making them.\n"
                   "# TYPE gongdan_thumbnails_made_seconds_total counter\n"
                   "gongdan_thumbnails_made_seconds_total %.3f\n"
                   "# HELP gongdan_thumbnails_cached_total Thumbnails (or refusals) answered from "
                   "the cache.\n"
                   "# TYPE gongdan_thumbnails_cached_total counter\n"
                   "gongdan_thumbnails_cached_total %ld\n"
                   "# HELP gongdan_thumbnails_refused_total Thumbnails refused, by limit.\n"
                   "# TYPE gongdan_thumbnails_refused_total counter\n"
                   "gongdan_thumbnails_refused_total{limit=\"max_pixels\"} %ld\n"
                   "gongdan_thumbnails_refused_total{limit=\"decode\"} %ld\n"
                   "gongdan_thumbnails_refused_total{limit=\"max_ms\"} %ld\n"
                   "gongdan_thumbnails_refused_total{limit=\"concurrency\"} %ld\n",
                   (long)made_total, (double)made_ms_total / 1000.0, (long)cached_total,
                   (long)refused_pixels, (long)refused_decode, (long)refused_time,
                   (long)refused_busy);
}

/* Thumbnails of image attachments, made on the server from the stored bytes with libvips and
 * kept once per content under <data-dir>/thumbnails/ab/cdef....webp.
 *
 * A hostile image must not hurt the server, so: only the JPEG, PNG and WebP loaders are called
 * (by the type libmagic found at upload, never by sniffing, and libvips' untrusted loaders are
 * blocked); the pixel count is read from the header before anything is decoded; decoding stops
 * at the first error or truncation; a thumbnail taking longer than GD_THUMB_MAX_MS is killed;
 * at most GD_THUMB_CONCURRENCY are made at once, one libvips worker thread each; and libvips'
 * operation cache is off, so nothing decoded stays in memory. A refusal is written next to the
 * thumbnails (.refused) and answered from there: a bad image is decoded at most once. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
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
        return gd_err_set(err, GD_ELIMIT, "%d thumbnails are being made and none finished "
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

/* Opens the image lazily with its own loader (the header only is read). */
static VipsImage *load(const char *path, const char *mime, int shrink)
{
    VipsImage *img = NULL;
    if (strcmp(mime, "image/jpeg") == 0) {
        vips_jpegload(path, &img, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                      "shrink", shrink, NULL);
    } else if (strcmp(mime, "image/png") == 0) {
        vips_pngload(path, &img, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                     NULL);
    } else if (strcmp(mime, "image/webp") == 0) {
        vips_webpload(path, &img, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                      NULL);
    }
    return img;
}

/* Makes the thumbnail bytes of the image at `path`; *out (g_free) on success. */
static int make(const char *path, const char *mime, void **out, size_t *len, struct gd_err *err)
{
    struct deadline d = {mono_ms() + GD_THUMB_MAX_MS, false};
    VipsImage *img = load(path, mime, 1), *thumb = NULL;
    int ret = GD_OK;

    if (!img) {
        refused_decode++;
        ret = gd_err_set(err, GD_EINVAL, "the image cannot be read (%s)", mime);
        goto out;
    }
    int64_t w = vips_image_get_width(img), h = vips_image_get_height(img);
    if (w * h > GD_THUMB_MAX_PIXELS) {
        refused_pixels++;
        ret = gd_err_set(err, GD_ETOOBIG, "the image is %lld×%lld pixels, more than the "
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
            if (!(img = load(path, mime, shrink))) {
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
            ret = gd_err_set(err, GD_EINVAL, "the image took longer than %d s to read "
                             "(thumbnail.max_ms)", GD_THUMB_MAX_MS / 1000);
        } else {
            refused_decode++;
            ret = gd_err_set(err, GD_EINVAL, "the image is damaged or truncated (%s)", mime);
        }
    }
out:
    if (ret) {
        gd_log(GD_LOG_INFO, "thumbnail of %s refused: %s (%s)", path, err ? err->msg : "",
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

/* A remembered refusal: "<code> <message>". */
static int read_refusal(const char *path, struct gd_err *err)
{
    char buf[400];
    int fd = open(path, O_RDONLY | O_CLOEXEC), code = 0;
    ssize_t n;

    if (fd < 0) {
        return GD_OK;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *msg = strchr(buf, ' ');
    code = (int)strtol(buf, NULL, 10);
    if (code != GD_ETOOBIG) {
        code = GD_EINVAL;
    }
    return gd_err_set(err, code, "%s", msg ? msg + 1 : "the image cannot be read");
}

int gd_svc_attachment_thumbnail(struct gd_svc *svc, const struct gd_actor *actor,
                                const char *data_dir, int64_t id, struct gd_arena *a,
                                const char **path, struct gd_err *err)
{
    struct gd_attachment x;
    const char *src, *thumb, *refused;
    struct stat st;
    void *buf = NULL;
    size_t len = 0;
    int ret;

    if ((ret = gd_svc_attachment_open(svc, actor, data_dir, id, a, &x, &src, err))) {
        return ret;
    }
    if (strcmp(x.mime, "image/jpeg") != 0 && strcmp(x.mime, "image/png") != 0 &&
        strcmp(x.mime, "image/webp") != 0) {
        return gd_err_set(err, GD_ENOTFOUND, "attachment %lld is %s: only images have a "
                          "thumbnail", (long long)id, x.mime);
    }
    thumb = gd_arena_printf(a, "%s/thumbnails/%.2s/%s.webp", data_dir, x.sha256, x.sha256 + 2);
    refused = gd_arena_printf(a, "%s/thumbnails/%.2s/%s.refused", data_dir, x.sha256,
                              x.sha256 + 2);
    if (stat(thumb, &st) == 0) {
        cached_total++;
        *path = thumb;
        return GD_OK;
    }
    if ((ret = read_refusal(refused, err))) {
        cached_total++;
        return ret;
    }
    pthread_once(&vips_once, vips_setup);
    if (!vips_ok) {
        return gd_err_set(err, GD_EIO, "thumbnails are not available");
    }
    if ((ret = take_slot(err))) {
        return ret;
    }
    if (stat(thumb, &st) == 0) { /* made by another request while this one waited */
        give_slot();
        *path = thumb;
        return GD_OK;
    }
    int64_t t0 = mono_ms();
    ret = make(src, x.mime, &buf, &len, err);
    give_slot();
    if (ret == GD_EINVAL || ret == GD_ETOOBIG) {
        char line[400];
        int n = snprintf(line, sizeof(line), "%d %s", ret, err->msg);
        struct gd_err ignored = {0};
        gd_svc__store_file(data_dir, "thumbnails", x.sha256, ".refused", line,
                           (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1), &ignored);
        return ret;
    }
    if (ret) {
        return ret;
    }
    made_total++;
    made_ms_total += (long)(mono_ms() - t0);
    ret = gd_svc__store_file(data_dir, "thumbnails", x.sha256, ".webp", buf, len, err);
    g_free(buf);
    if (ret) {
        return ret;
    }
    *path = thumb;
    return GD_OK;
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

/* GET /api/v1/stream: Server-Sent Events for the workbench. A subscriber gets its badge counts
 * at once and again after every change in its shop, plus one `workorder` event per changed work
 * order, and a comment line every 20 s so proxies keep the connection open.
 *
 * A subscriber with nothing to send is suspended (no thread is held); a commit anywhere in the
 * process resumes the subscribers of that shop (gd_http__on_change, called after commit).
 * Thread safety: the subscriber list is guarded by one mutex; counts are computed on the
 * server thread that writes the stream, with that thread's store. */
#include <pthread.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/xalloc.h"
#include "http/req.h"

#define HEARTBEAT_MS 20000
#define QUEUE_MAX (64 * 1024)

struct sub {
    struct sub *next, *prev;
    struct MHD_Connection *conn;
    struct gd_server *srv;
    struct gd_actor actor;
    char username[65], display_name[65];
    struct gd_strbuf queue;
    bool counts_due, suspended, closed;
    int64_t last_write_ms;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sub *subs;
static pthread_t beat_thread;
static bool beat_started, beat_stop;


static void wake(struct sub *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

static void on_change(const struct gd_workorder *wo)
{
    pthread_mutex_lock(&lock);
    for (struct sub *s = subs; s; s = s->next) {
        /* who may open the work order may hear of it (core/perm's rule; an agent's former
         * work orders wait for the next change that makes them theirs) */
        if (gd_perm_open(&s->actor, wo) != GD_OPEN_YES) {
            continue;
        }
        if (s->queue.len < QUEUE_MAX) {
            gd_strbuf_addf(&s->queue, "event: workorder\ndata: {\"id\":\"%lld\",\"version\":%lld}\n\n",
                           (long long)wo->id, (long long)wo->version);
        }
        s->counts_due = true;
        wake(s);
    }
    pthread_mutex_unlock(&lock);
}

static void *beat(void *arg)
{
    (void)arg;
    for (;;) {
        for (int i = 0; i < HEARTBEAT_MS / 250; i++) {
            usleep(250000);
            pthread_mutex_lock(&lock);
            bool stop = beat_stop;
            pthread_mutex_unlock(&lock);
            if (stop) {
                return NULL;
            }
        }
        pthread_mutex_lock(&lock);
        for (struct sub *s = subs; s; s = s->next) {
            wake(s);
        }
        pthread_mutex_unlock(&lock);
    }
}

/* Ends every stream (shutdown): each reader returns end-of-stream on its next call. */
void gd_http__stream_close_all(void)
{
    pthread_mutex_lock(&lock);
    beat_stop = true;
    for (struct sub *s = subs; s; s = s->next) {
        s->closed = true;
        wake(s);
    }
    pthread_mutex_unlock(&lock);
    if (beat_started) {
        pthread_join(beat_thread, NULL);
        beat_started = false;
    }
}

static void render_counts(struct sub *s, struct gd_strbuf *out)
{
    struct gd_svc *svc = gd_http__thread_svc(s->srv);
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_counts c;

    if (!svc || gd_svc_counts(svc, &s->actor, &a, &c, NULL)) {
        gd_arena_release(&a);
        return;
    }
    if (gd_role_is_platform(s->actor.role)) {
        gd_strbuf_addf(out, "event: counts\ndata: {\"platform_verify\":%lld,\"intervention\":%lld,"
                            "\"appeal_review\":%lld}\n\n",
                       (long long)c.platform_verify, (long long)c.intervention,
                       (long long)c.appeal_review);
    } else {
        gd_strbuf_addf(out, "event: counts\ndata: {\"todo\":%lld,\"created\":%lld,\"assigned\":%lld,"
                            "\"overdue\":%lld,\"due_soon\":%lld,\"collab_awaiting\":%lld,\"shop\":",
                       (long long)c.todo, (long long)c.created, (long long)c.assigned,
                       (long long)c.overdue, (long long)c.due_soon, (long long)c.collab_awaiting);
        if (c.has_shop) {
            gd_strbuf_addf(out, "%lld}\n\n", (long long)c.shop);
        } else {
            gd_strbuf_adds(out, "null}\n\n");
        }
    }
    gd_arena_release(&a);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct sub *s = cls;
    struct gd_strbuf counts = GD_STRBUF_INIT;
    (void)pos;

    pthread_mutex_lock(&lock);
    if (s->closed) {
        pthread_mutex_unlock(&lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    bool want_counts = s->counts_due;
    s->counts_due = false;
    pthread_mutex_unlock(&lock);
    if (want_counts) {
        render_counts(s, &counts); /* outside the lock: it reads the database */
    }
    pthread_mutex_lock(&lock);
    if (counts.len) {
        gd_strbuf_add(&s->queue, counts.buf, counts.len);
    }
    gd_strbuf_release(&counts);
    int64_t now = gd_clock_mono_ms();
    if (!s->queue.len && now - s->last_write_ms >= HEARTBEAT_MS) {
        gd_strbuf_adds(&s->queue, ": keep-alive\n\n");
    }
    if (!s->queue.len) {
        /* nothing to say: park the connection until a change or the heartbeat wakes it */
        s->suspended = true;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&lock);
        return 0;
    }
    size_t n = s->queue.len < max ? s->queue.len : max;
    memcpy(buf, s->queue.buf, n);
    memmove(s->queue.buf, s->queue.buf + n, s->queue.len - n);
    s->queue.len -= n;
    s->queue.buf[s->queue.len] = 0;
    s->last_write_ms = now;
    pthread_mutex_unlock(&lock);
    return (ssize_t)n;
}

static void release(void *cls)
{
    struct sub *s = cls;
    pthread_mutex_lock(&lock);
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        subs = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    pthread_mutex_unlock(&lock);
    gd_strbuf_release(&s->queue);
    free(s);
}

static void stream(struct gd_req *r)
{
    struct sub *s = xcalloc(1, sizeof(*s));

    s->conn = r->conn;
    s->srv = r->srv;
    s->actor = r->actor;
    snprintf(s->username, sizeof(s->username), "%s", r->actor.username ? r->actor.username : "");
    snprintf(s->display_name, sizeof(s->display_name), "%s",
             r->actor.display_name ? r->actor.display_name : "");
    s->actor.username = s->username;
    s->actor.display_name = s->display_name;
    gd_strbuf_init(&s->queue, 0);
    gd_strbuf_adds(&s->queue, "retry: 3000\n\n");
    s->counts_due = true;
    s->last_write_ms = gd_clock_mono_ms();

    pthread_mutex_lock(&lock);
    gd_http__on_change = on_change;
    if (!beat_started && !beat_stop) {
        beat_started = pthread_create(&beat_thread, NULL, beat, NULL) == 0;
    }
    s->next = subs;
    if (subs) {
        subs->prev = s;
    }
    subs = s;
    pthread_mutex_unlock(&lock);

    r->response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, release);
    MHD_add_response_header(r->response, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r->response, "Cache-Control", "no-cache");
    MHD_add_response_header(r->response, "X-Accel-Buffering", "no");
    r->status = 200;
}

const struct gd_route gd_routes_stream[] = {
    {"GET", "/api/v1/stream", stream, 0},
    {NULL, NULL, NULL, 0},
};

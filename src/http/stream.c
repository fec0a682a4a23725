/* GET /api/v1/stream: Server-Sent Events for the workbench. A subscriber gets its badge counts
 * at once and again after every change it may hear of, plus one `workorder` event per changed
 * work order it may open (core/perm's one rule, as GET /api/v1/workorders/{id} applies it), and a
 * comment line every 20 s so proxies keep the connection open. The bell: a `notifications` event
 * with the subscriber's unread count at once and whenever it changed; a notification is written
 * with a change of its work order (service/notify.c), so every change in the subscriber's shop
 * (for platform staff, of a collaborative case) has the count read again, and the event is sent
 * only when it moved. Changes committed on other nodes arrive the same way (cluster.c).
 *
 * A subscriber with nothing to send is suspended (no thread is held); a commit anywhere in the
 * process resumes the subscribers that may hear of it (gd_http__on_change, called after commit).
 * Limits: STREAMS_PER_USER open streams per user (429) and STREAMS_MAX in the process (503),
 * well below the server's connection limit, so streams can never take every connection.
 * A stream ends at once when the session or token it was opened with is revoked, and within
 * CHECK_MS when its client has gone away (a suspended connection is not polled by the server).
 * Thread safety: the subscriber list is guarded by one mutex; counts and the checks that read
 * the database run on the server thread that writes the stream, with that thread's store. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "http/req.h"

#define HEARTBEAT_MS 20000
#define CHECK_MS 1000 /* how often suspended clients are looked at (gone? revoked?) */
#define TICK_MS 250
#define QUEUE_MAX (64 * 1024)
#define PENDING_MAX 256      /* changed work orders waiting for the "handled before?" read */
#define STREAMS_PER_USER 8   /* GONGDAN_STREAMS_PER_USER overrides (1..64) */
#define STREAMS_MAX 1000     /* GONGDAN_STREAMS_MAX overrides (1..STREAMS_CEILING) */
#define STREAMS_CEILING 3000 /* the server's connection limit is 4000: keep room for requests */

struct sub {
    struct sub *next, *prev;
    struct MHD_Connection *conn;
    struct gd_server *srv;
    struct gd_svc_shared *shared;
    struct gd_actor actor;
    struct gd_credential cred; /* what the stream was opened with: it lives as long as that */
    long revocations_seen;
    char username[65], display_name[65];
    struct gd_strbuf queue;
    int64_t pending[PENDING_MAX]; /* work order ids the reader must check (gd_perm_open) */
    int npending;
    bool counts_due, cred_due, bell_due, suspended, closed;
    int64_t bell_sent; /* the unread count last sent; -1 = none yet */
    int64_t last_write_ms;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sub *subs;
static int nsubs;
static pthread_t beat_thread;
static bool beat_started, beat_stop;

static int per_user_max, server_max; /* read once, under the lock */
static _Atomic long refused_per_user, refused_server, ended_gone, ended_revoked;

static void wake(struct sub *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

static void end_stream(struct sub *s)
{
    s->closed = true;
    wake(s);
}

static void pend(struct sub *s, int64_t id)
{
    for (int i = 0; i < s->npending; i++) {
        if (s->pending[i] == id) {
            return;
        }
    }
    if (s->npending < PENDING_MAX) {
        s->pending[s->npending++] = id;
    }
}

/* The event a work order's change sends down a stream: what a workbench needs to know whether its
 * copy is old (the overdue mark keeps the version). */
static void workorder_event(struct gd_strbuf *out, const struct gd_workorder *wo)
{
    gd_strbuf_addf(out,
                   "event: workorder\ndata: {\"id\":\"%lld\",\"version\":%lld,\"overdue\":%s}\n\n",
                   (long long)wo->id, (long long)wo->version, wo->overdue ? "true" : "false");
}

/* A change (or, with wo NULL, "changes may have been missed": cluster.h) reaches the streams. */
static void on_change(const struct gd_workorder *wo)
{
    pthread_mutex_lock(&lock);
    for (struct sub *s = subs; s; s = s->next) {
        if (!wo) {
            s->counts_due = s->bell_due = true;
            wake(s);
            continue;
        }
        /* a notification may have come with it: a user of the shop, platform staff of a case */
        if (s->actor.shop_id == wo->shop_id ||
            (gd_role_is_platform(s->actor.role) && wo->type == GD_TYPE_COLLAB)) {
            s->bell_due = true;
            wake(s);
        }
        /* who may open the work order may hear of it, and no one else, not even of its id */
        int open = gd_perm_open(&s->actor, wo);
        if (open == GD_OPEN_NO) {
            continue;
        }
        if (open == GD_OPEN_IF_HANDLED_BEFORE) {
            pend(s, wo->id); /* the reader reads the timeline (no database under this lock) */
        } else {
            if (s->queue.len < QUEUE_MAX) {
                workorder_event(&s->queue, wo);
            }
            s->counts_due = true;
        }
        wake(s);
    }
    pthread_mutex_unlock(&lock);
}

/* Has the client of a suspended stream gone away? Its socket reads end-of-file (or fails). */
static bool client_gone(struct sub *s)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(s->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci) {
        return false;
    }
    struct pollfd p = {.fd = ci->connect_fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0) {
        return false;
    }
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
        return true;
    }
    char c;
    return recv(ci->connect_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

static void *beat(void *arg)
{
    int64_t last_beat = gd_clock_mono_ms(), last_check = last_beat;
    (void)arg;
    for (;;) {
        usleep(TICK_MS * 1000);
        int64_t now = gd_clock_mono_ms();
        pthread_mutex_lock(&lock);
        if (beat_stop) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        bool check = now - last_check >= CHECK_MS, heartbeat = now - last_beat >= HEARTBEAT_MS;
        for (struct sub *s = subs; s; s = s->next) {
            /* a credential revoked anywhere: every stream checks its own, at once */
            long rev = gd_svc_revocations(s->shared);
            if (rev != s->revocations_seen) {
                s->revocations_seen = rev;
                s->cred_due = true;
                wake(s);
            } else if (check && s->suspended && client_gone(s)) {
                atomic_fetch_add(&ended_gone, 1);
                end_stream(s);
            } else if (heartbeat) {
                s->cred_due = true; /* sessions expire too */
                wake(s);
            }
        }
        pthread_mutex_unlock(&lock);
        last_check = check ? now : last_check;
        last_beat = heartbeat ? now : last_beat;
    }
}

/* Ends every stream (shutdown): each reader returns end-of-stream on its next call. */
void gd_http__stream_close_all(void)
{
    pthread_mutex_lock(&lock);
    beat_stop = true;
    for (struct sub *s = subs; s; s = s->next) {
        end_stream(s);
    }
    pthread_mutex_unlock(&lock);
    if (beat_started) {
        pthread_join(beat_thread, NULL);
        beat_started = false;
    }
}

static void render_counts(struct sub *s, struct gd_svc *svc, struct gd_strbuf *out)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_counts c;

    if (gd_svc_counts(svc, &s->actor, &a, &c, NULL)) {
        gd_arena_release(&a);
        return;
    }
    if (gd_role_is_platform(s->actor.role)) {
        gd_strbuf_addf(out,
                       "event: counts\ndata: {\"platform_verify\":%lld,\"intervention\":%lld,"
                       "\"appeal_review\":%lld}\n\n",
                       (long long)c.platform_verify, (long long)c.intervention,
                       (long long)c.appeal_review);
    } else {
        gd_strbuf_addf(out,
                       "event: counts\ndata: {\"todo\":%lld,\"created\":%lld,\"assigned\":%lld,"
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

/* The database side of a wake-up, outside the lock: is the credential still live, which pending
 * work orders may the subscriber open (the same read GET /workorders/{id} does), the counts. */
/* The bell: the unread count when it moved since the last one sent (the reader's thread only
 * touches bell_sent). */
static void render_bell(struct sub *s, struct gd_svc *svc, struct gd_strbuf *out)
{
    int64_t unread;
    if (gd_svc_notifications_unread(svc, &s->actor, &unread, NULL) == GD_OK &&
        unread != s->bell_sent) {
        s->bell_sent = unread;
        gd_strbuf_addf(out, "event: notifications\ndata: {\"unread\":%lld}\n\n", (long long)unread);
    }
}

static bool refresh(struct sub *s, bool cred_due, const int64_t *pending, int npending,
                    bool counts_due, bool bell_due, struct gd_strbuf *out)
{
    struct gd_svc *svc = gd_http__thread_svc(s->srv);
    bool live = true;

    if (!svc) {
        return true;
    }
    if (cred_due && gd_svc_credential_check(svc, &s->cred, &live, NULL) == GD_OK && !live) {
        return false;
    }
    if (cred_due && s->actor.shop_id) {
        gd_svc_presence(svc, s->actor.user_id, true); /* the workbench is still open */
    }
    for (int i = 0; i < npending; i++) {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_workorder wo;
        if (gd_svc_workorder_get(svc, &s->actor, pending[i], &a, &wo, NULL) == GD_OK) {
            workorder_event(out, &wo);
            counts_due = true;
        }
        gd_arena_release(&a);
    }
    if (counts_due) {
        render_counts(s, svc, out);
    }
    if (bell_due) {
        render_bell(s, svc, out);
    }
    return true;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct sub *s = cls;
    struct gd_strbuf fresh = GD_STRBUF_INIT;
    int64_t pending[PENDING_MAX];
    (void)pos;

    pthread_mutex_lock(&lock);
    if (s->closed) {
        pthread_mutex_unlock(&lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    bool want_counts = s->counts_due, want_cred = s->cred_due, want_bell = s->bell_due;
    int npending = s->npending;
    memcpy(pending, s->pending, sizeof(*pending) * (size_t)npending);
    s->counts_due = s->cred_due = s->bell_due = false;
    s->npending = 0;
    pthread_mutex_unlock(&lock);
    bool live = refresh(s, want_cred, pending, npending, want_counts, want_bell, &fresh);
    pthread_mutex_lock(&lock);
    if (!live) {
        s->closed = true;
        pthread_mutex_unlock(&lock);
        gd_strbuf_release(&fresh);
        atomic_fetch_add(&ended_revoked, 1);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (fresh.len && s->queue.len < QUEUE_MAX) {
        gd_strbuf_add(&s->queue, fresh.buf, fresh.len);
    }
    gd_strbuf_release(&fresh);
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
    bool last = true; /* the user's last stream on this node: their workbench presence here ends */
    pthread_mutex_lock(&lock);
    for (struct sub *o = subs; o; o = o->next) {
        last &= o == s || o->actor.user_id != s->actor.user_id;
    }
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        subs = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    nsubs--;
    pthread_mutex_unlock(&lock);
    /* MHD_stop_daemon frees streams on the stopping thread, which has no store: opening one
     * mid-shutdown is not worth it, as the row ages out by itself within 60 s (service/assignment.c) */
    struct gd_svc *svc = last && s->actor.shop_id ? gd_http__thread_svc_if_open() : NULL;
    if (svc) {
        gd_svc_presence(svc, s->actor.user_id, false);
    }
    gd_strbuf_release(&s->queue);
    free(s);
}

/* The credential this request was authenticated with (server.c: a bearer token wins). */
static bool credential(struct gd_req *r, struct gd_credential *c)
{
    const char *auth = gd_http_header_in(r, "Authorization");
    const char *raw = NULL;

    if (auth && strncmp(auth, "Bearer ", 7) == 0) {
        c->kind = GD_CRED_TOKEN;
        raw = auth + 7;
    } else if (r->via_cookie) {
        c->kind = GD_CRED_SESSION;
        raw = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "gd_session");
    }
    if (!raw) {
        return false;
    }
    gd_secret_sha256_hex(raw, strlen(raw), c->digest);
    c->user_id = r->actor.user_id;
    return true;
}

static int env_limit(const char *name, int def, int ceiling)
{
    const char *e = getenv(name);
    char *end;
    long v = e ? strtol(e, &end, 10) : 0;
    return e && *e && !*end && v >= 1 && v <= ceiling ? (int)v : def;
}

/* Refuses a stream over a limit (with the lock held): 429 for the user's, 503 for the server's. */
static bool over_limit(struct gd_req *r)
{
    int mine = 0;
    if (!server_max) {
        per_user_max = env_limit("GONGDAN_STREAMS_PER_USER", STREAMS_PER_USER, 64);
        server_max = env_limit("GONGDAN_STREAMS_MAX", STREAMS_MAX, STREAMS_CEILING);
    }
    for (struct sub *s = subs; s; s = s->next) {
        mine += s->actor.user_id == r->actor.user_id;
    }
    if (mine >= per_user_max) {
        atomic_fetch_add(&refused_per_user, 1);
        gd_http_fail(r, "limit", NULL,
                     "at most %d live streams per user are open at once "
                     "(GONGDAN_STREAMS_PER_USER); close one (another tab or window) first",
                     per_user_max);
        return true;
    }
    if (nsubs >= server_max) {
        atomic_fetch_add(&refused_server, 1);
        gd_http_header(r, "Retry-After", "30");
        gd_http_fail(r, "unavailable", NULL,
                     "the server has its limit of %d live streams "
                     "open (GONGDAN_STREAMS_MAX); try again later",
                     server_max);
        return true;
    }
    return false;
}

static void stream(struct gd_req *r)
{
    struct gd_credential cred;

    if (!credential(r, &cred)) {
        gd_http_fail(r, "unauthenticated", NULL,
                     "a stream needs a session cookie or 'Authorization: Bearer <api token>'");
        return;
    }
    pthread_mutex_lock(&lock);
    if (over_limit(r)) {
        pthread_mutex_unlock(&lock);
        return;
    }
    struct sub *s = xcalloc(1, sizeof(*s));
    s->conn = r->conn;
    s->srv = r->srv;
    s->shared = r->svc->shared;
    s->revocations_seen = gd_svc_revocations(s->shared);
    s->actor = r->actor;
    s->cred = cred;
    snprintf(s->username, sizeof(s->username), "%s", r->actor.username ? r->actor.username : "");
    snprintf(s->display_name, sizeof(s->display_name), "%s",
             r->actor.display_name ? r->actor.display_name : "");
    s->actor.username = s->username;
    s->actor.display_name = s->display_name;
    gd_strbuf_init(&s->queue, 0);
    gd_strbuf_adds(&s->queue, "retry: 3000\n\n");
    s->counts_due = s->bell_due = true;
    s->bell_sent = -1;
    s->last_write_ms = gd_clock_mono_ms();
    gd_http__on_change = on_change;
    if (!beat_started && !beat_stop) {
        beat_started = pthread_create(&beat_thread, NULL, beat, NULL) == 0;
    }
    s->next = subs;
    if (subs) {
        subs->prev = s;
    }
    subs = s;
    nsubs++;
    pthread_mutex_unlock(&lock);

    if (r->actor.shop_id) {
        gd_svc_presence(r->svc, r->actor.user_id, true); /* "online while the workbench is open" */
    }
    r->response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, release);
    MHD_add_response_header(r->response, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r->response, "Cache-Control", "no-cache");
    MHD_add_response_header(r->response, "X-Accel-Buffering", "no");
    r->status = 200;
}

void gd_http_stream_metrics(struct gd_strbuf *sb)
{
    pthread_mutex_lock(&lock);
    int open = nsubs;
    pthread_mutex_unlock(&lock);
    gd_strbuf_addf(sb,
                   "# HELP gongdan_streams_open Live streams (/api/v1/stream) open now.\n"
                   "# TYPE gongdan_streams_open gauge\ngongdan_streams_open %d\n"
                   "# HELP gongdan_stream_limit_total Streams refused by a limit.\n"
                   "# TYPE gongdan_stream_limit_total counter\n"
                   "gongdan_stream_limit_total{limit=\"per_user\"} %ld\n"
                   "gongdan_stream_limit_total{limit=\"server\"} %ld\n"
                   "# HELP gongdan_streams_ended_total Streams the server ended early.\n"
                   "# TYPE gongdan_streams_ended_total counter\n"
                   "gongdan_streams_ended_total{reason=\"client_gone\"} %ld\n"
                   "gongdan_streams_ended_total{reason=\"revoked\"} %ld\n",
                   open, atomic_load(&refused_per_user), atomic_load(&refused_server),
                   atomic_load(&ended_gone), atomic_load(&ended_revoked));
}

const struct gd_route gd_routes_stream[] = {
    {"GET", "/api/v1/stream", stream, 0},
    {NULL, NULL, NULL, 0},
};

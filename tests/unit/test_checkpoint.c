/* The SQLite writer's log is checkpointed by a thread beside it (src/store/sqlite/checkpoint.c),
 * not inside the commits of creates. Through work orders created the way the server creates
 * them: once the log has reached 1,000 pages and the writes stop, every page of it reaches the
 * database file with no commit after it (the thread copied them: the writer's own automatic
 * checkpoint is off); and under a stream of creates the log is begun again and again, never
 * growing far beyond the size at which the writer copies what the thread left behind.
 *
 * The log's size and how much of it is copied are read from the wal-index (the -shm file), whose
 * layout SQLite documents (https://www.sqlite.org/walformat.html): the header's mxFrame at byte
 * 16, the checkpoint's nBackfill at byte 96, native byte order. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "scratch_db.h"
#include "service/svc_int.h"

#define TAIL_PAGES 16000 /* checkpoint.c's CKPT_TAIL */

struct wal_state {
    uint32_t frames, copied;
};

static struct wal_state wal_state(const char *db)
{
    char shm[128];
    struct wal_state s = {0, 0};
    snprintf(shm, sizeof(shm), "%s-shm", db);
    int fd = open(shm, O_RDONLY);
    if (fd >= 0) {
        if (pread(fd, &s.frames, 4, 16) != 4 || pread(fd, &s.copied, 4, 96) != 4) {
            s.frames = s.copied = 0;
        }
        close(fd);
    }
    return s;
}

/* One work order created the way the server creates it. */
static void create(struct gd_svc *svc, const struct gd_actor *lead, const struct gd_wo_input *in)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_workorder wo;
    const char *replay;
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_svc_workorder_create(svc, lead, in, NULL, NULL, &a, &wo, &replay, &err), GD_OK);
    gd_arena_release(&a);
}

int main(void)
{
    char path[] = "/tmp/gd-ckpt-XXXXXX", url[64];
    struct gd_svc_shared shared;
    struct gd_svc svc = {0};
    struct gd_err err = {0};
    int64_t shop_id, uid;

    CHECK(scratch_db_make(path, url, sizeof(url)) == 0);
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    CHECK_EQ_INT(gd_store_open(url, true, &svc.store, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "检查点店", &shop_id, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_user_add(&svc, shop_id, "ckpt-lead", "主管", GD_ROLE_SHOP_LEAD,
                                 "password-1", &uid, &err),
                 GD_OK);
    struct gd_actor lead = {.user_id = uid,
                            .shop_id = shop_id,
                            .role = GD_ROLE_SHOP_LEAD,
                            .username = "ckpt-lead",
                            .display_name = "主管"};
    /* long content: each create writes a few pages of the log */
    static char content[4000]; /* 1,333 characters, under GD_CONTENT_MAX */
    for (size_t i = 0; i + 3 < sizeof(content) - 1; i += 3) {
        memcpy(content + i, "退", 3);
    }
    struct gd_wo_input in = {
        .type = GD_TYPE_AFTER_SALES, .title = "检查点", .content = content, .priority = -1};

    /* creates until the log has reached 1,000 pages, then nothing more is written */
    int creates = 0;
    while (wal_state(path).frames < 1000 && creates < 5000) {
        create(&svc, &lead, &in);
        creates++;
    }
    struct wal_state s = wal_state(path);
    CHECK(s.frames >= 1000 && s.frames < TAIL_PAGES);
    /* the thread copies the whole log into the database file, no commit needed (within a
     * minute: on a loaded machine its pass can wait seconds for a core) */
    for (int i = 0; i < 1200 && s.copied < s.frames; i++) {
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
        s = wal_state(path);
    }
    CHECK(s.frames >= 1000);
    CHECK_EQ_INT(s.copied, s.frames);

    /* a stream of creates: the log is begun again and again, and stays within twice the size at
     * which the writer copies the rest (it passes that size by what is committed while the
     * thread's pass holds the checkpoint, which a loaded machine makes long) */
    int64_t written = 0;
    uint32_t last = s.frames, largest = 0;
    int restarts = 0;
    while (restarts < 3 && written < 4 * TAIL_PAGES) {
        create(&svc, &lead, &in);
        creates++;
        s = wal_state(path);
        if (s.frames < last) {
            restarts++;
            written += s.frames;
        } else {
            written += s.frames - last;
        }
        last = s.frames;
        largest = s.frames > largest ? s.frames : largest;
    }
    CHECK(restarts >= 3);
    CHECK(largest < 2 * TAIL_PAGES);

    gd_store_close(svc.store);
    scratch_db_remove(path);
    return check_report("test_checkpoint");
}

/* A scratch SQLite database for a unit test: an empty file made under /tmp from a mkstemp
 * template, and its removal together with the -wal and -shm files SQLite leaves beside it and the
 * search index's file (-search, with its own). */
#ifndef GD_TEST_SCRATCH_DB_H
#define GD_TEST_SCRATCH_DB_H
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes the file `path` names (a template ending in XXXXXX, rewritten) and writes its store URL. */
static inline int scratch_db_make(char *path, char *url, size_t n)
{
    int fd = mkstemp(path);
    if (fd < 0) {
        return -1;
    }
    close(fd);
    snprintf(url, n, "sqlite:%s", path);
    return 0;
}

static inline void scratch_db_remove(const char *path)
{
    static const char *const sides[] = {"-wal", "-shm", "-search", "-search-wal", "-search-shm"};
    char side[PATH_MAX];
    unlink(path);
    for (size_t i = 0; i < sizeof(sides) / sizeof(*sides); i++) {
        snprintf(side, sizeof(side), "%s%s", path, sides[i]);
        unlink(side);
    }
}

#endif

/* The SQLite ceiling of the deadline engine (bench_deadlines --ceiling): the statements the
 * engine ran, recorded as they ran, then run again from a plain loop on a copy of the database
 * taken before them. No SQLite type appears here: only sqlite_replay.c may include <sqlite3.h>
 * (src/store/private_headers.h).
 *
 * Not thread safe: one recording at a time, in a benchmark program. Failures are printed to
 * stderr and returned as nonzero. */
#ifndef GD_BENCH_SQLITE_REPLAY_H
#define GD_BENCH_SQLITE_REPLAY_H
#include <stdbool.h>
#include <stdint.h>

/* Makes every SQLite connection opened while recording is on record its statements; call before
 * any connection opens. */
int gd_bench_trace_install(void);
/* Records (or stops recording) the statements of connections opened while it is on. */
void gd_bench_trace_record(bool on);
/* What is recorded from now on is the measured part; what came before (the connection's
 * settings) is replayed untimed. */
void gd_bench_trace_mark(void);
/* Copies the database at `from` (WAL included) to a new file `to`, page for page. */
int gd_bench_sqlite_copy(const char *from, const char *to);
/* Runs the recorded statements on `path`, one connection: the same SQL text (each prepared
 * once), the same values bound, in the same transactions. *ms: the measured part's time;
 * *statements, *commits: what it ran. Frees the recording. */
int gd_bench_replay(const char *path, int64_t *ms, long *statements, int *commits);

#endif

/* What the harnesses share: a request without a connection (headers and query from a table),
 * and the checks every answer must pass. A failed check aborts, which libFuzzer reports as a
 * crash with the input that caused it. */
#ifndef GD_FUZZ_H
#define GD_FUZZ_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/utf8.h"
#include "http/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_MAX_VALUES 32

/* The request's headers and query parameters, as MHD would hand them over. */
struct fuzz_values {
    int n;
    enum MHD_ValueKind kind[FUZZ_MAX_VALUES];
    const char *name[FUZZ_MAX_VALUES];
    const char *value[FUZZ_MAX_VALUES];
};

struct fuzz_req {
    struct gd_req r; /* first: the lookup gets the gd_req back */
    struct fuzz_values v;
};

#define FUZZ_CHECK(cond, ...)                                  \
    do {                                                       \
        if (!(cond)) {                                         \
            fprintf(stderr, "fuzz check failed: %s: ", #cond); \
            fprintf(stderr, __VA_ARGS__);                      \
            fprintf(stderr, "\n");                             \
            abort();                                           \
        }                                                      \
    } while (0)

static inline const char *fuzz_lookup(struct gd_req *r, enum MHD_ValueKind kind, const char *name)
{
    const struct fuzz_values *v = &((struct fuzz_req *)r)->v;
    for (int i = 0; i < v->n; i++) {
        bool header = kind == MHD_HEADER_KIND;
        if (v->kind[i] == kind &&
            (header ? strcasecmp(v->name[i], name) : strcmp(v->name[i], name)) == 0) {
            return v->value[i];
        }
    }
    return NULL;
}

/* A request whose body is an exact-size heap copy of `data` (ASan sees a read past its end). */
static inline void fuzz_req_init(struct fuzz_req *f, const uint8_t *data, size_t size)
{
    memset(f, 0, sizeof(*f));
    f->r.lookup = fuzz_lookup;
    f->r.method = "GET";
    f->r.path = "/";
    gd_strbuf_init(&f->r.out, 0);
    f->r.body.buf = malloc(size ? size : 1);
    memcpy(f->r.body.buf, data, size);
    f->r.body.len = f->r.body.alloc = size;
    snprintf(f->r.request_id, sizeof(f->r.request_id), "fuzz");
}

static inline void fuzz_value(struct fuzz_req *f, enum MHD_ValueKind kind, const char *name,
                              const char *value)
{
    if (f->v.n < FUZZ_MAX_VALUES) {
        f->v.kind[f->v.n] = kind;
        f->v.name[f->v.n] = name;
        f->v.value[f->v.n] = value;
        f->v.n++;
    }
}

/* Every answer is JSON text in UTF-8; an error answer is {"error":{"code",...}} with a 4xx. */
static inline void fuzz_check_answer(struct gd_req *r)
{
    json_error_t jerr;
    if (r->status == 0) {
        return; /* nothing answered yet */
    }
    FUZZ_CHECK(gd_utf8_valid(r->out.buf, r->out.len), "answer is not UTF-8: %.*s", (int)r->out.len,
               r->out.buf);
    json_t *j = json_loadb(r->out.buf, r->out.len, 0, &jerr);
    FUZZ_CHECK(j != NULL, "answer is not JSON (%s): %.*s", jerr.text, (int)r->out.len, r->out.buf);
    if (r->status >= 400) {
        FUZZ_CHECK(r->status < 500, "status %d: %.*s", r->status, (int)r->out.len, r->out.buf);
        FUZZ_CHECK(json_is_string(json_object_get(json_object_get(j, "error"), "code")),
                   "error without a code: %.*s", (int)r->out.len, r->out.buf);
    }
    json_decref(j);
}

static inline void fuzz_req_release(struct fuzz_req *f)
{
    free(f->r.body.buf);
    gd_strbuf_release(&f->r.out);
    json_decref(f->r.json);
    gd_arena_release(&f->r.a);
}

#endif

/* The gd_bigram FTS5 tokenizer: Chinese (and any) substring search.
 *
 * FTS5's trigram tokenizer cannot match terms shorter than three characters, yet the words
 * customer service searches for are often two (退款, 缺货). This tokenizer indexes, at each
 * character position, the character itself and the bigram it starts (colocated). A query term
 * of one character looks up the unigram; a longer term becomes the phrase of its bigrams, which
 * matches exactly where the term occurs as a substring. Runs are split at whitespace; ASCII
 * letters are folded to lower case.
 *
 * One text is read whole: a shop's token, byte 0x01 and the shop's id in digits, which is the
 * `shop` column of every row of wo_search_text (schema sqlite/0022_search_shop.sql). A search
 * ANDs it with its terms, so the index gives only the shop's rows. No text split into runs at
 * bytes <= ' ' can yield a token holding 0x01, and filter.c splits a query's terms at those
 * bytes too, so what a user types never matches a shop's token. */
#include <stdint.h>
#include "store/sqlite/sqlite_int.h"

static fts5_api *get_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) {
        return NULL;
    }
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)argv;
    (void)argc;
    static int dummy;
    *out = (Fts5Tokenizer *)&dummy;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { (void)t; }

static int char_len(unsigned char c)
{
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xF0) {
        return 4;
    }
    if (c >= 0xE0) {
        return 3;
    }
    if (c >= 0xC0) {
        return 2;
    }
    return 1;
}

static bool is_space(unsigned char c) { return c <= ' '; }

typedef int (*token_fn)(void *, int, const char *, int, int, int);

static int emit(void *ctx, token_fn cb, int flags, const char *text, int start, int end)
{
    char buf[16];
    int n = end - start;
    if (n > (int)sizeof(buf)) {
        return SQLITE_OK;
    }
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[start + i];
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return cb(ctx, flags, buf, n, start, end);
}

/* 0x01 then 1 to 20 digits, nothing else: a shop's token (see the top of the file) */
static bool is_shop_token(const char *text, int n)
{
    if (n < 2 || n > 21 || text[0] != GD_SQ_SHOP_TOKEN) {
        return false;
    }
    for (int i = 1; i < n; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    return true;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        token_fn cb)
{
    (void)t;
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int i = 0, rc = SQLITE_OK;

    if (is_shop_token(text, n)) {
        return cb(ctx, 0, text, n, 0, n);
    }

    while (i < n && rc == SQLITE_OK) {
        if (is_space((unsigned char)text[i])) {
            i++;
            continue;
        }
        /* one run of non-space characters */
        int run_start = i, chars = 0;
        while (i < n && !is_space((unsigned char)text[i])) {
            int l = char_len((unsigned char)text[i]);
            i = i + l > n ? n : i + l;
            chars++;
        }
        int run_end = i;
        for (int p = run_start; p < run_end && rc == SQLITE_OK;) {
            int l1 = char_len((unsigned char)text[p]);
            int q = p + l1 > run_end ? run_end : p + l1;
            int r = q < run_end ? q + char_len((unsigned char)text[q]) : q;
            if (r > run_end) {
                r = run_end;
            }
            if (query) {
                if (chars == 1) {
                    rc = emit(ctx, cb, 0, text, p, q);
                } else if (q < run_end) {
                    rc = emit(ctx, cb, 0, text, p, r);
                }
            } else {
                rc = emit(ctx, cb, 0, text, p, q);
                if (rc == SQLITE_OK && q < run_end) {
                    rc = emit(ctx, cb, FTS5_TOKEN_COLOCATED, text, p, r);
                }
            }
            p = q;
        }
    }
    return rc;
}

int gd_sq__register_bigram(sqlite3 *db)
{
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    fts5_api *api = get_api(db);
    if (!api) {
        return -1;
    }
    return api->xCreateTokenizer(api, "gd_bigram", NULL, &tok, NULL) == SQLITE_OK ? 0 : -1;
}

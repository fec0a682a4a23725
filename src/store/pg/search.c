/* Search tokens for PostgreSQL: the same tokenisation as the SQLite backend's gd_bigram
 * tokenizer (src/store/sqlite/bigram.c). Runs are split at whitespace (bytes <= ' '); at every
 * character position of a run the index holds the character itself and the bigram it starts;
 * ASCII letters are folded to lower case. A query term of one character needs its unigram, a
 * longer term all of its bigrams; candidates from the GIN index are then confirmed by
 * substring, so a term matches exactly where it occurs. Each piece's tokens also hold its shop's,
 * "shop <id>", which a search adds to every term's (filter.c): the GIN index intersects the
 * term with the shop and yields only the shop's pieces (schema pg/0022_search_shop.sql). */
#include "store/pg/pg_int.h"

static int char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static bool is_space(unsigned char c) { return c <= ' '; }

/* Appends one element (folded) to a text[] literal being built in `out`. */
static void add_elem(struct gd_strbuf *out, const char *p, int n)
{
    gd_strbuf_adds(out, out->len > 1 ? ",\"" : "\"");
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') {
            gd_strbuf_addch(out, '\\');
        }
        gd_strbuf_addch(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    gd_strbuf_addch(out, '"');
}

/* Calls back for each run of non-space characters: [start, end) and its character count. */
typedef void (*run_fn)(const char *text, int start, int end, int chars, void *ctx);

static void each_run(const char *text, run_fn fn, void *ctx)
{
    int n = (int)strlen(text), i = 0;
    while (i < n) {
        if (is_space((unsigned char)text[i])) {
            i++;
            continue;
        }
        int start = i, chars = 0;
        while (i < n && !is_space((unsigned char)text[i])) {
            int l = char_len((unsigned char)text[i]);
            i = i + l > n ? n : i + l;
            chars++;
        }
        fn(text, start, i, chars, ctx);
    }
}

struct grams_ctx {
    struct gd_strbuf *out;
    bool query;
    bool first; /* query: no token of this term written yet */
};

/* Appends a token to a query term's element: tokens joined by chr(31), which no token holds
 * (runs end at bytes <= ' '). */
static void add_token(struct gd_strbuf *out, bool first, const char *p, int n)
{
    if (!first) {
        gd_strbuf_addch(out, 31);
    }
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') {
            gd_strbuf_addch(out, '\\');
        }
        gd_strbuf_addch(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
}

static void run_grams(const char *text, int start, int end, int chars, void *ctx)
{
    struct grams_ctx *g = ctx;
    if (g->query) {
        /* one element per term: its unigram, or its bigrams */
        gd_strbuf_adds(g->out, g->out->len > 1 ? ",\"" : "\"");
        g->first = true;
    }
    for (int p = start; p < end;) {
        int q = p + char_len((unsigned char)text[p]);
        q = q > end ? end : q;
        int r = q < end ? q + char_len((unsigned char)text[q]) : q;
        r = r > end ? end : r;
        if (g->query) {
            if (chars == 1 || q < end) {
                add_token(g->out, g->first, text + p, (chars == 1 ? q : r) - p);
                g->first = false;
            }
        } else {
            add_elem(g->out, text + p, q - p);
            if (q < end) {
                add_elem(g->out, text + p, r - p);
            }
        }
        p = q;
    }
    if (g->query) {
        gd_strbuf_addch(g->out, '"');
    }
}

void gd_pg__shop_gram(char *out, int64_t shop_id)
{
    snprintf(out, GD_PG_SHOP_GRAM, "shop %lld", (long long)shop_id);
}

void gd_pg__grams(struct gd_strbuf *out, int64_t shop_id, const char *text)
{
    struct grams_ctx g = {out, false, false};
    gd_strbuf_addch(out, '{');
    each_run(text ? text : "", run_grams, &g);
    if (shop_id) {
        char shop[GD_PG_SHOP_GRAM];
        gd_pg__shop_gram(shop, shop_id);
        add_elem(out, shop, (int)strlen(shop));
    }
    gd_strbuf_addch(out, '}');
}

static void run_term(const char *text, int start, int end, int chars, void *ctx)
{
    (void)chars;
    add_elem(ctx, text + start, end - start);
}

bool gd_pg__query(const char *q, struct gd_strbuf *grams, struct gd_strbuf *terms)
{
    struct grams_ctx g = {grams, true, false};
    gd_strbuf_addch(grams, '{');
    each_run(q ? q : "", run_grams, &g);
    gd_strbuf_addch(grams, '}');
    gd_strbuf_addch(terms, '{');
    each_run(q ? q : "", run_term, terms);
    gd_strbuf_addch(terms, '}');
    return terms->len > 2;
}

void gd_pg__fold(struct gd_strbuf *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        gd_strbuf_addch(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
}

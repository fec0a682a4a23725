/* The chat-side panel (docs/panel.md): which origins may frame a shop's /panel, the secret its
 * integration signs panel links with, and the exchange of a signed link for a session.
 *
 * A link names the shop, the user, what to open (an order number or a buyer) and when it
 * expires (Unix seconds, at most GD_PANEL_LINK_MAX_S ahead), and is signed with HMAC-SHA256 over
 * one line per field (gd_svc_panel_link_message). It signs in once: its signature's digest is
 * kept until it expires, and a second use is refused. Every refusal of a well-formed link
 * is 401 with the field that failed (exp: expired or too far ahead; sig: the signature, the user
 * or the shop; link: used already), never saying which of user, shop or secret was wrong. */
#include <ctype.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "core/perm.h"
#include "service/svc_int.h"

static int owner_or_lead(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_role_is_shop_lead(actor->role)) {
        return gd_err_set(err, GD_EPERM,
                          "the chat panel's settings are the shop owner's and "
                          "leads'");
    }
    return GD_OK;
}

int gd_svc_panel_settings_get(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                              struct gd_panel_settings *out, struct gd_err *err)
{
    const char *secret;
    int ret;

    if ((ret = owner_or_lead(actor, err)) ||
        (ret = GD_STORE(svc->store, panel_get, actor->shop_id, a, &out->origins, &secret, err))) {
        return ret;
    }
    out->has_secret = secret != NULL;
    return GD_OK;
}

/* Is s[0..n) a host name (letters, digits, '-' and '.', labels not empty), as an origin has? */
static bool host_ok(const char *s, size_t n)
{
    if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.' || s[0] == '-') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(isalnum((unsigned char)c) || c == '-' || c == '.') ||
            (c == '.' && i + 1 < n && s[i + 1] == '.')) {
            return false;
        }
    }
    return true;
}

/* Checks one origin (scheme://host[:port], nothing after) and writes it lower-cased to sb.
 * https for any host; http only for this machine (127.0.0.1, localhost), for development. */
static bool origin_ok(const char *o, struct gd_strbuf *sb)
{
    bool https = strncasecmp(o, "https://", 8) == 0;
    const char *host = o + (https ? 8 : 7);
    if (!https && strncasecmp(o, "http://", 7) != 0) {
        return false;
    }
    size_t hn = strcspn(host, ":");
    if (!host_ok(host, hn)) {
        return false;
    }
    if (!https && !((hn == 9 && strncasecmp(host, "127.0.0.1", 9) == 0) ||
                    (hn == 9 && strncasecmp(host, "localhost", 9) == 0))) {
        return false;
    }
    if (host[hn] == ':') {
        const char *p = host + hn + 1;
        size_t pn = strspn(p, "0123456789");
        if (pn == 0 || pn > 5 || p[pn] || p[0] == '0' || strtol(p, NULL, 10) > 65535) {
            return false;
        }
    } else if (host[hn]) {
        return false;
    }
    for (const char *c = o; *c; c++) {
        gd_strbuf_addch(sb, (char)tolower((unsigned char)*c));
    }
    return true;
}

/* A stored origin list (space-separated, each checked by origin_ok: nothing a JSON string would
 * escape) as a JSON array, for audit data. */
static void origins_json(struct gd_strbuf *sb, const char *list)
{
    gd_strbuf_addch(sb, '[');
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        gd_strbuf_adds(sb, p == list ? "\"" : ",\"");
        gd_strbuf_add(sb, p, n);
        gd_strbuf_addch(sb, '"');
        p += n + (p[n] == ' ');
    }
    gd_strbuf_addch(sb, ']');
}

struct origins_change {
    const struct gd_actor *actor;
    struct gd_arena *a;
    struct gd_panel_settings *out; /* out->origins: the new list */
};

/* Writes the new list and, when it differs from the old, its audit event, in one unit. */
static int origins_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct origins_change *x = ctx;
    const char *old, *secret, *want = x->out->origins;
    struct gd_strbuf data = GD_STRBUF_INIT;
    int ret = GD_STORE(svc->store, panel_get, x->actor->shop_id, x->a, &old, &secret, err);

    if (!ret) {
        ret =
            GD_STORE(svc->store, panel_put, x->actor->shop_id, want, NULL, gd_clock_now_ms(), err);
    }
    if (!ret && strcmp(old, want) != 0) {
        gd_strbuf_adds(&data, "{\"origins\":{\"from\":");
        origins_json(&data, old);
        gd_strbuf_adds(&data, ",\"to\":");
        origins_json(&data, want);
        gd_strbuf_adds(&data, "}}");
        ret = gd_svc__audit(svc, x->actor, x->actor->shop_id, "panel.origins_changed", 0,
                            x->actor->shop_id, data.buf, err);
    }
    gd_strbuf_release(&data);
    x->out->has_secret = secret != NULL;
    return ret;
}

int gd_svc_panel_origins_set(struct gd_svc *svc, const struct gd_actor *actor,
                             const char *const *origins, int n, struct gd_arena *a,
                             struct gd_panel_settings *out, struct gd_err *err)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    int ret;

    if ((ret = owner_or_lead(actor, err))) {
        return ret;
    }
    if (n > GD_PANEL_ORIGINS_MAX) {
        return gd_err_field(err, GD_EINVAL, "origins", "at most %d origins", GD_PANEL_ORIGINS_MAX);
    }
    for (int i = 0; i < n; i++) {
        size_t start = sb.len + (i > 0);
        if (i) {
            gd_strbuf_addch(&sb, ' ');
        }
        if (strlen(origins[i]) > GD_PANEL_ORIGIN_MAX || !origin_ok(origins[i], &sb)) {
            gd_strbuf_release(&sb);
            return gd_err_field(err, GD_EINVAL, "origins",
                                "origins[%d] must be an origin "
                                "https://host[:port] without a path (http:// only for "
                                "127.0.0.1 or localhost)",
                                i);
        }
        /* the same origin twice is a mistake the owner should see */
        const char *mine = gd_arena_strndup(a, sb.buf + start, sb.len - start);
        for (const char *p = sb.buf; p < sb.buf + start;) {
            size_t len = strcspn(p, " ");
            if (len == strlen(mine) && strncmp(p, mine, len) == 0) {
                gd_strbuf_release(&sb);
                return gd_err_field(err, GD_EINVAL, "origins", "origins[%d] is listed twice", i);
            }
            p += len + 1;
        }
    }
    out->origins = gd_arena_strdup(a, sb.len ? sb.buf : "");
    gd_strbuf_release(&sb);
    struct origins_change x = {actor, a, out};
    return gd_svc__uow_run(svc, actor->shop_id, origins_unit, &x, err);
}

struct secret_change {
    const struct gd_actor *actor;
    const char *secret;
};

/* Keeps the new secret with its audit event (which never holds the secret). */
static int secret_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct secret_change *x = ctx;
    int64_t shop = x->actor->shop_id;
    int ret = GD_STORE(svc->store, panel_put, shop, NULL, x->secret, gd_clock_now_ms(), err);
    return ret ? ret
               : gd_svc__audit(svc, x->actor, shop, "panel.secret_rotated", 0, shop, "{}", err);
}

int gd_svc_panel_secret_rotate(struct gd_svc *svc, const struct gd_actor *actor,
                               char out[GD_PANEL_SECRET_LEN], struct gd_err *err)
{
    char raw[GD_TOKEN_LEN];
    int ret;

    if ((ret = owner_or_lead(actor, err))) {
        return ret;
    }
    gd_secret_token(raw);
    snprintf(out, GD_PANEL_SECRET_LEN, "gdp_%s", raw);
    struct secret_change x = {actor, out};
    return gd_svc__uow_run(svc, actor->shop_id, secret_unit, &x, err);
}

int gd_svc_panel_frame_origins(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a,
                               const char **origins, struct gd_err *err)
{
    const char *secret;
    *origins = "";
    return shop_id ? GD_STORE(svc->store, panel_get, shop_id, a, origins, &secret, err) : GD_OK;
}

const char *gd_svc_panel_link_message(struct gd_arena *a, int64_t shop_id, const char *user,
                                      const char *order_no, const char *buyer, int64_t exp)
{
    return gd_arena_printf(a, "gongdan-panel-v1\n%lld\n%s\n%s\n%s\n%lld", (long long)shop_id, user,
                           order_no ? order_no : "", buyer ? buyer : "", (long long)exp);
}

/* A link's text field: at most 64 characters of UTF-8 without control characters (a line
 * break would let two links share one signed message). */
static int link_text(const char *field, const char *s, bool required, struct gd_err *err)
{
    if (gd_svc__text(field, s, required, 64, err)) {
        return GD_EINVAL;
    }
    for (const char *c = s; c && *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return gd_err_field(err, GD_EINVAL, field, "%s has a control character", field);
        }
    }
    return GD_OK;
}

int gd_svc_panel_link_signin(struct gd_svc *svc, const struct gd_panel_link *l, struct gd_arena *a,
                             struct gd_login *out, struct gd_err *err)
{
    int64_t shop_id = gd_id_parse(l->shop), exp = gd_id_parse(l->exp);
    int64_t now_s = gd_clock_now_ms() / 1000;
    const char *origins, *secret;
    char want[GD_DIGEST_HEX], digest[GD_DIGEST_HEX], sig[GD_DIGEST_HEX];
    int ret;

    memset(out, 0, sizeof(*out));
    if (!shop_id) {
        return gd_err_field(err, GD_EINVAL, "shop", "shop must be the shop's id");
    }
    if (!exp) {
        return gd_err_field(err, GD_EINVAL, "exp", "exp must be a time in Unix seconds");
    }
    if (!l->sig || strlen(l->sig) != 64 || strspn(l->sig, "0123456789abcdefABCDEF") != 64) {
        return gd_err_field(err, GD_EINVAL, "sig", "sig must be 64 hexadecimal digits");
    }
    if (link_text("user", l->user, true, err) || link_text("order_no", l->order_no, false, err) ||
        link_text("buyer", l->buyer, false, err)) {
        return GD_EINVAL;
    }
    if (exp <= now_s) {
        return gd_err_field(err, GD_EAUTH, "exp", "the link has expired: ask for a new one");
    }
    if (exp > now_s + GD_PANEL_LINK_MAX_S) {
        return gd_err_field(err, GD_EAUTH, "exp", "exp is more than %d seconds ahead",
                            GD_PANEL_LINK_MAX_S);
    }
    if ((ret = GD_STORE(svc->store, panel_get, shop_id, a, &origins, &secret, err))) {
        return ret;
    }
    const char *msg = gd_svc_panel_link_message(a, shop_id, l->user, l->order_no, l->buyer, exp);
    gd_secret_hmac_hex(secret ? secret : "", msg, strlen(msg), want);
    for (int i = 0; i < 64; i++) {
        sig[i] = (char)tolower((unsigned char)l->sig[i]);
    }
    sig[64] = 0;
    if (!secret || !gd_secret_equal(sig, want)) {
        return gd_err_field(err, GD_EAUTH, "sig", "the link's signature is not right");
    }
    ret = GD_STORE(svc->store, user_get_by_username, l->user, a, &out->user, err);
    if (ret == GD_ENOTFOUND || (!ret && out->user.shop_id != shop_id)) {
        gd_err_clear(err);
        return gd_err_field(err, GD_EAUTH, "sig", "the link's signature is not right");
    }
    if (ret || (ret = gd_svc__may_sign_in(svc, &out->user, a, err))) {
        return ret;
    }
    gd_secret_sha256_hex(sig, 64, digest);
    ret = GD_STORE(svc->store, panel_link_use, shop_id, digest, exp * 1000, now_s * 1000, err);
    if (ret == GD_ECONFLICT) {
        gd_err_clear(err);
        return gd_err_field(err, GD_EAUTH, "link",
                            "the link was used already: ask for a new "
                            "one");
    }
    return ret ? ret : gd_svc__session_start(svc, out, err);
}

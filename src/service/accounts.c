/* Sign-in, sessions, API tokens, shops and users. Passwords are checked with argon2id only at
 * sign-in; sessions and tokens are random and stored as SHA-256 digests.
 *
 * Sign-in throttling: per account, 5 failed sign-ins within 15 minutes lock the account for 5
 * minutes (and while the 15 minutes last, each further failure after a lock locks it again);
 * per client address (an IPv6 client's /64), 30 failed sign-ins within 15 minutes lock the
 * address for 15 minutes. A locked sign-in answers 429 with Retry-After without checking the
 * password. The counts live in the database under exact keys (every process on it shares
 * them), and an attempt is counted before its password is checked and taken back when it
 * succeeds, so parallel guesses cannot get past the limit. An unknown user name costs one
 * argon2id verification like a known one, and is throttled like one, so neither the time nor
 * the answer tells which names exist. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "service/svc_int.h"

#define SESSION_TTL_MS (12 * 3600 * 1000LL)
#define USER_FAIL_MAX 5
#define USER_WINDOW_MS (15 * 60 * 1000LL)
#define USER_LOCK_MS (5 * 60 * 1000LL)
#define ADDR_FAIL_MAX 30
#define ADDR_WINDOW_MS (15 * 60 * 1000LL)
#define ADDR_LOCK_MS (15 * 60 * 1000LL)
#define PRUNE_EVERY 256 /* sign-ins between sweeps of expired throttling rows */

static _Atomic long signin_throttled_total;
static _Atomic long signins_seen;

void gd_svc_signin_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_signin_throttled_total Sign-ins refused with 429 because "
                   "the account or the client address is locked.\n"
                   "# TYPE gongdan_signin_throttled_total counter\n"
                   "gongdan_signin_throttled_total %ld\n",
                   atomic_load(&signin_throttled_total));
}

/* A hash to verify unknown user names against, made once with the same argon2id parameters
 * as real ones: the work is the same whether the name exists or not. */
static char dummy_hash[GD_PWHASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    char pw[GD_TOKEN_LEN];
    gd_secret_token(pw);
    if (gd_secret_hash_password(pw, dummy_hash)) {
        dummy_hash[0] = 0;
    }
}

static bool verify(const char *pwhash, const char *password)
{
    if (pwhash) {
        return gd_secret_verify_password(pwhash, password);
    }
    pthread_once(&dummy_once, make_dummy_hash);
    if (dummy_hash[0]) {
        gd_secret_verify_password(dummy_hash, password);
    }
    return false;
}

static int refuse(struct gd_login *out, int64_t locked_until, int64_t now, const char *who, int max,
                  int64_t window_ms, int64_t lock_ms, struct gd_err *err)
{
    int64_t wait_s = (locked_until - now + 999) / 1000;
    out->retry_after_s = wait_s > 0 ? wait_s : 1;
    atomic_fetch_add(&signin_throttled_total, 1);
    return gd_err_set(err, GD_ELIMIT,
                      "too many failed sign-ins %s: the limit is %d within %lld "
                      "minutes, then sign-in is locked for %lld minutes; try "
                      "again in %lld seconds",
                      who, max, (long long)(window_ms / 60000), (long long)(lock_ms / 60000),
                      (long long)out->retry_after_s);
}

/* The throttling key of a client address. An IPv6 client commonly holds a whole /64, so its
 * addresses count together; an IPv4 address counts alone. */
static const char *addr_subject(struct gd_arena *a, const char *client_addr)
{
    struct in6_addr v6;
    char text[INET6_ADDRSTRLEN];

    if (client_addr && strchr(client_addr, ':') && inet_pton(AF_INET6, client_addr, &v6) == 1) {
        memset(&v6.s6_addr[8], 0, 8);
        inet_ntop(AF_INET6, &v6, text, sizeof(text));
        return gd_arena_printf(a, "addr:%s/64", text);
    }
    return gd_arena_printf(a, "addr:%s", client_addr && *client_addr ? client_addr : "?");
}

int gd_svc_login(struct gd_svc *svc, const char *username, const char *password,
                 const char *client_addr, struct gd_arena *a, struct gd_login *out,
                 struct gd_err *err)
{
    int64_t now = gd_clock_now_ms(), locked_until;
    const char *user_key, *addr_key;
    bool admitted;
    int ret;

    memset(out, 0, sizeof(*out));
    if (gd_svc__text("username", username, true, GD_NAME_MAX, err) ||
        gd_svc__text("password", password, true, 256, err)) {
        return GD_EINVAL;
    }
    if (atomic_fetch_add(&signins_seen, 1) % PRUNE_EVERY == 0) {
        GD_STORE(svc->store, login_attempts_prune, now,
                 ADDR_WINDOW_MS > USER_WINDOW_MS ? ADDR_WINDOW_MS : USER_WINDOW_MS, NULL);
    }
    user_key = gd_arena_printf(a, "user:%s", username);
    addr_key = addr_subject(a, client_addr);
    /* count the attempt first: a guess in flight already uses up one of the allowed */
    if ((ret = GD_STORE(svc->store, login_attempt_reserve, user_key, now, USER_WINDOW_MS,
                        USER_FAIL_MAX, USER_LOCK_MS, &admitted, &locked_until, err))) {
        return ret;
    }
    if (!admitted) {
        return refuse(out, locked_until, now, "for this account", USER_FAIL_MAX, USER_WINDOW_MS,
                      USER_LOCK_MS, err);
    }
    if ((ret = GD_STORE(svc->store, login_attempt_reserve, addr_key, now, ADDR_WINDOW_MS,
                        ADDR_FAIL_MAX, ADDR_LOCK_MS, &admitted, &locked_until, err))) {
        return ret;
    }
    if (!admitted) {
        /* the account's attempt was never tried */
        GD_STORE(svc->store, login_attempt_release, user_key, USER_FAIL_MAX, NULL);
        return refuse(out, locked_until, now, "from this address", ADDR_FAIL_MAX, ADDR_WINDOW_MS,
                      ADDR_LOCK_MS, err);
    }
    ret = GD_STORE(svc->store, user_get_by_username, username, a, &out->user, NULL);
    if (ret != GD_OK && ret != GD_ENOTFOUND) {
        return gd_err_set(err, GD_EDB, "database error");
    }
    if (!verify(ret == GD_OK ? out->user.pwhash : NULL, password)) {
        return gd_err_set(err, GD_EAUTH, "wrong username or password");
    }
    GD_STORE(svc->store, login_attempt_forget, user_key, NULL);
    GD_STORE(svc->store, login_attempt_release, addr_key, ADDR_FAIL_MAX, NULL);
    if ((ret = gd_svc__may_sign_in(svc, &out->user, a, err))) {
        return ret;
    }
    return gd_svc__session_start(svc, out, err);
}

int gd_svc__session_start(struct gd_svc *svc, struct gd_login *out, struct gd_err *err)
{
    int64_t now = gd_clock_now_ms();
    char digest[GD_DIGEST_HEX];

    gd_secret_token(out->session);
    gd_secret_token(out->csrf);
    gd_secret_sha256_hex(out->session, strlen(out->session), digest);
    return GD_STORE(svc->store, session_insert, digest, out->user.id, out->csrf, now,
                    now + SESSION_TTL_MS, err);
}

int gd_svc_logout(struct gd_svc *svc, const char *session)
{
    char digest[GD_DIGEST_HEX];
    gd_secret_sha256_hex(session, strlen(session), digest);
    int ret = GD_STORE(svc->store, session_delete, digest, NULL);
    gd_svc__credentials_revoked(svc); /* streams opened with it end */
    return ret;
}

static void to_actor(const struct gd_user *u, struct gd_actor *actor)
{
    actor->user_id = u->id;
    actor->shop_id = u->shop_id;
    actor->role = u->role;
    actor->username = u->username;
    actor->display_name = u->display_name;
    actor->must_change_password = u->must_change_password;
}

/* A session's or token's user: from this thread's cache while the generation of the user's
 * shop is the one read before the look-up that filled it (credcache.c), else from the
 * database. The generation is read before anything about the user, so a principal kept at it
 * is never older than the data: a revocation committed before this request arrived has moved
 * it (docs/decisions.md, "Signed-in principals are cached per generation"). */
static int auth(struct gd_svc *svc, int kind, const char *secret, struct gd_arena *a,
                struct gd_actor *actor, const char **csrf, struct gd_svc_gen *gen,
                struct gd_err *err)
{
    char digest[GD_DIGEST_HEX];
    int64_t now = gd_clock_now_ms(), shop_id = 0, generation = 0, expires_at = 0;
    bool have_gen = false;
    const char *c = NULL;
    struct gd_user u;
    int ret;

    gd_secret_sha256_hex(secret, strlen(secret), digest);
    if (gen) {
        gen->set = false;
    }
    /* a failed read (SQLite: a write of the shop being committed) only means a look-up */
    if (gd_svc__credcache_shop(svc, kind, digest, &shop_id) &&
        GD_STORE(svc->store, shop_generation, shop_id, &generation) == GD_OK) {
        have_gen = true;
        if (gen) {
            *gen = (struct gd_svc_gen){.shop_id = shop_id, .value = generation, .set = true};
        }
        if (gd_svc__credcache_get(svc, kind, digest, generation, now, a, actor, csrf)) {
            return GD_OK;
        }
    }
    gd_svc__credcache_missed();
    ret = kind == GD_CRED_SESSION
              ? GD_STORE(svc->store, session_get, digest, now, a, &u, &c, &expires_at, NULL)
              : GD_STORE(svc->store, token_get, digest, a, &u, NULL);
    if (ret == GD_ENOTFOUND) {
        gd_svc__credcache_forget(svc, kind, digest);
        return gd_err_set(err, GD_EAUTH, "%s",
                          kind == GD_CRED_SESSION ? "the session has expired or was signed out"
                                                  : "unknown API token");
    }
    if (ret) {
        return gd_err_set(err, ret, "database error");
    }
    gd_svc__credcache_put(svc, kind, digest, &u, c, expires_at,
                          have_gen && u.shop_id == shop_id ? &generation : NULL);
    to_actor(&u, actor);
    if (csrf) {
        *csrf = c;
    }
    return GD_OK;
}

int gd_svc_auth_session(struct gd_svc *svc, const char *session, struct gd_arena *a,
                        struct gd_actor *actor, const char **csrf, struct gd_svc_gen *gen,
                        struct gd_err *err)
{
    return auth(svc, GD_CRED_SESSION, session, a, actor, csrf, gen, err);
}

int gd_svc_auth_token(struct gd_svc *svc, const char *token, struct gd_arena *a,
                      struct gd_actor *actor, struct gd_svc_gen *gen, struct gd_err *err)
{
    return auth(svc, GD_CRED_TOKEN, token, a, actor, NULL, gen, err);
}

int gd_svc_shop_add(struct gd_svc *svc, const char *name, int64_t *id, struct gd_err *err)
{
    if (gd_svc__text("name", name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    struct gd_shop shop = {.id = gd_id_new(), .name = name, .created_at = gd_clock_now_ms()};
    int ret = GD_STORE(svc->store, shop_insert, &shop, err);
    if (ret == GD_ECONFLICT) {
        return gd_err_field(err, GD_ECONFLICT, "name", "a shop named '%s' exists", name);
    }
    *id = shop.id;
    return ret;
}

static bool username_ok(const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == '@' || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return true;
}

int gd_svc__user_new(int64_t shop_id, const char *username, const char *display_name, int role,
                     const char *password, bool must_change, struct gd_arena *a,
                     struct gd_user *out, struct gd_err *err)
{
    if (gd_svc__text("username", username, true, GD_NAME_MAX, err) ||
        gd_svc__text("display_name", display_name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    if (!username_ok(username)) {
        return gd_err_field(err, GD_EINVAL, "username",
                            "username may use letters, digits and "
                            "_ . - @ only");
    }
    if (gd_svc__password_check("password", password, err)) {
        return GD_EINVAL;
    }
    if (role < 0) {
        return gd_err_field(err, GD_EINVAL, "role", "unknown role");
    }
    if (gd_role_is_platform(role) != (shop_id == 0)) {
        return gd_err_field(err, GD_EINVAL, "shop",
                            gd_role_is_platform(role) ? "platform roles belong to no shop"
                                                      : "shop roles need a shop");
    }
    char *hash = gd_arena_zalloc(a, GD_PWHASH_LEN);
    if (gd_secret_hash_password(password, hash)) {
        return gd_err_set(err, GD_EIO, "cannot hash password");
    }
    *out = (struct gd_user){
        .id = gd_id_new(),
        .shop_id = shop_id,
        .username = username,
        .display_name = display_name,
        .role = role,
        .pwhash = hash,
        .created_at = gd_clock_now_ms(),
        .active = true,
        .must_change_password = must_change,
    };
    return GD_OK;
}

int gd_svc_user_add(struct gd_svc *svc, int64_t shop_id, const char *username,
                    const char *display_name, int role, const char *password, int64_t *id,
                    struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user u;
    int ret = gd_svc__user_new(shop_id, username, display_name, role, password, false, &a, &u, err);
    if (!ret) {
        ret = GD_STORE(svc->store, user_insert, &u, err);
        *id = u.id;
    }
    gd_arena_release(&a);
    return ret;
}

int gd_svc_token_create(struct gd_svc *svc, int64_t user_id, const char *name, char out[64],
                        struct gd_err *err)
{
    char raw[GD_TOKEN_LEN], digest[GD_DIGEST_HEX];

    if (gd_svc__text("name", name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    gd_secret_token(raw);
    snprintf(out, 64, "gdt_%s", raw);
    gd_secret_sha256_hex(out, strlen(out), digest);
    return GD_STORE(svc->store, token_insert, digest, gd_id_new(), user_id, name, gd_clock_now_ms(),
                    err);
}

int gd_svc_users_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                      struct gd_arena *a, struct gd_user **out, int *count, struct gd_err *err)
{
    return GD_STORE(svc->store, users_list,
                    gd_role_is_platform(actor->role) ? shop_id : actor->shop_id, a, out, count,
                    err);
}

int gd_svc_shops_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                      struct gd_shop **out, int *count, struct gd_err *err)
{
    if (gd_role_is_platform(actor->role)) {
        return GD_STORE(svc->store, shops_list, a, out, count, err);
    }
    /* a shop's staff know only their own shop */
    *out = gd_arena_zalloc(a, sizeof(**out));
    *count = 1;
    return GD_STORE(svc->store, shop_get, actor->shop_id, a, *out, err);
}

int gd_svc_user_get(struct gd_svc *svc, int64_t user_id, struct gd_arena *a, struct gd_user *out,
                    struct gd_err *err)
{
    return GD_STORE(svc->store, user_get, user_id, a, out, err);
}

int gd_svc_shop_get(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a, struct gd_shop *out,
                    struct gd_err *err)
{
    return GD_STORE(svc->store, shop_get, shop_id, a, out, err);
}

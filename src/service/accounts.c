/* Sign-in, sessions, API tokens, shops and users. Passwords are checked with argon2id only at
 * sign-in, and repeated failures for a username are throttled (5 failures in 15 minutes lock
 * it for 5 minutes); sessions and tokens are random and stored as SHA-256 digests. */
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "service/svc_int.h"

#define SESSION_TTL_MS (12 * 3600 * 1000LL)
#define FAIL_WINDOW_MS (15 * 60 * 1000LL)
#define FAIL_MAX 5
#define LOCK_MS (5 * 60 * 1000LL)

static struct gd_login_fail *fail_slot(struct gd_svc_shared *sh, const char *username)
{
    unsigned h = 5381;
    for (const char *p = username; *p; p++) {
        h = h * 33 + (unsigned char)*p;
    }
    return &sh->fails[h % 256];
}

static bool throttled(struct gd_svc_shared *sh, const char *username, int64_t now)
{
    pthread_mutex_lock(&sh->lock);
    struct gd_login_fail *f = fail_slot(sh, username);
    bool locked = strcmp(f->username, username) == 0 && f->locked_until > now;
    pthread_mutex_unlock(&sh->lock);
    return locked;
}

static void record_failure(struct gd_svc_shared *sh, const char *username, int64_t now)
{
    pthread_mutex_lock(&sh->lock);
    struct gd_login_fail *f = fail_slot(sh, username);
    if (strcmp(f->username, username) != 0 || now - f->first_at > FAIL_WINDOW_MS) {
        snprintf(f->username, sizeof(f->username), "%s", username);
        f->failures = 0;
        f->first_at = now;
        f->locked_until = 0;
    }
    if (++f->failures >= FAIL_MAX) {
        f->locked_until = now + LOCK_MS;
    }
    pthread_mutex_unlock(&sh->lock);
}

static void record_success(struct gd_svc_shared *sh, const char *username)
{
    pthread_mutex_lock(&sh->lock);
    struct gd_login_fail *f = fail_slot(sh, username);
    if (strcmp(f->username, username) == 0) {
        memset(f, 0, sizeof(*f));
    }
    pthread_mutex_unlock(&sh->lock);
}

int gd_svc_login(struct gd_svc *svc, const char *username, const char *password,
                 struct gd_arena *a, struct gd_login *out, struct gd_err *err)
{
    int64_t now = gd_clock_now_ms();
    char digest[GD_DIGEST_HEX];
    int ret;

    if (gd_svc__text("username", username, true, GD_NAME_MAX, err) ||
        gd_svc__text("password", password, true, 256, err)) {
        return GD_EINVAL;
    }
    if (throttled(svc->shared, username, now)) {
        return gd_err_set(err, GD_ELIMIT, "too many failed sign-ins for '%s'; try again in a few "
                                          "minutes", username);
    }
    ret = GD_STORE(svc->store, user_get_by_username, username, a, &out->user, NULL);
    if (ret == GD_EDB) {
        return gd_err_set(err, GD_EDB, "database error");
    }
    if (ret != GD_OK || !gd_secret_verify_password(out->user.pwhash, password)) {
        record_failure(svc->shared, username, now);
        return gd_err_set(err, GD_EAUTH, "wrong username or password");
    }
    record_success(svc->shared, username);
    gd_secret_token(out->session);
    gd_secret_token(out->csrf);
    gd_secret_sha256_hex(out->session, strlen(out->session), digest);
    ret = GD_STORE(svc->store, session_insert, digest, out->user.id, out->csrf, now,
                   now + SESSION_TTL_MS, err);
    return ret;
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
}

int gd_svc_auth_session(struct gd_svc *svc, const char *session, struct gd_arena *a,
                        struct gd_actor *actor, const char **csrf, struct gd_err *err)
{
    char digest[GD_DIGEST_HEX];
    struct gd_user u;

    gd_secret_sha256_hex(session, strlen(session), digest);
    int ret = GD_STORE(svc->store, session_get, digest, gd_clock_now_ms(), a, &u, csrf, NULL);
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_EAUTH, "the session has expired or was signed out");
    }
    if (ret) {
        return gd_err_set(err, ret, "database error");
    }
    to_actor(&u, actor);
    return GD_OK;
}

int gd_svc_auth_token(struct gd_svc *svc, const char *token, struct gd_arena *a,
                      struct gd_actor *actor, struct gd_err *err)
{
    char digest[GD_DIGEST_HEX];
    struct gd_user u;

    gd_secret_sha256_hex(token, strlen(token), digest);
    int ret = GD_STORE(svc->store, token_get, digest, a, &u, NULL);
    if (ret == GD_ENOTFOUND) {
        return gd_err_set(err, GD_EAUTH, "unknown API token");
    }
    if (ret) {
        return gd_err_set(err, ret, "database error");
    }
    to_actor(&u, actor);
    return GD_OK;
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

int gd_svc_user_add(struct gd_svc *svc, int64_t shop_id, const char *username,
                    const char *display_name, int role, const char *password, int64_t *id,
                    struct gd_err *err)
{
    char hash[GD_PWHASH_LEN];

    if (gd_svc__text("username", username, true, GD_NAME_MAX, err) ||
        gd_svc__text("display_name", display_name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    if (!username_ok(username)) {
        return gd_err_field(err, GD_EINVAL, "username", "username may use letters, digits and "
                                                        "_ . - @ only");
    }
    if (!password || strlen(password) < 8 || strlen(password) > 256) {
        return gd_err_field(err, GD_EINVAL, "password", "password must be 8 to 256 bytes long");
    }
    if (role < 0) {
        return gd_err_field(err, GD_EINVAL, "role", "unknown role");
    }
    if (gd_role_is_platform(role) != (shop_id == 0)) {
        return gd_err_field(err, GD_EINVAL, "shop", gd_role_is_platform(role)
                                ? "platform roles belong to no shop"
                                : "shop roles need a shop");
    }
    if (gd_secret_hash_password(password, hash)) {
        return gd_err_set(err, GD_EIO, "cannot hash password");
    }
    struct gd_user u = {
        .id = gd_id_new(),
        .shop_id = shop_id,
        .username = username,
        .display_name = display_name,
        .role = role,
        .pwhash = hash,
        .created_at = gd_clock_now_ms(),
    };
    int ret = GD_STORE(svc->store, user_insert, &u, err);
    *id = u.id;
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
    return GD_STORE(svc->store, token_insert, digest, gd_id_new(), user_id, name,
                    gd_clock_now_ms(), err);
}

int gd_svc_users_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                      struct gd_user **out, int *count, struct gd_err *err)
{
    return GD_STORE(svc->store, users_list, actor->shop_id, a, out, count, err);
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

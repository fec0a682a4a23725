/* People and shops after their creation (docs/people.md): managers add users, set roles,
 * reset passwords and (de)activate; everyone renames themselves and changes their password;
 * platform admins keep shops. Each change is one unit of work with its audit event, so a
 * refused or failed change writes nothing; a change that ends credentials tells the live
 * streams after its commit (gd_svc__credentials_revoked). */
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "service/svc_int.h"

#define AUDIT_LIST_MAX 200

int gd_svc__password_check(const char *field, const char *password, struct gd_err *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < 8 || n > 256) {
        return gd_err_field(err, GD_EINVAL, field, "%s must be 8 to 256 bytes long", field);
    }
    return GD_OK;
}

int gd_svc__may_sign_in(struct gd_svc *svc, const struct gd_user *u, struct gd_arena *a,
                        struct gd_err *err)
{
    struct gd_shop shop;

    if (!u->active) {
        return gd_err_set(err, GD_EAUTH,
                          "this account is deactivated: ask your shop's owner or "
                          "lead to reactivate it");
    }
    if (u->shop_id) {
        int ret = GD_STORE(svc->store, shop_get, u->shop_id, a, &shop, err);
        if (ret) {
            return ret;
        }
        if (!shop.active) {
            return gd_err_set(err, GD_EAUTH,
                              "this shop is deactivated: ask the platform to "
                              "reactivate it");
        }
    }
    return GD_OK;
}

int gd_svc__audit(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                  const char *action, int64_t target_user, int64_t target_shop, const char *data,
                  struct gd_err *err)
{
    struct gd_audit_event ev = {
        .id = gd_id_new(),
        .shop_id = shop_id,
        .actor_id = actor->user_id,
        .action = action,
        .target_user_id = target_user,
        .target_shop_id = target_shop,
        .data = data,
        .at = gd_clock_now_ms(),
    };
    return GD_STORE(svc->store, audit_insert, &ev, err);
}

/* {"field":{"from":..,"to":..}} pieces of audit data */
static void change_str(struct gd_strbuf *sb, const char *k, const char *from, const char *to)
{
    gd_strbuf_addch(sb, sb->len ? ',' : '{');
    gd_strbuf_add_json_str(sb, k);
    gd_strbuf_adds(sb, ":{\"from\":");
    gd_strbuf_add_json_str(sb, from);
    gd_strbuf_adds(sb, ",\"to\":");
    gd_strbuf_add_json_str(sb, to);
    gd_strbuf_addch(sb, '}');
}

/* ---- users ---- */

struct create_ctx {
    const struct gd_actor *actor;
    struct gd_user *u;
};

static int create_uow(struct gd_svc *svc, void *p, struct gd_err *err)
{
    struct create_ctx *c = p;
    struct gd_strbuf data = {0};
    int ret = GD_STORE(svc->store, user_insert, c->u, err);

    if (!ret) {
        gd_svc__kv_str(&data, "username", c->u->username);
        gd_svc__kv_str(&data, "display_name", c->u->display_name);
        gd_svc__kv_str(&data, "role", gd_role_name(c->u->role));
        gd_svc__kv_close(&data);
        ret =
            gd_svc__audit(svc, c->actor, c->u->shop_id, "user.created", c->u->id, 0, data.buf, err);
    }
    gd_strbuf_release(&data);
    return ret;
}

int gd_svc_user_create(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                       const char *username, const char *display_name, int role,
                       const char *password, struct gd_arena *a, struct gd_user *out,
                       struct gd_err *err)
{
    struct gd_shop shop;
    int ret;

    if (actor->role != GD_ROLE_PLATFORM_ADMIN) {
        shop_id = actor->shop_id; /* a shop's managers add to their own shop only */
    }
    if (role >= 0 && gd_role_is_platform(role) != (shop_id == 0)) {
        return gd_err_field(err, GD_EINVAL, "role", "%s",
                            shop_id ? "a shop's users have shop roles (shop_owner, shop_lead, "
                                      "shop_agent)"
                                    : "platform staff have platform roles (platform_agent, "
                                      "platform_supervisor, platform_admin)");
    }
    if (!gd_perm_can_manage_user(actor, shop_id, role, role)) {
        return gd_err_field(err, GD_EPERM, "role", "%s",
                            gd_role_is_shop_lead(actor->role)
                                ? "a lead adds agents and leads only"
                                : "only a shop's owner and leads, and platform admins, add users");
    }
    if (shop_id) {
        if ((ret = GD_STORE(svc->store, shop_get, shop_id, a, &shop, err))) {
            return ret == GD_ENOTFOUND ? gd_err_field(err, GD_EINVAL, "shop_id", "no such shop")
                                       : ret;
        }
    }
    if ((ret = gd_svc__user_new(shop_id, username, display_name, role, password, true, a, out,
                                err))) {
        return ret;
    }
    struct create_ctx c = {actor, out};
    return gd_svc__uow_run(svc, shop_id, create_uow, &c, err);
}

/* The user `id` as `actor` may see them: another shop's user does not exist for a shop's staff
 * (404); platform admins see everyone, other platform staff only platform staff. */
static int load_target(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                       struct gd_arena *a, struct gd_user *u, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, user_get, id, a, u, err);
    if (ret && ret != GD_ENOTFOUND) {
        return ret;
    }
    if (ret || (actor->role != GD_ROLE_PLATFORM_ADMIN && u->shop_id != actor->shop_id)) {
        return gd_err_set(err, GD_ENOTFOUND, "no such user");
    }
    return GD_OK;
}

/* How many active owners shop `shop_id` has. */
static int active_owners(struct gd_svc *svc, int64_t shop_id, int *n, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user *users;
    int count, ret = GD_STORE(svc->store, users_list, shop_id, &a, &users, &count, err);

    *n = 0;
    for (int i = 0; !ret && i < count; i++) {
        *n += users[i].active && users[i].role == GD_ROLE_SHOP_OWNER;
    }
    gd_arena_release(&a);
    return ret;
}

struct change_ctx {
    const struct gd_actor *actor;
    int64_t id;
    const struct gd_user_change *c;
    const char *password; /* a reset */
    struct gd_arena *a;
    struct gd_user *out;
    bool revoked;
};

static int change_uow(struct gd_svc *svc, void *p, struct gd_err *err)
{
    struct change_ctx *x = p;
    const struct gd_user_change *c = x->c;
    struct gd_user before, *u = x->out;
    struct gd_strbuf data = {0};
    const char *action;
    int ret, removed;

    x->revoked = false;
    if ((ret = load_target(svc, x->actor, x->id, x->a, &before, err))) {
        return ret;
    }
    *u = before;
    if (!gd_perm_can_manage_user(x->actor, before.shop_id, before.role, c->role)) {
        if (c->role >= 0 && gd_role_is_platform(c->role) != (before.shop_id == 0)) {
            return gd_err_field(err, GD_EINVAL, "role", "%s",
                                before.shop_id ? "a shop's users have shop roles"
                                               : "platform staff have platform roles");
        }
        return gd_err_field(err, GD_EPERM, c->role >= 0 ? "role" : "id", "%s",
                            before.role == GD_ROLE_SHOP_OWNER
                                ? "only the owner and platform admins manage an owner"
                            : c->role >= 0 && gd_role_is_shop_lead(x->actor->role)
                                ? "a lead gives no role above lead"
                                : "you may not manage this user");
    }
    if (before.id == x->actor->user_id && (c->role >= 0 || c->active >= 0 || x->password)) {
        return gd_err_field(err, GD_ECONFLICT,
                            c->active >= 0 ? "active"
                            : c->role >= 0 ? "role"
                                           : "password",
                            "you cannot change your own role, deactivate yourself "
                            "or reset your own password here (use /api/v1/me)");
    }
    if (c->display_name) {
        u->display_name = c->display_name;
    }
    if (c->role >= 0) {
        u->role = c->role;
    }
    if (c->active >= 0) {
        u->active = c->active != 0;
    }
    bool owner_lost = before.role == GD_ROLE_SHOP_OWNER && before.active &&
                      (u->role != GD_ROLE_SHOP_OWNER || !u->active);
    if (owner_lost) {
        int owners;
        if ((ret = active_owners(svc, before.shop_id, &owners, err))) {
            return ret;
        }
        if (owners <= 1) {
            return gd_err_field(err, GD_ECONFLICT, c->active == 0 ? "active" : "role",
                                "this is the shop's last active owner: make someone else owner "
                                "first");
        }
    }
    if (x->password) {
        char *hash = gd_arena_zalloc(x->a, GD_PWHASH_LEN);
        if (gd_secret_hash_password(x->password, hash)) {
            return gd_err_set(err, GD_EIO, "cannot hash password");
        }
        u->pwhash = hash;
        u->must_change_password = true;
        action = "user.password_reset";
    } else if (u->active != before.active) {
        action = u->active ? "user.reactivated" : "user.deactivated";
    } else if (u->role != before.role) {
        action = "user.role_changed";
    } else {
        action = "user.renamed";
    }
    if (strcmp(u->display_name, before.display_name) != 0) {
        change_str(&data, "display_name", before.display_name, u->display_name);
    }
    if (u->role != before.role) {
        change_str(&data, "role", gd_role_name(before.role), gd_role_name(u->role));
    }
    if (u->active != before.active) {
        change_str(&data, "active", before.active ? "true" : "false", u->active ? "true" : "false");
    }
    gd_svc__kv_close(&data);
    ret = GD_STORE(svc->store, user_update, u, err);
    if (!ret && (x->password || (before.active && !u->active))) {
        ret = GD_STORE(svc->store, user_credentials_revoke, u->id, NULL, &removed, err);
        x->revoked = true;
    }
    if (!ret && before.active && !u->active && u->shop_id) {
        /* their open work: the assignment rules that opt in place it now; the rest waits in
         * 待重新分配 (docs/assignment.md) */
        ret = gd_svc__reassign_open_work(svc, u->shop_id, u->id, x->actor->user_id, x->a, err);
    }
    if (!ret) {
        ret = gd_svc__audit(svc, x->actor, u->shop_id, action, u->id, 0, data.buf, err);
    }
    gd_strbuf_release(&data);
    return ret;
}

/* The transaction of the target's shop (a user never changes shop). */
static int target_shop(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                       struct gd_arena *a, int64_t *shop_id, struct gd_err *err)
{
    struct gd_user u;
    int ret = load_target(svc, actor, id, a, &u, err);
    *shop_id = u.shop_id;
    return ret;
}

static int run_change(struct gd_svc *svc, struct change_ctx *x, struct gd_err *err)
{
    int64_t shop_id = 0;
    int ret = target_shop(svc, x->actor, x->id, x->a, &shop_id, err);
    if (!ret) {
        ret = gd_svc__uow_run(svc, shop_id, change_uow, x, err);
    }
    if (!ret && x->revoked) {
        gd_svc__credentials_revoked(svc); /* open streams of theirs end now */
    }
    return ret;
}

int gd_svc_user_change(struct gd_svc *svc, const struct gd_actor *actor, int64_t user_id,
                       const struct gd_user_change *c, struct gd_arena *a, struct gd_user *out,
                       struct gd_err *err)
{
    if (c->display_name && gd_svc__text("display_name", c->display_name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    struct change_ctx x = {.actor = actor, .id = user_id, .c = c, .a = a, .out = out};
    return run_change(svc, &x, err);
}

int gd_svc_user_reset_password(struct gd_svc *svc, const struct gd_actor *actor, int64_t user_id,
                               const char *password, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user out;
    const struct gd_user_change keep = {.role = -1, .active = -1};

    if (gd_svc__password_check("password", password, err)) {
        return GD_EINVAL;
    }
    struct change_ctx x = {
        .actor = actor, .id = user_id, .c = &keep, .password = password, .a = &a, .out = &out};
    int ret = run_change(svc, &x, err);
    gd_arena_release(&a);
    return ret;
}

/* ---- oneself ---- */

struct me_ctx {
    const struct gd_actor *actor;
    const char *display_name, *current, *password;
};

static int me_uow(struct gd_svc *svc, void *p, struct gd_err *err)
{
    struct me_ctx *m = p;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_strbuf data = {0};
    struct gd_user u;
    const char *action = "user.renamed";
    int ret = GD_STORE(svc->store, user_get, m->actor->user_id, &a, &u, err);

    if (!ret && m->password) {
        char *hash = gd_arena_zalloc(&a, GD_PWHASH_LEN);
        if (!gd_secret_verify_password(u.pwhash, m->current)) {
            ret = gd_err_field(err, GD_EINVAL, "current_password", "current_password is wrong");
        } else if (gd_secret_verify_password(u.pwhash, m->password)) {
            ret = gd_err_field(err, GD_EINVAL, "new_password",
                               "new_password must differ from the current one");
        } else if (gd_secret_hash_password(m->password, hash)) {
            ret = gd_err_set(err, GD_EIO, "cannot hash password");
        }
        u.pwhash = hash;
        u.must_change_password = false;
        action = "user.password_changed";
    }
    if (!ret && m->display_name) {
        change_str(&data, "display_name", u.display_name, m->display_name);
        u.display_name = m->display_name;
    }
    gd_svc__kv_close(&data);
    if (!ret) {
        ret = GD_STORE(svc->store, user_update, &u, err);
    }
    if (!ret) {
        ret = gd_svc__audit(svc, m->actor, u.shop_id, action, u.id, 0, data.buf, err);
    }
    gd_strbuf_release(&data);
    gd_arena_release(&a);
    return ret;
}

int gd_svc_me_rename(struct gd_svc *svc, const struct gd_actor *actor, const char *display_name,
                     struct gd_err *err)
{
    if (gd_svc__text("display_name", display_name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    struct me_ctx m = {.actor = actor, .display_name = display_name};
    return gd_svc__uow_run(svc, actor->shop_id, me_uow, &m, err);
}

int gd_svc_me_password(struct gd_svc *svc, const struct gd_actor *actor, const char *current,
                       const char *password, struct gd_err *err)
{
    if (gd_svc__text("current_password", current, true, 256, err) ||
        gd_svc__password_check("new_password", password, err)) {
        return GD_EINVAL;
    }
    struct me_ctx m = {.actor = actor, .current = current, .password = password};
    return gd_svc__uow_run(svc, actor->shop_id, me_uow, &m, err);
}

/* ---- shops ---- */

struct shop_ctx {
    const struct gd_actor *actor;
    const char *name;
    int active;
    struct gd_arena *a;
    struct gd_shop *out;
    bool created;
};

static int shop_uow(struct gd_svc *svc, void *p, struct gd_err *err)
{
    struct shop_ctx *x = p;
    struct gd_shop before = *x->out, other;
    struct gd_strbuf data = {0};
    const char *action;
    int ret;

    if (x->name && (ret = GD_STORE(svc->store, shop_get_by_name, x->name, x->a, &other, NULL)) !=
                       GD_ENOTFOUND) {
        if (ret == GD_OK && other.id != before.id) {
            return gd_err_field(err, GD_ECONFLICT, "name", "a shop named '%s' exists", x->name);
        }
        if (ret != GD_OK) {
            return gd_err_set(err, GD_EDB, "database error");
        }
    }
    if (x->created) {
        ret = GD_STORE(svc->store, shop_insert, x->out, err);
        gd_svc__kv_str(&data, "name", x->out->name);
        action = "shop.created";
    } else {
        if ((ret = GD_STORE(svc->store, shop_get, x->out->id, x->a, &before, err))) {
            return ret;
        }
        *x->out = before;
        if (x->name) {
            x->out->name = x->name;
        }
        if (x->active >= 0) {
            x->out->active = x->active != 0;
        }
        if (strcmp(before.name, x->out->name) != 0) {
            change_str(&data, "name", before.name, x->out->name);
        }
        if (before.active != x->out->active) {
            change_str(&data, "active", before.active ? "true" : "false",
                       x->out->active ? "true" : "false");
        }
        action = before.active != x->out->active
                     ? (x->out->active ? "shop.reactivated" : "shop.deactivated")
                     : "shop.renamed";
        ret = GD_STORE(svc->store, shop_update, x->out, err);
    }
    gd_svc__kv_close(&data);
    if (!ret) {
        ret = gd_svc__audit(svc, x->actor, x->out->id, action, 0, x->out->id, data.buf, err);
    }
    gd_strbuf_release(&data);
    return ret;
}

static int shop_checks(const struct gd_actor *actor, const char *name, struct gd_err *err)
{
    if (!gd_perm_can_manage_shops(actor)) {
        return gd_err_set(err, GD_EPERM, "only platform admins create and change shops");
    }
    if (name && gd_svc__text("name", name, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    return GD_OK;
}

int gd_svc_shop_create(struct gd_svc *svc, const struct gd_actor *actor, const char *name,
                       struct gd_arena *a, struct gd_shop *out, struct gd_err *err)
{
    if (shop_checks(actor, name, err)) {
        return err->code;
    }
    if (!name) {
        return gd_err_field(err, GD_EINVAL, "name", "name is required");
    }
    *out = (struct gd_shop){.id = gd_id_new(),
                            .name = name,
                            .tz = GD_SHOP_DEFAULT_TZ,
                            .tz_offset_min = GD_SHOP_DEFAULT_TZ_OFFSET_MIN,
                            .created_at = gd_clock_now_ms(),
                            .active = true};
    struct shop_ctx x = {
        .actor = actor, .name = name, .active = -1, .a = a, .out = out, .created = true};
    return gd_svc__uow_run(svc, 0, shop_uow, &x, err);
}

int gd_svc_shop_change(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                       const char *name, int active, struct gd_arena *a, struct gd_shop *out,
                       struct gd_err *err)
{
    if (shop_checks(actor, name, err)) {
        return err->code;
    }
    *out = (struct gd_shop){.id = shop_id};
    struct shop_ctx x = {.actor = actor, .name = name, .active = active, .a = a, .out = out};
    int ret = gd_svc__uow_run(svc, shop_id, shop_uow, &x, err);
    if (!ret && active == 0) {
        gd_svc__credentials_revoked(svc); /* its users' open streams end now */
    }
    return ret;
}

/* ---- the audit log ---- */

int gd_svc_audit_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                      int64_t before_id, int limit, struct gd_arena *a, struct gd_audit_event **out,
                      int *count, struct gd_err *err)
{
    if (!gd_perm_can_read_audit(actor)) {
        return gd_err_set(err, GD_EPERM,
                          "the audit log is for the shop's owner and platform "
                          "admins");
    }
    if (limit < 1 || limit > AUDIT_LIST_MAX) {
        return gd_err_field(err, GD_EINVAL, "limit", "limit must be 1 to %d", AUDIT_LIST_MAX);
    }
    return GD_STORE(svc->store, audit_list, actor->shop_id ? actor->shop_id : shop_id, before_id,
                    limit, a, out, count, err);
}

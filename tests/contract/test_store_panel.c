/* Store contract: the chat-side panel's settings (a shop's frame origins and link-signing
 * secret, each kept when the other is written, never another shop's) and the signed links used
 * once (a second use is a conflict that leaves the transaction usable; expired ones are
 * forgotten). */
#include "harness.h"

static void settings(void)
{
    int64_t s1 = shop("panel-1"), s2 = shop("panel-2");
    const char *origins, *secret;

    /* a shop that never set them has none */
    CHECK_EQ_INT(GD_STORE(st, panel_get, s1, &a, &origins, &secret, NULL), GD_OK);
    CHECK_EQ_STR(origins, "");
    CHECK(secret == NULL);

    CHECK_EQ_INT(GD_STORE(st, panel_put, s1, "https://im.example.com", NULL, 10, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, panel_get, s1, &a, &origins, &secret, NULL), GD_OK);
    CHECK_EQ_STR(origins, "https://im.example.com");
    CHECK(secret == NULL);
    /* the secret is written alone: the origins stay */
    CHECK_EQ_INT(GD_STORE(st, panel_put, s1, NULL, "s3cret", 11, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, panel_get, s1, &a, &origins, &secret, NULL), GD_OK);
    CHECK_EQ_STR(origins, "https://im.example.com");
    CHECK_EQ_STR(secret, "s3cret");
    /* and the origins alone, emptied: the secret stays */
    CHECK_EQ_INT(GD_STORE(st, panel_put, s1, "", NULL, 12, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, panel_get, s1, &a, &origins, &secret, NULL), GD_OK);
    CHECK_EQ_STR(origins, "");
    CHECK_EQ_STR(secret, "s3cret");
    /* another shop's are its own */
    CHECK_EQ_INT(GD_STORE(st, panel_get, s2, &a, &origins, &secret, NULL), GD_OK);
    CHECK_EQ_STR(origins, "");
    CHECK(secret == NULL);
}

static void links(void)
{
    int64_t s1 = shop("panel-links");

    CHECK_EQ_INT(ct_begin(st, s1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, panel_link_use, s1, "d1", 1000, 500, NULL), GD_OK);
    /* the same link again is refused, and the transaction goes on */
    CHECK_EQ_INT(GD_STORE(st, panel_link_use, s1, "d1", 1000, 600, NULL), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, panel_link_use, s1, "d2", 1000, 600, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    /* a used link stays used until it expires; then it is forgotten (and would be refused by
     * its expiry anyway) */
    CHECK_EQ_INT(GD_STORE(st, panel_link_use, s1, "d1", 1000, 999, NULL), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, panel_link_use, s1, "d1", 3000, 1001, NULL), GD_OK);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    settings();
    links();
    return contract_finish("store contract: panel");
}

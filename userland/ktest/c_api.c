/* The C bindings compile as C: a C program making and copying an object. */
#include <baton/baton.h>

/* Makes an endpoint in `slot` from `untyped` and copies it to slot + 1
 * with read rights only; returns the first error. */
baton_error ktest_c_api_make_and_copy(baton_cptr untyped, baton_cptr slot) {
    baton_error e = baton_untyped_retype(untyped, BATON_OBJ_ENDPOINT, 0, BATON_CAP_INIT_CNODE, 0, 0, slot, 1);
    if (e != BATON_OK) return e;
    return baton_cnode_copy(BATON_CAP_INIT_CNODE, slot + 1, 64, BATON_CAP_INIT_CNODE, slot, 64, 1);
}

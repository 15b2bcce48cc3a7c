// ktest: the generated bindings: the typed C++ API and the C header.
#include <baton/invocations.hpp>

#include "ktest.hpp"

using namespace ktest;

extern "C" baton_error ktest_c_api_make_and_copy(baton_cptr untyped, baton_cptr slot);

KTEST(bindings_cpp, "bindings: the typed C++ API invokes objects") {
    baton::Untyped ut(env.untyped);
    baton::Cnode root(root_cnode);
    baton_cptr s = env.slot(), copy = env.slot();
    KEXPECT_EQ(uint64_t(ut.retype(BATON_OBJ_NOTIFICATION, 0, root, 0, 0, s, 1)), BATON_OK);
    KEXPECT_EQ(uint64_t(root.mint(copy, depth, root, s, depth, 3, 9)), BATON_OK);
    KEXPECT_EQ(identify(copy).word, 9);
    KEXPECT_EQ(uint64_t(baton::Tcb(BATON_CAP_INIT_TCB).set_affinity(0)), BATON_OK);
    KEXPECT_EQ(uint64_t(root.delete_(copy, depth)), BATON_OK);
}

KTEST(bindings_c, "bindings: the C header works from C") {
    baton_cptr s = env.slot();
    env.slot();
    KEXPECT_OK(ktest_c_api_make_and_copy(env.untyped, s));
    KEXPECT_EQ(identify(s + 1).type, BATON_OBJ_ENDPOINT);
    KEXPECT_EQ(identify(s + 1).rights, 1);
}

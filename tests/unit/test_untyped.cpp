// Untyped retype arithmetic and errors (kernel/untyped.cpp).
#include <doctest/doctest.h>

#include "cnode.hpp"
#include "kernel_memory.hpp"
#include "object.hpp"

using namespace kernel;
using baton::Error;
using T = baton::Object_type;

namespace {
Kresult retype(Slot* ut, T type, u64 size, const Cap& root, u64 off, u64 n = 1) {
    return untyped_retype(ut, u64(type), size, root, off, n);
}
}  // namespace

TEST_CASE("retype: objects are aligned to their size and zeroed, the watermark moves") {
    Test_memory mem;
    Cap root = mem.make_cnode(8);
    REQUIRE(retype(&mem.untyped, T::Endpoint, 0, root, 0, 3).ok());
    CHECK(mem.untyped.cap.watermark() == 3 * 32);
    for (int i = 0; i < 3; ++i) CHECK(cnode_slot(root, i)->cap.object() == mem.pa() + 32 * i);
    // A TCB (2 KiB) starts at the next 2 KiB boundary.
    REQUIRE(retype(&mem.untyped, T::Tcb, 0, root, 3).ok());
    CHECK(cnode_slot(root, 3)->cap.object() == mem.pa() + 2048);
    CHECK(mem.untyped.cap.watermark() == 4096);
    // Frames are zeroed (the test memory started as 0xa5).
    REQUIRE(retype(&mem.untyped, T::Frame4k, 0, root, 4).ok());
    auto* page = reinterpret_cast<const u8*>(cnode_slot(root, 4)->cap.object());
    for (int i = 0; i < 4096; ++i) REQUIRE(page[i] == 0);
    // A new thread object starts inactive.
    CHECK(object_ptr<Thread>(cnode_slot(root, 3)->cap)->state == Thread_state::Inactive);
}

TEST_CASE("retype: every argument error is specific") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    CHECK(retype(&mem.untyped, T::Null, 0, root, 0).error() == Error::InvalidArgument);
    CHECK(retype(&mem.untyped, T::IrqControl, 0, root, 0).error() == Error::InvalidArgument);
    CHECK(untyped_retype(&mem.untyped, 99, 0, root, 0, 1).error() == Error::InvalidArgument);
    auto small = retype(&mem.untyped, T::Untyped, 3, root, 0);
    CHECK(small.error() == Error::RangeError);
    CHECK(small.detail() == 4);
    CHECK(small.detail2() == 47);
    CHECK(retype(&mem.untyped, T::Cnode, 0, root, 0).error() == Error::RangeError);
    CHECK(retype(&mem.untyped, T::Untyped, 24, root, 0).error() == Error::NotEnoughMemory);
    auto off = retype(&mem.untyped, T::Endpoint, 0, root, 16);
    CHECK(off.error() == Error::RangeError);
    CHECK(off.detail2() == 15);
    CHECK(retype(&mem.untyped, T::Endpoint, 0, root, 10, 7).error() == Error::RangeError);
    CHECK(retype(&mem.untyped, T::Endpoint, 0, root, 0, 0).error() == Error::RangeError);
    CHECK(retype(&mem.untyped, T::Endpoint, 0, root, 0, 257).error() == Error::RangeError);
    Cap not_cnode = Cap::make(Cap_type::Endpoint, mem.pa(), rights::all);
    CHECK(retype(&mem.untyped, T::Endpoint, 0, not_cnode, 0).error() == Error::InvalidCapability);
    REQUIRE(retype(&mem.untyped, T::Endpoint, 0, root, 2).ok());
    auto occupied = retype(&mem.untyped, T::Endpoint, 0, root, 0, 4);
    CHECK(occupied.error() == Error::DeleteFirst);
    CHECK(occupied.detail() == 2);
    // Nothing happened on any failure: only the one endpoint exists.
    CHECK(mem.untyped.cap.watermark() == 32);
}

TEST_CASE("retype: device untyped only becomes frames or untyped") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    Slot dev;
    dev.cap = Cap::untyped(mem.pa() + (1 << 22), 22, true);
    dev.set_flags(true, true);
    CHECK(retype(&dev, T::Tcb, 0, root, 0).error() == Error::InvalidArgument);
    CHECK(retype(&dev, T::Cnode, 4, root, 0).error() == Error::InvalidArgument);
    REQUIRE(retype(&dev, T::Frame4k, 0, root, 0).ok());
    CHECK(cnode_slot(root, 0)->cap.device());
    REQUIRE(retype(&dev, T::Untyped, 12, root, 1).ok());
    CHECK(cnode_slot(root, 1)->cap.device());
}

TEST_CASE("retype: running out of room, then revoke gives every byte back") {
    Test_memory mem;
    Cap root = mem.make_cnode(9);
    // 8 MiB = 4 x 2 MiB frames.
    REQUIRE(retype(&mem.untyped, T::Frame2m, 0, root, 0, 4).ok());
    auto full = retype(&mem.untyped, T::Endpoint, 0, root, 4);
    CHECK(full.error() == Error::NotEnoughMemory);
    CHECK(full.detail() == 0);
    REQUIRE(cnode_revoke(&mem.untyped).ok());
    for (int i = 0; i < 4; ++i) CHECK(cnode_slot(root, i)->empty());
    CHECK(mem.untyped.cap.watermark() == 0);
    // All of it again, in the smallest pieces that fit the slots: 256 x 32 KiB untyped.
    REQUIRE(retype(&mem.untyped, T::Untyped, 15, root, 0, 256).ok());
    CHECK(mem.untyped.cap.watermark() == u64(1) << 23);
    // Deleting the children one by one also frees the region.
    for (int i = 0; i < 256; ++i) REQUIRE(cnode_delete(cnode_slot(root, i)).ok());
    CHECK_FALSE(has_children(mem.untyped));
    REQUIRE(retype(&mem.untyped, T::Untyped, 23, root, 0).ok());
}

TEST_CASE("retype: a child untyped is carved independently of its parent's later retypes") {
    Test_memory mem;
    Cap root = mem.make_cnode(8);
    REQUIRE(retype(&mem.untyped, T::Untyped, 12, root, 0).ok());
    Slot* child = cnode_slot(root, 0);
    REQUIRE(retype(child, T::Endpoint, 0, root, 1, 128).ok());
    CHECK(retype(child, T::Endpoint, 0, root, 200).error() == Error::NotEnoughMemory);
    // The parent's next object lies beyond the child's region.
    REQUIRE(retype(&mem.untyped, T::Endpoint, 0, root, 201).ok());
    CHECK(cnode_slot(root, 201)->cap.object() == mem.pa() + 4096);
    // Revoking the child frees its endpoints but keeps the parent's.
    REQUIRE(cnode_revoke(child).ok());
    CHECK(child->cap.watermark() == 0);
    CHECK_FALSE(cnode_slot(root, 201)->empty());
}

// Physical memory for tests of the object layer. On the host the physmap
// is the identity, so an aligned host allocation stands in for RAM: the
// lower half is one untyped region, the upper half holds CNodes made
// directly, as boot makes the root task's.
#pragma once

#include <cstdlib>
#include <cstring>

#include "cspace.hpp"
#include "percpu.hpp"
#include "thread.hpp"
#include "untyped.hpp"

struct Test_memory {
    static constexpr unsigned size_bits = 24;     // 16 MiB in all
    static constexpr unsigned untyped_bits = 23;  // the lower 8 MiB is untyped
    u8* base;
    u64 boot_used = 0;          // bytes of the upper half handed out
    kernel::Slot untyped;       // the untyped capability over the lower half
    kernel::Thread running;     // stands in for the current thread

    Test_memory() {
        base = static_cast<u8*>(std::aligned_alloc(u64(1) << size_bits, u64(1) << size_bits));
        std::memset(base, 0xa5, u64(1) << size_bits);  // garbage: Retype must zero
        untyped.cap = kernel::Cap::untyped(pa(), untyped_bits, false);
        untyped.set_flags(true, true);
        // The scheduler keeps a running thread, so it never idles in a test.
        running.state = kernel::Thread_state::Ready;
        kernel::cpus[0].current = &running;
    }
    ~Test_memory() {
        kernel::cpus[0].current = nullptr;
        std::free(base);
    }
    Test_memory(const Test_memory&) = delete;
    Test_memory& operator=(const Test_memory&) = delete;

    u64 pa() const { return reinterpret_cast<u64>(base); }

    // A zeroed CNode of 2^radix slots whose guard makes it resolve all 64
    // bits of a cptr at one level.
    kernel::Cap make_cnode(unsigned radix) {
        u64 size = u64(1) << (radix + kernel::slot_size_bits);
        u64 off = (boot_used + size - 1) & ~(size - 1);
        boot_used = off + size;
        u64 at = pa() + (u64(1) << untyped_bits) + off;
        std::memset(reinterpret_cast<void*>(at), 0, size);
        return kernel::Cap::cnode(at, u8(radix), u8(64 - radix), 0);
    }
};

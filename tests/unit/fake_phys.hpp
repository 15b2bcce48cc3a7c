// Fake physical memory for parser tests: [0, 1 MiB) backed by a host
// buffer and read through the kernel's Phys_reader interface.
#pragma once

#include <cstring>
#include <vector>

#include "acpi.hpp"

struct Fake_phys {
    std::vector<u8> bytes = std::vector<u8>(1 << 20);

    static const u8* map(void* ctx, u64 pa, u64 len) {
        auto* self = static_cast<Fake_phys*>(ctx);
        if (pa > self->bytes.size() || len > self->bytes.size() - pa) return nullptr;
        return self->bytes.data() + pa;
    }
    kernel::Phys_reader reader() { return {&Fake_phys::map, this}; }

    void put(u64 pa, const std::vector<u8>& v) { std::memcpy(&bytes[pa], v.data(), v.size()); }
    void put32(u64 pa, u32 v) { std::memcpy(&bytes[pa], &v, 4); }
    void put64(u64 pa, u64 v) { std::memcpy(&bytes[pa], &v, 8); }
    void put_string(u64 pa, const char* s) { std::memcpy(&bytes[pa], s, std::strlen(s) + 1); }
};

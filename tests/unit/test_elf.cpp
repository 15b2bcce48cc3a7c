// ELF validation (kernel/elf.cpp) against crafted images, good and hostile.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "elf.hpp"

using namespace kernel;

namespace {

constexpr u64 user_top = 0x0000800000000000;

struct Phdr {
    u32 type, flags;
    u64 offset, vaddr, paddr, filesz, memsz, align;
};

// A two-segment x86-64 executable: text at 0x400000 (R X), data at 0x401000 (R W).
struct Elf_builder {
    std::vector<u8> bytes = std::vector<u8>(0x3000, 0);
    std::vector<Phdr> phdrs;
    u16 machine = 62, type = 2;
    u64 entry = 0x400010;

    Elf_builder() {
        phdrs.push_back({1, 5, 0x1000, 0x400000, 0x400000, 0x100, 0x100, 0x1000});
        phdrs.push_back({1, 6, 0x2000, 0x401000, 0x401000, 0x80, 0x2000, 0x1000});
    }
    std::vector<u8> build() const {
        std::vector<u8> out = bytes;
        u8* p = out.data();
        std::memcpy(p, "\x7f" "ELF", 4);
        p[4] = 2;  // 64-bit
        p[5] = 1;  // little-endian
        p[6] = 1;  // version
        auto put16 = [&](usize off, u16 v) { std::memcpy(p + off, &v, 2); };
        auto put32 = [&](usize off, u32 v) { std::memcpy(p + off, &v, 4); };
        auto put64 = [&](usize off, u64 v) { std::memcpy(p + off, &v, 8); };
        put16(16, type);
        put16(18, machine);
        put32(20, 1);
        put64(24, entry);
        put64(32, 64);  // phoff
        put16(54, sizeof(Phdr));
        put16(56, u16(phdrs.size()));
        std::memcpy(p + 64, phdrs.data(), phdrs.size() * sizeof(Phdr));
        return out;
    }
};

Result<Elf_image, Elf_error> parse(const std::vector<u8>& b, u16 machine = 62) {
    return Elf_image::parse(b.data(), b.size(), machine, user_top);
}

}  // namespace

TEST_CASE("elf: a well-formed executable gives its segments and entry") {
    auto img = parse(Elf_builder().build());
    REQUIRE(img.ok());
    CHECK(img->entry() == 0x400010);
    REQUIRE(img->segment_count() == 2);
    CHECK(img->segment(0).execute);
    CHECK_FALSE(img->segment(0).write);
    CHECK(img->segment(1).write);
    CHECK(img->segment(1).memsz == 0x2000);
    CHECK(img->segment(1).filesz == 0x80);
}

TEST_CASE("elf: header damage is named") {
    auto bytes = Elf_builder().build();
    CHECK(parse(std::vector<u8>(bytes.begin(), bytes.begin() + 20)).error() == Elf_error::Truncated);
    auto bad = bytes;
    bad[1] = 'X';
    CHECK(parse(bad).error() == Elf_error::Bad_magic);
    bad = bytes;
    bad[4] = 1;
    CHECK(parse(bad).error() == Elf_error::Not_64bit);
    bad = bytes;
    bad[5] = 2;
    CHECK(parse(bad).error() == Elf_error::Not_little_endian);
    Elf_builder b;
    b.type = 3;  // ET_DYN
    CHECK(parse(b.build()).error() == Elf_error::Not_executable);
}

TEST_CASE("elf: an executable for another architecture is refused with its machine") {
    Elf_builder b;
    b.machine = 183;
    auto r = parse(b.build());
    CHECK(r.error() == Elf_error::Wrong_machine);
    CHECK(r.detail() == 183);
    CHECK(std::string(elf_machine_name(183)) == "AArch64");
}

TEST_CASE("elf: hostile program headers") {
    Elf_builder b;
    b.phdrs[0].offset = 0x2f80;  // file bytes run past the end
    CHECK(parse(b.build()).error() == Elf_error::Segment_out_of_file);

    b = Elf_builder();
    b.phdrs[1].filesz = 0x3000;  // filesz > memsz (and past the file)
    b.phdrs[1].offset = 0;
    CHECK(parse(b.build()).error() == Elf_error::Segment_bad_size);

    b = Elf_builder();
    b.phdrs[1].vaddr = 0xffffffff80000000ull;  // kernel space
    CHECK(parse(b.build()).error() == Elf_error::Segment_out_of_user);

    b = Elf_builder();
    b.phdrs[1].vaddr = 0x00007ffffffff000ull;
    b.phdrs[1].memsz = ~0ull;  // wraps
    CHECK(parse(b.build()).error() == Elf_error::Segment_out_of_user);

    b = Elf_builder();
    b.phdrs[0].vaddr = 0;  // page zero stays unmapped
    CHECK(parse(b.build()).error() == Elf_error::Segment_out_of_user);

    b = Elf_builder();
    b.phdrs[1].vaddr = 0x401100;  // offset 0x2000 vs address ...100
    CHECK(parse(b.build()).error() == Elf_error::Segment_misaligned);

    b = Elf_builder();
    b.phdrs[1].vaddr = 0x400000;  // same page as text
    b.phdrs[1].offset = 0x2000;
    CHECK(parse(b.build()).error() == Elf_error::Segments_overlap);

    b = Elf_builder();
    b.entry = 0x401000;  // in the data segment
    CHECK(parse(b.build()).error() == Elf_error::Entry_not_executable);

    b = Elf_builder();
    b.phdrs.clear();
    CHECK(parse(b.build()).error() == Elf_error::Bad_program_headers);

    b = Elf_builder();
    b.phdrs[0].type = 4;  // PT_NOTE only
    b.phdrs[1].type = 4;
    CHECK(parse(b.build()).error() == Elf_error::No_loadable_segment);
}

TEST_CASE("elf: every truncation of a valid image fails cleanly") {
    auto bytes = Elf_builder().build();
    for (usize n = 0; n < 0x2080; n += 7) {
        std::vector<u8> cut(bytes.begin(), bytes.begin() + n);
        CHECK_FALSE(parse(cut).ok());
    }
}

// ELF64 executable validation [System V ABI, ELF-64 Object File Format 1.5].
#include "elf.hpp"

#include "pagetable.hpp"
#include "string.hpp"

namespace kernel {
namespace {

struct Ehdr {
    u8 ident[16];
    u16 type, machine;
    u32 version;
    u64 entry, phoff, shoff;
    u32 flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct Phdr {
    u32 type, flags;
    u64 offset, vaddr, paddr, filesz, memsz, align;
};
static_assert(sizeof(Ehdr) == 64 && sizeof(Phdr) == 56);

constexpr u32 pt_load = 1;
constexpr u32 pf_x = 1, pf_w = 2, pf_r = 4;
constexpr u16 et_exec = 2;

}  // namespace

const char* elf_machine_name(u16 machine) {
    switch (machine) {
    case 3: return "i386";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return "unknown";
    }
}

Result<Elf_image, Elf_error> Elf_image::parse(const u8* data, u64 size, u16 machine, u64 user_top) {
    if (size < sizeof(Ehdr)) return fail(Elf_error::Truncated, sizeof(Ehdr));
    Ehdr eh;
    memcpy(&eh, data, sizeof eh);  // the image need not be aligned
    if (memcmp(eh.ident, "\x7f" "ELF", 4) != 0) return fail(Elf_error::Bad_magic);
    if (eh.ident[4] != 2) return fail(Elf_error::Not_64bit, eh.ident[4]);
    if (eh.ident[5] != 1) return fail(Elf_error::Not_little_endian, eh.ident[5]);
    if (eh.ident[6] != 1 || eh.version != 1) return fail(Elf_error::Bad_version, eh.version);
    if (eh.type != et_exec) return fail(Elf_error::Not_executable, eh.type);
    if (eh.machine != machine) return fail(Elf_error::Wrong_machine, eh.machine);
    u64 ph_end;
    if (eh.phentsize != sizeof(Phdr) || eh.phnum == 0 ||
        !range_end(eh.phoff, u64(eh.phnum) * sizeof(Phdr), ph_end) || ph_end > size)
        return fail(Elf_error::Bad_program_headers, eh.phoff);

    Elf_image img;
    img.entry_ = eh.entry;
    img.machine_ = eh.machine;
    bool entry_ok = false;
    for (u32 i = 0; i < eh.phnum; ++i) {
        Phdr ph;
        memcpy(&ph, data + eh.phoff + u64(i) * sizeof(Phdr), sizeof ph);
        if (ph.type != pt_load || ph.memsz == 0) continue;
        u64 file_end, mem_end;
        if (!range_end(ph.offset, ph.filesz, file_end) || file_end > size)
            return fail(Elf_error::Segment_out_of_file, i);
        if (ph.filesz > ph.memsz) return fail(Elf_error::Segment_bad_size, i);
        if (!range_end(ph.vaddr, ph.memsz, mem_end) || ph.vaddr < page_size || mem_end > user_top)
            return fail(Elf_error::Segment_out_of_user, i);
        if ((ph.vaddr & (page_size - 1)) != (ph.offset & (page_size - 1)))
            return fail(Elf_error::Segment_misaligned, i);
        if (img.count_ == max_segments) return fail(Elf_error::Bad_program_headers, eh.phnum);
        // Segments may share no page: each page gets one set of rights.
        u64 first = align_down(ph.vaddr, page_size), last = align_up(mem_end, page_size);
        for (u32 j = 0; j < img.count_; ++j) {
            const Elf_segment& o = img.segments_[j];
            u64 o_first = align_down(o.vaddr, page_size), o_last = align_up(o.vaddr + o.memsz, page_size);
            if (first < o_last && o_first < last) return fail(Elf_error::Segments_overlap, i);
        }
        Elf_segment seg{ph.vaddr, ph.memsz, ph.offset, ph.filesz,
                        (ph.flags & pf_r) != 0, (ph.flags & pf_w) != 0, (ph.flags & pf_x) != 0};
        if (seg.execute && eh.entry >= ph.vaddr && eh.entry < mem_end) entry_ok = true;
        img.segments_[img.count_++] = seg;
    }
    if (img.count_ == 0) return fail(Elf_error::No_loadable_segment);
    if (!entry_ok) return fail(Elf_error::Entry_not_executable, eh.entry);
    return img;
}

}  // namespace kernel

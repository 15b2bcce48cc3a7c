// ELF64 executable validation for loading user programs (the root task).
// Every field is checked against the image size before use: the image is
// whatever the boot loader handed over and may be anything.
#pragma once

#include "result.hpp"
#include "types.hpp"

namespace kernel {

enum class Elf_error : u32 {
    Truncated,          // detail: bytes needed
    Bad_magic,
    Not_64bit,          // detail: EI_CLASS
    Not_little_endian,  // detail: EI_DATA
    Bad_version,        // detail: e_version
    Not_executable,     // detail: e_type
    Wrong_machine,      // detail: e_machine
    Bad_program_headers,  // detail: e_phoff
    Segment_out_of_file,  // detail: segment index
    Segment_bad_size,     // detail: segment index (filesz > memsz)
    Segment_out_of_user,  // detail: segment index (outside user space)
    Segment_misaligned,   // detail: segment index
    Segments_overlap,     // detail: segment index
    No_loadable_segment,
    Entry_not_executable, // detail: e_entry
};
const char* describe(Elf_error e);
const char* elf_machine_name(u16 machine);

struct Elf_segment {
    u64 vaddr;
    u64 memsz;
    u64 offset;   // of the file bytes within the image
    u64 filesz;
    bool read, write, execute;
};

class Elf_image {
public:
    static constexpr u32 max_segments = 16;

    // Validates `data` as an ET_EXEC for `machine` whose loadable segments
    // all lie in [page, user_top).
    static Result<Elf_image, Elf_error> parse(const u8* data, u64 size, u16 machine, u64 user_top);

    u64 entry() const { return entry_; }
    u32 segment_count() const { return count_; }
    const Elf_segment& segment(u32 i) const { return segments_[i]; }
    u16 machine() const { return machine_; }

private:
    u64 entry_ = 0;
    u16 machine_ = 0;
    u32 count_ = 0;
    Elf_segment segments_[max_segments] = {};
};

}  // namespace kernel

// Human-readable names of the core's error codes, for panics and reports.
#include "elf.hpp"
#include "memmap.hpp"
#include "pagetable.hpp"

namespace kernel {

const char* describe(Vm_error e) {
    switch (e) {
    case Vm_error::Unaligned: return "address or size not page-aligned";
    case Vm_error::Already_mapped: return "address already mapped";
    case Vm_error::Out_of_memory: return "no memory for a page table";
    case Vm_error::Not_mapped: return "address not mapped";
    case Vm_error::Bad_range: return "range wraps around the address space";
    }
    return "unknown page-table error";
}

const char* describe(Mem_error e) {
    switch (e) {
    case Mem_error::Too_many_ranges: return "too many memory ranges";
    case Mem_error::Out_of_memory: return "out of physical memory";
    case Mem_error::Bad_range: return "memory range wraps around";
    }
    return "unknown memory error";
}

const char* describe(Elf_error e) {
    switch (e) {
    case Elf_error::Truncated: return "file shorter than an ELF header";
    case Elf_error::Bad_magic: return "not an ELF file (bad magic)";
    case Elf_error::Not_64bit: return "not a 64-bit ELF";
    case Elf_error::Not_little_endian: return "not little-endian";
    case Elf_error::Bad_version: return "unknown ELF version";
    case Elf_error::Not_executable: return "not an executable (ET_EXEC)";
    case Elf_error::Wrong_machine: return "built for another architecture";
    case Elf_error::Bad_program_headers: return "program headers out of the file or malformed";
    case Elf_error::Segment_out_of_file: return "segment data lies outside the file";
    case Elf_error::Segment_bad_size: return "segment file size exceeds its memory size";
    case Elf_error::Segment_out_of_user: return "segment outside user space";
    case Elf_error::Segment_misaligned: return "segment address and offset not congruent modulo the page size";
    case Elf_error::Segments_overlap: return "segments share a page";
    case Elf_error::No_loadable_segment: return "no loadable segment";
    case Elf_error::Entry_not_executable: return "entry point outside every executable segment";
    }
    return "unknown ELF error";
}

}  // namespace kernel

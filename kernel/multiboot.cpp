// Multiboot 1 and Multiboot 2 boot information -> kernel::Platform_info.
#include "multiboot.hpp"

#include "string.hpp"

namespace kernel {
namespace {

using Error = Multiboot_error;

constexpr u32 mmap_available = 1;         // the only memory type used as RAM
constexpr u64 mb2_max_total = 1 * MiB;    // sanity bound on total_size
constexpr u64 mb1_info_size = 72;         // through apm_table [MB1 3.3]
constexpr u64 mb1_mmap_min_entry = 20;    // base, length, type after `size`
constexpr u64 mb2_mmap_min_entry = 24;    // base, length, type, reserved [MB2 3.6.8]
constexpr u64 rsdp_v1_size = 20;

// Adds [base, base+len) as RAM, merging with the previous range when the
// loader split one range into adjacent pieces.
Status<Error> add_ram(Platform_info& out, u64 base, u64 len) {
    u64 end;
    if (!range_end(base, len, end)) return fail(Error::Bad_mmap_range, base);
    if (len == 0) return {};
    if (out.ram_count > 0 && out.ram[out.ram_count - 1].end() == base) {
        out.ram[out.ram_count - 1].size += len;
        return {};
    }
    if (!out.add_ram(base, len)) return fail(Error::Too_many_ram_ranges, Platform_info::max_ram);
    return {};
}

Status<Error> reserve(Platform_info& out, u64 base, u64 size, Reserved_kind kind) {
    if (size == 0) return {};
    if (!out.add_reserved(base, size, kind)) return fail(Error::Too_many_reserved, Platform_info::max_reserved);
    return {};
}

// Copies the NUL-terminated string at physical pa (at most cap-1 bytes
// of it) and returns how many bytes of memory it occupies.
Result<u64, Error> copy_phys_string(const Phys_reader& mem, u64 pa, char* dst, usize cap) {
    usize n = 0;
    for (;; ++n) {
        const u8* c = mem.read(pa + n, 1);
        if (!c) return fail(Error::Unreadable, pa + n);
        if (*c == 0 || n + 1 == cap) break;
        dst[n] = char(*c);
    }
    dst[n] = '\0';
    return u64(n + 1);
}

// A string inside a tag: [p, p+max), terminated by NUL or by the tag's end.
void copy_bounded(const u8* p, u64 max, char* dst, usize cap) {
    kstr::copy(dst, cap, reinterpret_cast<const char*>(p), kstr::bounded_len(reinterpret_cast<const char*>(p), max));
}

Status<Error> add_module(Platform_info& out, Multiboot_extra& extra, u64 start, u64 end) {
    u32 index = extra.module_count++;
    if (end < start) return fail(Error::Bad_module, index);
    if (index == 0) {
        // The first module is the root task; the core reserves it.
        if (end == start) return fail(Error::Empty_root_task);
        out.root_task = {start, end - start};
        return {};
    }
    return reserve(out, start, end - start, Reserved_kind::Boot_data);
}

// QEMU's Multiboot loader passes "<kernel file> <-append text>" while GRUB
// passes the arguments alone: drop QEMU's file name so that the command
// line means the same under both.
void drop_loader_file_name(Platform_info& out, const Multiboot_extra& extra) {
    if (!kstr::starts_with(extra.loader_name, "qemu")) return;
    char* s = out.cmdline;
    usize i = 0;
    while (s[i] && s[i] != ' ') ++i;
    while (s[i] == ' ') ++i;
    usize j = 0;
    while (s[i]) s[j++] = s[i++];
    s[j] = '\0';
}

}  // namespace

const char* describe(Multiboot_error e) {
    switch (e) {
    case Error::Bad_magic: return "not started by a Multiboot loader (unknown magic in eax)";
    case Error::Unreadable: return "boot information outside readable memory";
    case Error::Bad_total_size: return "Multiboot2 total_size out of range";
    case Error::Tag_overrun: return "Multiboot2 tag runs past total_size";
    case Error::Tag_too_small: return "Multiboot2 tag smaller than its fixed fields";
    case Error::No_end_tag: return "Multiboot2 information has no end tag";
    case Error::No_memory_map: return "no memory map from the boot loader";
    case Error::Bad_mmap_entry_size: return "memory map entry size too small";
    case Error::Mmap_overrun: return "memory map entry runs past the map";
    case Error::Bad_mmap_range: return "memory map range wraps around";
    case Error::Too_many_ram_ranges: return "too many RAM ranges";
    case Error::Too_many_reserved: return "too many reserved ranges";
    case Error::Bad_module: return "module ends before it starts";
    case Error::Empty_root_task: return "root-task module is empty";
    case Error::No_root_task_module: return "no root-task module";
    case Error::Bad_acpi_tag: return "ACPI RSDP tag too small";
    }
    return "unknown Multiboot error";
}

Status<Multiboot_error> parse_multiboot(u32 magic, u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                        Multiboot_extra& extra) {
    if (magic == multiboot1_boot_magic) return parse_multiboot1(info_pa, mem, out, extra);
    if (magic == multiboot2_boot_magic) return parse_multiboot2(info_pa, mem, out, extra);
    return fail(Error::Bad_magic, magic);
}

// [MB1 3.3]: a fixed structure whose flags say which fields are valid;
// everything variable-sized hangs off 32-bit physical pointers.
Status<Multiboot_error> parse_multiboot1(u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                         Multiboot_extra& extra) {
    extra.version = 1;
    out.machine_model = "PC (Multiboot1)";
    const u8* mbi = mem.read(info_pa, mb1_info_size);
    if (!mbi) return fail(Error::Unreadable, info_pa);
    TRY(reserve(out, info_pa, mb1_info_size, Reserved_kind::Boot_data));
    u32 flags = load_le32(mbi);
    constexpr u32 has_cmdline = 1u << 2, has_mods = 1u << 3, has_mmap = 1u << 6, has_name = 1u << 9;

    if (flags & has_name) TRY(copy_phys_string(mem, load_le32(mbi + 64), extra.loader_name, sizeof extra.loader_name));
    if (flags & has_cmdline) {
        u64 pa = load_le32(mbi + 16);
        TRY_ASSIGN(used, copy_phys_string(mem, pa, out.cmdline, sizeof out.cmdline));
        TRY(reserve(out, pa, used, Reserved_kind::Boot_data));
        drop_loader_file_name(out, extra);
    }

    // Memory map [MB1 3.3]: entries of (size, base_addr, length, type);
    // `size` does not count itself, so the next entry is size + 4 on.
    if (!(flags & has_mmap)) return fail(Error::No_memory_map);
    u64 map_len = load_le32(mbi + 44), map_pa = load_le32(mbi + 48);
    if (map_len == 0) return fail(Error::No_memory_map);
    const u8* map = mem.read(map_pa, map_len);
    if (!map) return fail(Error::Unreadable, map_pa);
    TRY(reserve(out, map_pa, map_len, Reserved_kind::Boot_data));
    for (u64 off = 0; off < map_len;) {
        if (map_len - off < 4) return fail(Error::Mmap_overrun, off);
        u64 size = load_le32(map + off);
        if (size < mb1_mmap_min_entry) return fail(Error::Bad_mmap_entry_size, size);
        if (size > map_len - off - 4) return fail(Error::Mmap_overrun, off);
        const u8* e = map + off + 4;
        if (load_le32(e + 16) == mmap_available) TRY(add_ram(out, load_le64(e), load_le64(e + 8)));
        off += size + 4;
    }

    // Modules [MB1 3.3]: (mod_start, mod_end, string, reserved), 16 bytes.
    u64 count = (flags & has_mods) ? load_le32(mbi + 20) : 0;
    if (count > 0) {
        u64 mods_pa = load_le32(mbi + 24);
        const u8* mods = mem.read(mods_pa, count * 16);
        if (!mods) return fail(Error::Unreadable, mods_pa);
        TRY(reserve(out, mods_pa, count * 16, Reserved_kind::Boot_data));
        for (u64 i = 0; i < count; ++i)
            TRY(add_module(out, extra, load_le32(mods + i * 16), load_le32(mods + i * 16 + 4)));
    }
    if (extra.module_count == 0) return fail(Error::No_root_task_module);
    return {};
}

// [MB2 3.6]: total_size, reserved, then 8-byte-aligned tags (type, size,
// payload) up to an end tag of type 0.
Status<Multiboot_error> parse_multiboot2(u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                         Multiboot_extra& extra) {
    extra.version = 2;
    out.machine_model = "PC (Multiboot2)";
    const u8* head = mem.read(info_pa, 8);
    if (!head) return fail(Error::Unreadable, info_pa);
    u64 total = load_le32(head);
    if (total < 16 || total > mb2_max_total) return fail(Error::Bad_total_size, total);
    const u8* blob = mem.read(info_pa, total);
    if (!blob) return fail(Error::Unreadable, info_pa);
    TRY(reserve(out, info_pa, total, Reserved_kind::Boot_data));

    bool have_end = false, have_mmap = false;
    u32 rsdp_tag = 0;
    for (u64 off = 8; off + 8 <= total && !have_end; off = align_up(off + load_le32(blob + off + 4), 8)) {
        const u8* t = blob + off;
        u32 type = load_le32(t);
        u64 size = load_le32(t + 4);
        if (size < 8) return fail(Error::Tag_too_small, off);
        if (size > total - off) return fail(Error::Tag_overrun, off);
        switch (type) {
        case 0:  // end
            have_end = true;
            break;
        case 1:  // boot command line [3.6.3]
            copy_bounded(t + 8, size - 8, out.cmdline, sizeof out.cmdline);
            break;
        case 2:  // boot loader name [3.6.4]
            copy_bounded(t + 8, size - 8, extra.loader_name, sizeof extra.loader_name);
            break;
        case 3:  // module [3.6.5]: mod_start, mod_end, string
            if (size < 16) return fail(Error::Tag_too_small, off);
            TRY(add_module(out, extra, load_le32(t + 8), load_le32(t + 12)));
            break;
        case 6: {  // memory map [3.6.8]: entry_size, entry_version, entries
            if (size < 16) return fail(Error::Tag_too_small, off);
            u64 esize = load_le32(t + 8);
            if (esize < mb2_mmap_min_entry) return fail(Error::Bad_mmap_entry_size, esize);
            if ((size - 16) % esize != 0) return fail(Error::Mmap_overrun, off);
            for (u64 e = 16; e + esize <= size; e += esize)
                if (load_le32(t + e + 16) == mmap_available) TRY(add_ram(out, load_le64(t + e), load_le64(t + e + 8)));
            have_mmap = true;
            break;
        }
        case 14:    // ACPI 1.0 RSDP copy [3.6.12]
        case 15: {  // ACPI 2.0 RSDP copy [3.6.13]; preferred: it has the XSDT
            if (size < 8 + rsdp_v1_size) return fail(Error::Bad_acpi_tag, size);
            if (rsdp_tag == 15 && type == 14) break;
            u64 n = min(size - 8, u64(Multiboot_extra::max_rsdp));
            for (u64 i = 0; i < n; ++i) extra.rsdp[i] = t[8 + i];
            extra.rsdp_size = u32(n);
            rsdp_tag = type;
            break;
        }
        default:
            break;
        }
    }
    if (!have_end) return fail(Error::No_end_tag);
    if (!have_mmap) return fail(Error::No_memory_map);
    if (extra.module_count == 0) return fail(Error::No_root_task_module);
    drop_loader_file_name(out, extra);
    return {};
}

}  // namespace kernel

// Flattened device tree parser [Devicetree Specification v0.4, ch. 5].
//
// Layout of a DTB: a 40-byte header, the memory-reservation block (pairs
// of u64 ending with 0,0), the structure block (a token stream: BEGIN_NODE
// name, PROP len nameoff value, END_NODE, NOP, END; every token 4-byte
// aligned) and the strings block (property names). open() validates all of
// it; the walk below then visits each node once its properties are known,
// with a stack of its ancestors for #address-cells, #size-cells and ranges.
#include "fdt.hpp"

#include "string.hpp"

namespace kernel {

const char* describe(Fdt_error e) {
    switch (e) {
    case Fdt_error::Truncated: return "device tree: buffer shorter than a DTB header";
    case Fdt_error::Misaligned: return "device tree: blob not 8-byte aligned";
    case Fdt_error::Bad_magic: return "device tree: bad magic (not a DTB)";
    case Fdt_error::Bad_version: return "device tree: unsupported version (need 16 or 17)";
    case Fdt_error::Bad_total_size: return "device tree: totalsize larger than the blob or smaller than its header";
    case Fdt_error::Bad_block: return "device tree: a block lies outside the blob or is misaligned";
    case Fdt_error::Bad_token: return "device tree: unknown token in the structure block";
    case Fdt_error::Unterminated_name: return "device tree: node name runs past the structure block";
    case Fdt_error::Property_past_end: return "device tree: property value runs past the structure block";
    case Fdt_error::Bad_string_offset: return "device tree: property name outside the strings block";
    case Fdt_error::Bad_nesting: return "device tree: nodes not properly nested";
    case Fdt_error::Too_deep: return "device tree: nodes nested too deeply";
    case Fdt_error::No_end: return "device tree: structure block ends without FDT_END";
    case Fdt_error::Bad_memreserve: return "device tree: memory reservation block not terminated";
    case Fdt_error::Bad_property: return "device tree: malformed property value";
    case Fdt_error::Bad_cells: return "device tree: unsupported #address-cells or #size-cells";
    case Fdt_error::Untranslatable: return "device tree: address not covered by the parent bus's ranges";
    case Fdt_error::Too_many_ranges: return "device tree: too many memory or reserved ranges";
    case Fdt_error::No_memory: return "device tree: no /memory node (device_type \"memory\" with a non-empty reg)";
    case Fdt_error::No_uart: return "device tree: no enabled UART (compatible \"arm,pl011\")";
    case Fdt_error::No_interrupt_controller:
        return "device tree: no enabled interrupt controller (arm,gic-400, arm,cortex-a15-gic or arm,gic-v3)";
    }
    return "device tree: unknown error";
}

namespace {

constexpr u32 fdt_magic = 0xd00dfeed;
constexpr u32 header_v16 = 36;  // up to size_dt_strings
constexpr u32 header_v17 = 40;  // adds size_dt_struct
enum : u32 { Begin_node = 1, End_node = 2, Prop = 3, Nop = 4, End = 9 };

u32 be32(const u8* p) { return u32(p[0]) << 24 | u32(p[1]) << 16 | u32(p[2]) << 8 | u32(p[3]); }
u64 be64(const u8* p) { return u64(be32(p)) << 32 | be32(p + 4); }

// A property value. data == nullptr: the property is absent; a present
// empty property (like `ranges;`) has data set and len 0.
struct Bytes {
    const u8* data = nullptr;
    u32 len = 0;
    bool present() const { return data != nullptr; }
};

// The value is exactly the string s (with its NUL).
bool str_eq(Bytes b, const char* s) {
    u32 n = u32(strlen(s));
    return b.present() && b.len == n + 1 && memcmp(b.data, s, n) == 0 && b.data[n] == 0;
}

// One of the NUL-separated strings of a string list starts with `prefix`
// (exact: the whole string equals it).
bool list_has(Bytes b, const char* s, bool prefix = false) {
    u32 n = u32(strlen(s));
    for (u32 i = 0; i < b.len;) {
        u32 len = u32(kstr::bounded_len(reinterpret_cast<const char*>(b.data + i), b.len - i));
        if ((len == n || (prefix && len > n)) && memcmp(b.data + i, s, n) == 0) return true;
        i += len + 1;
    }
    return false;
}

bool span_eq(const char* a, u32 alen, const char* b, u32 blen) { return alen == blen && memcmp(a, b, alen) == 0; }
bool name_eq(const char* name, u32 len, const char* s) { return span_eq(name, len, s, u32(strlen(s))); }

// `name` without its unit address ("memory@40000000" -> "memory") equals s.
bool base_name_eq(const char* name, u32 len, const char* s) {
    u32 n = 0;
    while (n < len && name[n] != '@') ++n;
    return name_eq(name, n, s);
}

}  // namespace

struct Fdt_token {
    u32 kind = 0;
    u32 offset = 0;                // of the token within the blob
    const char* name = nullptr;    // node name (Begin_node) or property name (Prop)
    u32 name_len = 0;
    Bytes value;                   // Prop
};

// Reads tokens from the structure block; every read is bounds-checked.
// Invariant: pos_ and end_ are 4-byte aligned and pos_ <= end_.
class Fdt_walker {
public:
    explicit Fdt_walker(const Fdt& f) : f_(f), pos_(f.struct_off_), end_(f.struct_off_ + f.struct_size_) {}

    Result<Fdt_token, Fdt_error> next() {
        const u8* b = f_.blob_;
        if (end_ - pos_ < 4) return fail(Fdt_error::No_end, pos_);
        Fdt_token t;
        t.offset = pos_;
        t.kind = be32(b + pos_);
        pos_ += 4;
        switch (t.kind) {
        case Begin_node: {
            u32 room = end_ - pos_;
            t.name = reinterpret_cast<const char*>(b + pos_);
            t.name_len = u32(kstr::bounded_len(t.name, room));
            if (t.name_len == room) return fail(Fdt_error::Unterminated_name, t.offset);
            pos_ += u32(align_up(t.name_len + 1, 4));  // <= room: room is a multiple of 4
            return t;
        }
        case Prop: {
            if (end_ - pos_ < 8) return fail(Fdt_error::Property_past_end, t.offset);
            u32 len = be32(b + pos_);
            u32 nameoff = be32(b + pos_ + 4);
            pos_ += 8;
            if (len > end_ - pos_) return fail(Fdt_error::Property_past_end, t.offset);
            if (nameoff >= f_.strings_size_) return fail(Fdt_error::Bad_string_offset, nameoff);
            u32 room = f_.strings_size_ - nameoff;
            t.name = reinterpret_cast<const char*>(b + f_.strings_off_ + nameoff);
            t.name_len = u32(kstr::bounded_len(t.name, room));
            if (t.name_len == room) return fail(Fdt_error::Bad_string_offset, nameoff);
            t.value = {b + pos_, len};
            pos_ += u32(align_up(len, 4));
            return t;
        }
        case End_node:
        case Nop:
        case End: return t;
        }
        return fail(Fdt_error::Bad_token, t.offset);
    }

private:
    const Fdt& f_;
    u32 pos_, end_;
};

namespace {

// Checks the token stream: one root node, balanced nesting within the
// depth limit, properties before subnodes, FDT_END after the root.
Status<Fdt_error> validate_structure(const Fdt& f) {
    Fdt_walker w(f);
    bool had_child[Fdt::max_depth] = {};
    u32 depth = 0;
    bool root_done = false;
    for (;;) {
        TRY_ASSIGN(t, w.next());
        switch (t.kind) {
        case Begin_node:
            if (root_done) return fail(Fdt_error::Bad_nesting, t.offset);
            if (depth == Fdt::max_depth) return fail(Fdt_error::Too_deep, t.offset);
            if (depth > 0) had_child[depth - 1] = true;
            had_child[depth++] = false;
            break;
        case Prop:
            if (depth == 0 || had_child[depth - 1]) return fail(Fdt_error::Bad_nesting, t.offset);
            break;
        case End_node:
            if (depth == 0) return fail(Fdt_error::Bad_nesting, t.offset);
            if (--depth == 0) root_done = true;
            break;
        case Nop: break;
        case End:
            if (depth != 0 || !root_done) return fail(Fdt_error::Bad_nesting, t.offset);
            return {};
        }
    }
}

}  // namespace

Result<Fdt, Fdt_error> Fdt::open(const u8* blob, u64 avail) {
    if (blob == nullptr || avail < header_v16) return fail(Fdt_error::Truncated, avail);
    if (uptr(blob) & 7) return fail(Fdt_error::Misaligned, uptr(blob));
    u32 magic = be32(blob);
    if (magic != fdt_magic) return fail(Fdt_error::Bad_magic, magic);
    Fdt f;
    f.blob_ = blob;
    f.total_ = be32(blob + 4);
    f.version_ = be32(blob + 20);
    if (f.version_ < 16 || be32(blob + 24) > 17) return fail(Fdt_error::Bad_version, f.version_);
    u32 header = f.version_ >= 17 ? header_v17 : header_v16;
    if (f.total_ > avail || f.total_ < header) return fail(Fdt_error::Bad_total_size, f.total_);
    f.struct_off_ = be32(blob + 8);
    f.strings_off_ = be32(blob + 12);
    f.rsv_off_ = be32(blob + 16);
    f.boot_cpu_ = be32(blob + 28);
    f.strings_size_ = be32(blob + 32);
    if (f.version_ >= 17) {
        f.struct_size_ = be32(blob + 36);
    } else {
        if (f.struct_off_ > f.total_) return fail(Fdt_error::Bad_block, f.struct_off_);
        f.struct_size_ = f.total_ - f.struct_off_;
    }
    // Each block lies after the header and inside totalsize [DT spec 5.2].
    auto inside = [&](u32 off, u32 size) { return off >= header && u64(off) + size <= f.total_; };
    if (!is_aligned(f.rsv_off_, 8) || !inside(f.rsv_off_, 16)) return fail(Fdt_error::Bad_block, f.rsv_off_);
    if (!is_aligned(f.struct_off_, 4) || !is_aligned(f.struct_size_, 4) || !inside(f.struct_off_, f.struct_size_))
        return fail(Fdt_error::Bad_block, f.struct_off_);
    if (!inside(f.strings_off_, f.strings_size_)) return fail(Fdt_error::Bad_block, f.strings_off_);
    for (u32 off = f.rsv_off_;; off += 16) {
        if (u64(off) + 16 > f.total_) return fail(Fdt_error::Bad_memreserve, f.rsv_off_);
        if (be64(blob + off) == 0 && be64(blob + off + 8) == 0) break;
    }
    TRY(validate_structure(f));
    return f;
}

namespace {

// ---- the walk --------------------------------------------------------

// One open node. addr_cells/size_cells/ranges describe its children's
// bus; enabled folds in every ancestor's status.
struct Frame {
    const char* name;
    u32 name_len;
    u32 addr_cells;
    u32 size_cells;
    Bytes ranges;
    bool enabled;
};

struct Walk_state {
    Frame frames[Fdt::max_depth];
    u32 depth = 0;  // open nodes; the current one is frames[depth - 1]
    const Frame& node() const { return frames[depth - 1]; }
    const Frame& parent() const { return frames[depth - 2]; }
};

// The properties of the current node that the extraction looks at.
struct Node_props {
    Bytes reg, compatible, device_type, interrupts, interrupt_parent, interrupt_cells, phandle;
    Bytes method, model, bootargs, initrd_start, initrd_end, enable_method, release_addr;
    Bytes numa_node_id, distance_matrix;
};

Status<Fdt_error> record(Node_props& p, Frame& fr, const Fdt_token& t) {
    const char* n = t.name;
    u32 len = t.name_len;
    auto cell = [&](u32& out) -> Status<Fdt_error> {
        if (t.value.len != 4) return fail(Fdt_error::Bad_property, t.offset);
        out = be32(t.value.data);
        return {};
    };
    if (name_eq(n, len, "#address-cells")) return cell(fr.addr_cells);
    if (name_eq(n, len, "#size-cells")) return cell(fr.size_cells);
    if (name_eq(n, len, "ranges")) fr.ranges = t.value;
    else if (name_eq(n, len, "status")) fr.enabled = fr.enabled && (str_eq(t.value, "okay") || str_eq(t.value, "ok"));
    else if (name_eq(n, len, "reg")) p.reg = t.value;
    else if (name_eq(n, len, "compatible")) p.compatible = t.value;
    else if (name_eq(n, len, "device_type")) p.device_type = t.value;
    else if (name_eq(n, len, "interrupts")) p.interrupts = t.value;
    else if (name_eq(n, len, "interrupt-parent")) p.interrupt_parent = t.value;
    else if (name_eq(n, len, "#interrupt-cells")) p.interrupt_cells = t.value;
    else if (name_eq(n, len, "phandle")) p.phandle = t.value;
    else if (name_eq(n, len, "method")) p.method = t.value;
    else if (name_eq(n, len, "model")) p.model = t.value;
    else if (name_eq(n, len, "bootargs")) p.bootargs = t.value;
    else if (name_eq(n, len, "linux,initrd-start")) p.initrd_start = t.value;
    else if (name_eq(n, len, "linux,initrd-end")) p.initrd_end = t.value;
    else if (name_eq(n, len, "enable-method")) p.enable_method = t.value;
    else if (name_eq(n, len, "cpu-release-addr")) p.release_addr = t.value;
    else if (name_eq(n, len, "numa-node-id")) p.numa_node_id = t.value;
    else if (name_eq(n, len, "distance-matrix")) p.distance_matrix = t.value;
    return {};
}

// Calls visit(state, props) for every node once its properties are known
// (at its first subnode or at its end), parents before children.
template <class Visit> Status<Fdt_error> walk(const Fdt& f, Visit& visit) {
    Fdt_walker w(f);
    Walk_state s;
    Node_props props;
    bool pending = false;
    for (;;) {
        TRY_ASSIGN(t, w.next());
        switch (t.kind) {
        case Begin_node:
            if (pending) TRY(visit(s, props));
            pending = true;
            if (s.depth == Fdt::max_depth) return fail(Fdt_error::Too_deep, t.offset);
            s.frames[s.depth] = {t.name, t.name_len, 2, 1, {}, s.depth == 0 || s.frames[s.depth - 1].enabled};
            ++s.depth;
            props = {};
            break;
        case Prop:
            if (!pending) return fail(Fdt_error::Bad_nesting, t.offset);
            TRY(record(props, s.frames[s.depth - 1], t));
            break;
        case End_node:
            if (s.depth == 0) return fail(Fdt_error::Bad_nesting, t.offset);
            if (pending) TRY(visit(s, props));
            pending = false;
            --s.depth;
            break;
        case Nop: break;
        case End: return {};
        }
    }
}

// The value of property `prop` of the node /`node` (a child of the root),
// or an absent Bytes.
Bytes find_root_child_prop(const Fdt& f, const char* node, const char* prop, u32 prop_len) {
    Fdt_walker w(f);
    u32 depth = 0;
    bool inside = false;
    for (;;) {
        auto r = w.next();
        if (!r) return {};
        const Fdt_token& t = *r;
        if (t.kind == Begin_node) {
            ++depth;
            inside = depth == 2 && name_eq(t.name, t.name_len, node);
        } else if (t.kind == End_node) {
            if (inside && depth == 2) return {};
            --depth;
            inside = false;
        } else if (t.kind == Prop && inside && span_eq(t.name, t.name_len, prop, prop_len)) {
            return t.value;
        } else if (t.kind == End) {
            return {};
        }
    }
}

// The path /chosen/stdout-path names, through /aliases if it is an alias;
// the ":options" suffix is dropped. Absent if there is none.
Bytes stdout_path(const Fdt& f) {
    Bytes v = find_root_child_prop(f, "chosen", "stdout-path", 11);
    if (!v.present()) v = find_root_child_prop(f, "chosen", "linux,stdout-path", 17);
    u32 n = 0;
    while (n < v.len && v.data[n] != 0 && v.data[n] != ':') ++n;
    if (n == 0) return {};
    if (v.data[0] != '/') {
        Bytes alias = find_root_child_prop(f, "aliases", reinterpret_cast<const char*>(v.data), n);
        u32 m = u32(kstr::bounded_len(reinterpret_cast<const char*>(alias.data), alias.len));
        if (!alias.present() || m == 0 || alias.data[0] != '/') return {};
        return {alias.data, m};
    }
    return {v.data, n};
}

// The current node's path equals `path` ("/soc/serial@7e201000"); a path
// component without a unit address matches a node name that has one.
bool path_is(const Walk_state& s, Bytes path) {
    if (s.depth < 2) return false;
    u32 i = 0;
    for (u32 d = 1; d < s.depth; ++d) {
        if (i >= path.len || path.data[i] != '/') return false;
        u32 start = ++i;
        bool has_unit = false;
        for (; i < path.len && path.data[i] != '/'; ++i) has_unit |= path.data[i] == '@';
        const char* comp = reinterpret_cast<const char*>(path.data + start);
        const Frame& fr = s.frames[d];
        if (span_eq(fr.name, fr.name_len, comp, i - start)) continue;
        u32 base = 0;
        while (base < fr.name_len && fr.name[base] != '@') ++base;
        if (has_unit || !span_eq(fr.name, base, comp, i - start)) return false;
    }
    return i == path.len;
}

Result<u64, Fdt_error> read_cells(const u8* p, u32 cells, u32 bad_detail) {
    if (cells == 1) return u64(be32(p));
    if (cells == 2) return be64(p);
    return fail(Fdt_error::Bad_cells, bad_detail);
}

// ---- extraction ------------------------------------------------------

struct Extractor {
    Extractor(const Fdt& f, Platform_info& i, Fdt_devices& d) : fdt(f), info(i), dev(d), stdout_node(stdout_path(f)) {}

    const Fdt& fdt;
    Platform_info& info;
    Fdt_devices& dev;
    Bytes stdout_node;  // the path /chosen/stdout-path resolves to
    u32 root_irq_parent = 0;
    bool gic_is_parent = false;
    u32 gic_icells = 3;
    Bytes timer_irqs;
    Bytes uart_irqs;  // the console UART's interrupts property
    bool have_ram = false;
    u32 cpus = 0;

    u32 offset_of(Bytes b) const { return b.present() ? u32(b.data - fdt.blob()) : 0; }

    // Translates [addr, addr+size) from the current node's parent bus,
    // through each ancestor's ranges, into a CPU physical address.
    Result<u64, Fdt_error> translate(const Walk_state& s, u64 addr, u64 size) {
        for (u32 d = s.depth - 2; d >= 1; --d) {
            const Frame& bus = s.frames[d];
            if (!bus.ranges.present()) return fail(Fdt_error::Untranslatable, addr);
            if (bus.ranges.len == 0) continue;  // identity
            u32 ca = bus.addr_cells, pa = s.frames[d - 1].addr_cells, cs = bus.size_cells;
            if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || cs > 2) return fail(Fdt_error::Bad_cells, ca);
            u32 entry = 4 * (ca + pa + cs);
            if (bus.ranges.len % entry) return fail(Fdt_error::Bad_property, offset_of(bus.ranges));
            bool found = false;
            for (u32 o = 0; o < bus.ranges.len && !found; o += entry) {
                const u8* e = bus.ranges.data + o;
                u64 child = read_cells(e, ca, ca).value();
                u64 parent = read_cells(e + 4 * ca, pa, pa).value();
                u64 len = cs ? read_cells(e + 4 * (ca + pa), cs, cs).value() : 0;
                if (addr >= child && addr - child < len && size <= len - (addr - child)) {
                    addr = parent + (addr - child);
                    found = true;
                }
            }
            if (!found) return fail(Fdt_error::Untranslatable, addr);
        }
        return addr;
    }

    // Entry `i` of the current node's reg, translated; size 0 past the end.
    Result<Mmio_range, Fdt_error> reg(const Walk_state& s, const Node_props& p, u32 i) {
        if (!p.reg.present() || s.depth < 2) return Mmio_range{};
        u32 ac = s.parent().addr_cells, sc = s.parent().size_cells;
        if (ac < 1 || ac > 2) return fail(Fdt_error::Bad_cells, ac);
        if (sc > 2) return fail(Fdt_error::Bad_cells, sc);
        u32 entry = 4 * (ac + sc);
        if (p.reg.len % entry) return fail(Fdt_error::Bad_property, offset_of(p.reg));
        if (u64(i + 1) * entry > p.reg.len) return Mmio_range{};
        const u8* e = p.reg.data + i * entry;
        u64 base = read_cells(e, ac, ac).value();
        u64 size = sc ? read_cells(e + 4 * ac, sc, sc).value() : 0;
        u64 end;
        if (!range_end(base, size, end)) return fail(Fdt_error::Bad_property, offset_of(p.reg));
        TRY_ASSIGN(phys, translate(s, base, size));
        return Mmio_range{phys, size};
    }

    u32 reg_count(const Walk_state& s, const Node_props& p) const {
        if (!p.reg.present() || s.depth < 2) return 0;
        u32 entry = 4 * (s.parent().addr_cells + s.parent().size_cells);
        return entry ? p.reg.len / entry : 0;
    }

    Result<u64, Fdt_error> number(Bytes b) const {
        if (b.len == 4) return u64(be32(b.data));
        if (b.len == 8) return be64(b.data);
        return fail(Fdt_error::Bad_property, offset_of(b));
    }

    Status<Fdt_error> chosen(const Node_props& p) {
        if (p.bootargs.present())
            kstr::copy(info.cmdline, Platform_info::max_cmdline, reinterpret_cast<const char*>(p.bootargs.data),
                       kstr::bounded_len(reinterpret_cast<const char*>(p.bootargs.data), p.bootargs.len));
        if (p.initrd_start.present() && p.initrd_end.present()) {
            TRY_ASSIGN(start, number(p.initrd_start));
            TRY_ASSIGN(end, number(p.initrd_end));
            if (end <= start) return fail(Fdt_error::Bad_property, offset_of(p.initrd_end));
            dev.initrd_start = start;
            dev.initrd_end = end;
            info.root_task = {start, end - start};
        }
        return {};
    }

    // A node's numa-node-id [Linux Documentation/devicetree/bindings/numa.txt]:
    // one cell. False when absent; a malformed or out-of-range one is
    // reported in info.numa and also false.
    bool numa_node(const Node_props& p, u32& node) {
        if (!p.numa_node_id.present()) return false;
        if (p.numa_node_id.len != 4) {
            info.numa.report(Numa_problem::Bad_entry, offset_of(p.numa_node_id));
            return false;
        }
        node = be32(p.numa_node_id.data);
        return info.numa.node_ok(node, offset_of(p.numa_node_id));
    }

    Status<Fdt_error> memory(const Walk_state& s, const Node_props& p, bool reserved) {
        u32 node = 0;
        bool has_node = !reserved && numa_node(p, node);
        for (u32 i = 0; i < reg_count(s, p); ++i) {
            TRY_ASSIGN(r, reg(s, p, i));
            if (r.size == 0) continue;
            bool ok = reserved ? info.add_reserved(r.base, r.size, Reserved_kind::Firmware) : info.add_ram(r.base, r.size);
            if (!ok) return fail(Fdt_error::Too_many_ranges, reserved ? Platform_info::max_reserved : Platform_info::max_ram);
            have_ram |= !reserved;
            if (has_node) info.numa.add_mem(r.base, r.size, node);
        }
        return {};
    }

    // /distance-map (compatible "numa-distance-map-v1"): distance-matrix
    // is a list of <from to distance> triples. As in Linux, an entry also
    // sets the reverse distance when `to` is the higher node (a later
    // entry may say otherwise), and one invalid distance voids the map.
    void distance_map(const Node_props& p) {
        const Bytes& m = p.distance_matrix;
        if (!m.present()) return;
        if (m.len % 12) {
            info.numa.report(Numa_problem::Bad_entry, offset_of(m));
            return;
        }
        for (u32 o = 0; o < m.len; o += 12) {
            u32 from = be32(m.data + o), to = be32(m.data + o + 4), d = be32(m.data + o + 8);
            u64 where = offset_of(m) + o;
            if (!info.numa.node_ok(from, where) || !info.numa.node_ok(to, where)) continue;
            if (!info.numa.set_distance(from, to, d)) {
                info.numa.clear_distances();
                return;
            }
            if (to > from) info.numa.distance[to][from] = u8(d);
        }
    }

    Status<Fdt_error> gic(const Walk_state& s, const Node_props& p, Gic_version v) {
        u32 phandle = p.phandle.len == 4 ? be32(p.phandle.data) : 0;
        bool is_parent = root_irq_parent != 0 && phandle == root_irq_parent;
        if (dev.gic != Gic_version::None && (gic_is_parent || !is_parent)) return {};
        TRY_ASSIGN(dist, reg(s, p, 0));
        TRY_ASSIGN(second, reg(s, p, 1));
        if (dist.size == 0 || second.size == 0) return fail(Fdt_error::Bad_property, offset_of(p.reg));
        dev.gic = v;
        dev.gic_dist = dist;
        dev.gic_cpu = dev.gic_redist = {};
        (v == Gic_version::V2 ? dev.gic_cpu : dev.gic_redist) = second;
        gic_is_parent = is_parent;
        gic_icells = p.interrupt_cells.len == 4 ? be32(p.interrupt_cells.data) : 3;
        return {};
    }

    // A CPU node: reg is its MPIDR affinity in /cpus' #address-cells (1 or
    // 2), not a bus address, so it is read as it is.
    Status<Fdt_error> cpu(const Walk_state& s, const Node_props& p) {
        ++cpus;
        Fdt_cpu c;
        u32 ac = s.parent().addr_cells;
        bool reg_ok = p.reg.present() && ac >= 1 && ac <= 2 && p.reg.len >= 4 * ac;
        if (reg_ok) c.hw_id = read_cells(p.reg.data, ac, ac).value();
        // Its NUMA node, by MPIDR, also for CPUs beyond those the kernel starts.
        u32 node = 0;
        if (numa_node(p, node)) {
            if (reg_ok) info.numa.add_cpu(c.hw_id, node);
            else info.numa.report(Numa_problem::Bad_entry, offset_of(p.numa_node_id));
        }
        if (dev.cpu_count == Fdt_devices::max_cpus) return {};
        if (p.reg.present() && !reg_ok) {
            if (ac < 1 || ac > 2) return fail(Fdt_error::Bad_cells, ac);
            return fail(Fdt_error::Bad_property, offset_of(p.reg));
        }
        if (str_eq(p.enable_method, "psci")) c.enable = Cpu_enable::Psci;
        else if (str_eq(p.enable_method, "spin-table")) c.enable = Cpu_enable::Spin_table;
        if (p.release_addr.present()) {
            TRY_ASSIGN(a, number(p.release_addr));
            c.release_addr = a;
        }
        dev.cpus[dev.cpu_count++] = c;
        return {};
    }

    Status<Fdt_error> operator()(const Walk_state& s, const Node_props& p) {
        const Frame& n = s.node();
        if (s.depth == 1) {
            if (p.model.present())
                kstr::copy(dev.model, sizeof dev.model, reinterpret_cast<const char*>(p.model.data),
                           kstr::bounded_len(reinterpret_cast<const char*>(p.model.data), p.model.len));
            if (p.interrupt_parent.len == 4) root_irq_parent = be32(p.interrupt_parent.data);
            return {};
        }
        if (s.depth == 2 && name_eq(n.name, n.name_len, "chosen")) return chosen(p);
        if (!n.enabled) return {};
        if (s.depth == 2 && (str_eq(p.device_type, "memory") || base_name_eq(n.name, n.name_len, "memory")))
            return memory(s, p, false);
        if (s.depth == 3 && name_eq(s.parent().name, s.parent().name_len, "reserved-memory")) return memory(s, p, true);
        if (s.depth == 3 && name_eq(s.parent().name, s.parent().name_len, "cpus") && str_eq(p.device_type, "cpu"))
            return cpu(s, p);
        const Bytes& c = p.compatible;
        if (!c.present()) return {};
        if (list_has(c, "arm,pl011") && (dev.uart.size == 0 || (!dev.uart_is_stdout && stdout_node.present() &&
                                                                  path_is(s, stdout_node)))) {
            TRY_ASSIGN(r, reg(s, p, 0));
            if (r.size == 0) return fail(Fdt_error::Bad_property, p.reg.present() ? offset_of(p.reg) : offset_of(c));
            dev.uart = r;
            dev.uart_is_stdout = stdout_node.present() && path_is(s, stdout_node);
            uart_irqs = p.interrupts;
        } else if (list_has(c, "arm,gic-v3")) {
            return gic(s, p, Gic_version::V3);
        } else if (list_has(c, "arm,gic-400") || list_has(c, "arm,cortex-a15-gic") || list_has(c, "arm,cortex-a9-gic") ||
                   list_has(c, "arm,cortex-a7-gic")) {
            return gic(s, p, Gic_version::V2);
        } else if (list_has(c, "arm,armv8-timer") || list_has(c, "arm,armv7-timer")) {
            if (!timer_irqs.present()) timer_irqs = p.interrupts;
        } else if (list_has(c, "arm,psci", true)) {
            if (str_eq(p.method, "hvc")) dev.psci = Psci_conduit::Hvc;
            else if (str_eq(p.method, "smc")) dev.psci = Psci_conduit::Smc;
            else if (p.method.present()) return fail(Fdt_error::Bad_property, offset_of(p.method));
        } else if (list_has(c, "numa-distance-map-v1")) {
            distance_map(p);
        } else if (list_has(c, "brcm,bcm2835-pm-wdt") || list_has(c, "brcm,bcm2835-pm") || list_has(c, "brcm,bcm2711-pm")) {
            TRY_ASSIGN(r, reg(s, p, 0));
            if (dev.power.size == 0) dev.power = r;
        }
        return {};
    }

    // The timer's interrupts: secure phys, non-secure phys, virtual,
    // hypervisor, each in the GIC's 3-cell form <type number flags>
    // where type 0 = SPI (INTID 32 + n), 1 = PPI (INTID 16 + n).
    Status<Fdt_error> decode_timer() {
        if (!timer_irqs.present()) return {};
        u32 entry = 4 * gic_icells;
        u32 count = timer_irqs.len / entry;
        if (gic_icells < 3 || timer_irqs.len % entry || count < 2)
            return fail(Fdt_error::Bad_property, offset_of(timer_irqs));
        auto intid = [&](u32 i, u32& out) -> Status<Fdt_error> {
            u32 type = be32(timer_irqs.data + i * entry), num = be32(timer_irqs.data + i * entry + 4);
            if (type == 1 && num < 16) out = 16 + num;
            else if (type == 0 && num < 988) out = 32 + num;
            else return fail(Fdt_error::Bad_property, offset_of(timer_irqs));
            return {};
        };
        TRY(intid(1, dev.timer_phys_intid));
        if (count > 2) TRY(intid(2, dev.timer_virt_intid));
        dev.timer_from_dt = true;
        return {};
    }

    // The console UART's first interrupt, in the same form. The console is
    // polled, so a missing or odd property only leaves uart_intid 0.
    void decode_uart_irq() {
        u32 entry = 4 * gic_icells;
        if (!uart_irqs.present() || gic_icells < 3 || uart_irqs.len < entry) return;
        u32 type = be32(uart_irqs.data), num = be32(uart_irqs.data + 4);
        if (type == 1 && num < 16) dev.uart_intid = 16 + num;
        else if (type == 0 && num < 988) dev.uart_intid = 32 + num;
    }
};

}  // namespace

Status<Fdt_error> fdt_parse(const u8* blob, u64 avail, u64 blob_pa, Platform_info& info, Fdt_devices& dev) {
    TRY_ASSIGN(f, Fdt::open(blob, avail));
    dev.boot_cpu = f.boot_cpu();
    if (!info.add_reserved(blob_pa, f.total_size(), Reserved_kind::Boot_data))
        return fail(Fdt_error::Too_many_ranges, Platform_info::max_reserved);
    // The memory-reservation block (validated by open()).
    for (u32 off = be32(blob + 16);; off += 16) {
        u64 base = be64(blob + off), size = be64(blob + off + 8);
        if (base == 0 && size == 0) break;
        u64 end;
        if (!range_end(base, size, end)) return fail(Fdt_error::Bad_memreserve, off);
        if (size && !info.add_reserved(base, size, Reserved_kind::Firmware))
            return fail(Fdt_error::Too_many_ranges, Platform_info::max_reserved);
    }
    Extractor x(f, info, dev);
    TRY(walk(f, x));
    TRY(x.decode_timer());
    x.decode_uart_irq();
    info.cpu_count = x.cpus ? x.cpus : 1;
    info.machine_model = dev.model;
    if (!x.have_ram) return fail(Fdt_error::No_memory);
    if (dev.uart.size == 0) return fail(Fdt_error::No_uart);
    if (dev.gic == Gic_version::None) return fail(Fdt_error::No_interrupt_controller);
    return {};
}

}  // namespace kernel

// Address-space objects: map, unmap and remap frames, map and unmap page
// tables, ASID pools.
#include "vspace_obj.hpp"

#include "invocation.hpp"
#include "log.hpp"
#include "object.hpp"
#include "percpu.hpp"
#include "string.hpp"
#include "thread.hpp"
#include "vm.hpp"

namespace kernel {

namespace {

Asid_pool* asid_table[asid_pools];

constexpr u64 attr_device = 1, attr_execute = 2;

u64 level_of_frame(const Cap& c) { return c.type() == Cap_type::Frame2m ? 1 : 0; }

Physmap_memory no_alloc;  // mapping never creates tables: page tables are objects

// Walks vspace `root` to the entry that translates vaddr at `level`,
// through tables only. Null when a table on the way is missing (the
// level where it is missing goes to *missing).
u64* walk(u64 root, u64 vaddr, unsigned level, unsigned* missing = nullptr) {
    u64 table = root;
    for (unsigned l = arch::Pte_format::levels - 1; l > level; --l) {
        u64 e = no_alloc.table(table)[level_index(vaddr, l)];
        if (!arch::Pte_format::present(e) || !arch::Pte_format::is_table(e, l)) {
            if (missing) *missing = l;
            return nullptr;
        }
        table = arch::Pte_format::address(e, l);
    }
    return &no_alloc.table(table)[level_index(vaddr, level)];
}

Map_attr user_attr(u64 rights, u64 attributes, bool device) {
    Map_attr a = Map_attr::user_ro();
    a.write = (rights & rights::write) != 0;
    a.execute = (attributes & attr_execute) != 0;
    if ((attributes & attr_device) || device) a.cache = Cache::Device;
    return a;
}

// The VSpace root a capability names, if it has an ASID that still names it.
Kresult_of<u64> vspace_root_of(const Cap& vs, unsigned cap_index) {
    if (vs.type() != Cap_type::Vspace || !vspace_has_asid(vs)) return fail(Error::InvalidCapability, cap_index);
    if (asid_lookup(vspace_asid(vs)) != vs.object()) return fail(Error::InvalidCapability, cap_index);
    return vs.object();
}

void unmap_frame(const Cap& c) {
    Mapping m = Mapping::of(c);
    if (!m.mapped) return;
    u64 root = asid_lookup(m.asid);
    if (!root) return;
    unsigned level = unsigned(level_of_frame(c));
    u64* e = walk(root, m.vaddr, level);
    if (e && arch::Pte_format::present(*e) && arch::Pte_format::address(*e, level) == c.object()) {
        *e = 0;
        arch::tables_changed();
        arch::tlb_flush_page(m.asid, m.vaddr);
    }
}

void unmap_page_table(const Cap& c) {
    Mapping m = Mapping::of(c);
    if (!m.mapped) return;
    u64 root = asid_lookup(m.asid);
    unsigned level = c.size_bits();  // the level of the entry that points at it
    if (root) {
        u64* e = walk(root, m.vaddr, level);
        if (e && arch::Pte_format::present(*e) && arch::Pte_format::is_table(*e, level) &&
            arch::Pte_format::address(*e, level) == c.object()) {
            *e = 0;
            arch::tables_changed();
            arch::tlb_flush_asid(m.asid);
        }
    }
    // Cleared, so that mapping it elsewhere brings no stale translations.
    memset(phys_to_virt(c.object()), 0, page_size);
}

void release_asid(u64 asid, u64 root) {
    Asid_pool* pool = asid_table[asid >> asid_pool_bits];
    if (!pool || pool->roots[asid & ((1u << asid_pool_bits) - 1)] != root) return;
    pool->roots[asid & ((1u << asid_pool_bits) - 1)] = 0;
    arch::tlb_flush_asid(asid);
    if (arch::cpu_local()->current == nullptr || arch::cpu_local()->current->vspace_root == root)
        arch::vspace_activate(0, 0);
}

}  // namespace

u64 asid_lookup(u64 asid) {
    if (asid == 0 || asid >= (u64(asid_pools) << asid_pool_bits)) return 0;
    Asid_pool* pool = asid_table[asid >> asid_pool_bits];
    return pool ? pool->roots[asid & ((1u << asid_pool_bits) - 1)] : 0;
}

void asid_boot(u64 pool_pa, u64 root_pa) {
    asid_table[0] = static_cast<Asid_pool*>(phys_to_virt(pool_pa));
    asid_table[0]->roots[1] = root_pa;
}

unsigned frame_bits(const Cap& c) { return c.type() == Cap_type::Frame2m ? 21 : 12; }

void vspace_finalise(const Cap& c) {
    switch (c.type()) {
    case Cap_type::Frame4k:
    case Cap_type::Frame2m: unmap_frame(c); break;
    case Cap_type::PageTable: unmap_page_table(c); break;
    case Cap_type::Vspace:
        if (vspace_has_asid(c)) release_asid(vspace_asid(c), c.object());
        break;
    case Cap_type::AsidPool: {
        u64 index = c.word1() >> asid_pool_bits;
        Asid_pool* pool = asid_table[index];
        if (pool != phys_to_virt(c.object())) break;
        for (u64 i = 0; i < (u64(1) << asid_pool_bits); ++i)
            if (pool->roots[i]) release_asid(c.word1() + i, pool->roots[i]);
        asid_table[index] = nullptr;
        break;
    }
    default: break;
    }
}

namespace inv {

Kresult frame_4k_map(Invocation& inv, Slot* vspace, u64 vaddr, u64 rights_mask, u64 attributes) {
    const Cap frame = inv.cap;
    if (Mapping::of(frame).mapped) return fail(Error::IllegalOperation);
    TRY_ASSIGN(root, vspace_root_of(vspace->cap, 0));
    u64 size = u64(1) << frame_bits(frame);
    u64 end;
    if (!is_aligned(vaddr, size)) return fail(Error::AlignmentError, 0);
    if (!range_end(vaddr, size, end) || end > arch::user_top) return fail(Error::InvalidArgument, 0);
    u64 rights = rights_mask & frame.rights();
    if (!(rights & rights::read)) return fail(Error::InvalidArgument, 1);
    if (attributes & ~(attr_device | attr_execute)) return fail(Error::InvalidArgument, 2);
    unsigned level = unsigned(level_of_frame(frame)), missing = 0;
    u64* e = walk(root, vaddr, level, &missing);
    if (!e) return fail(Error::FailedLookup, missing, u64(Lookup_fault::Missing_capability));
    if (arch::Pte_format::present(*e)) return fail(Error::DeleteFirst);
    *e = arch::Pte_format::leaf(frame.object(), level, user_attr(rights, attributes, frame.device()));
    arch::tables_changed();
    inv.slot->cap = frame.with_word1(Mapping{true, vaddr, vspace_asid(vspace->cap)}.word());
    return {};
}

Kresult frame_4k_unmap(Invocation& inv) {
    unmap_frame(inv.cap);
    inv.slot->cap = inv.cap.with_word1(0);
    return {};
}

Kresult frame_4k_remap(Invocation& inv, u64 rights_mask, u64 attributes) {
    Mapping m = Mapping::of(inv.cap);
    if (!m.mapped) return fail(Error::IllegalOperation);
    u64 rights = rights_mask & inv.cap.rights();
    if (!(rights & rights::read)) return fail(Error::InvalidArgument, 0);
    if (attributes & ~(attr_device | attr_execute)) return fail(Error::InvalidArgument, 1);
    u64 root = asid_lookup(m.asid);
    unsigned level = unsigned(level_of_frame(inv.cap));
    u64* e = root ? walk(root, m.vaddr, level) : nullptr;
    if (!e || !arch::Pte_format::present(*e) || arch::Pte_format::address(*e, level) != inv.cap.object())
        return fail(Error::IllegalOperation);  // the mapping went with its page table or address space
    *e = arch::Pte_format::leaf(inv.cap.object(), level, user_attr(rights, attributes, inv.cap.device()));
    arch::tables_changed();
    arch::tlb_flush_page(m.asid, m.vaddr);
    return {};
}

Kresult frame_4k_get_address(Invocation& inv, u64& paddr) {
    paddr = inv.cap.object();
    return {};
}

Kresult page_table_map(Invocation& inv, Slot* vspace, u64 vaddr, u64 attributes) {
    if (Mapping::of(inv.cap).mapped) return fail(Error::IllegalOperation);
    TRY_ASSIGN(root, vspace_root_of(vspace->cap, 0));
    if (vaddr >= arch::user_top) return fail(Error::InvalidArgument, 0);
    if (attributes != 0) return fail(Error::InvalidArgument, 1);
    // Down to the first level without a table; level 1 entries are the last
    // that can point at a table.
    u64 table = root;
    for (unsigned l = arch::Pte_format::levels - 1; l >= 1; --l) {
        u64& e = no_alloc.table(table)[level_index(vaddr, l)];
        if (!arch::Pte_format::present(e)) {
            e = arch::Pte_format::table(inv.cap.object());
            arch::tables_changed();
            u64 base = align_down(vaddr, level_size(l));
            inv.slot->cap = Cap::make(Cap_type::PageTable, inv.cap.object(), inv.cap.rights(), u8(l), false,
                                      Mapping{true, base, vspace_asid(vspace->cap)}.word());
            return {};
        }
        if (!arch::Pte_format::is_table(e, l)) return fail(Error::DeleteFirst);
        table = arch::Pte_format::address(e, l);
    }
    return fail(Error::DeleteFirst);  // every level already has its table
}

Kresult page_table_unmap(Invocation& inv) {
    unmap_page_table(inv.cap);
    inv.slot->cap = Cap::make(Cap_type::PageTable, inv.cap.object(), inv.cap.rights());
    return {};
}

Kresult asid_control_make_pool(Invocation&, Slot* untyped, Slot* root, u64 index, u64 depth) {
    const Cap ut = untyped->cap;
    if (ut.type() != Cap_type::Untyped || ut.size_bits() != 12 || ut.device()) return fail(Error::InvalidCapability, 0);
    if (has_children(*untyped)) return fail(Error::RevokeFirst);
    if (root->cap.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, 1);
    if (depth < 1 || depth > 64) return fail(Error::RangeError, 1, 64);
    TRY_ASSIGN(dest, lookup_slot(root->cap, index, unsigned(depth)));
    if (!dest->empty()) return fail(Error::DeleteFirst);
    unsigned free = asid_pools;
    for (unsigned i = 0; i < asid_pools && free == asid_pools; ++i)
        if (!asid_table[i]) free = i;
    if (free == asid_pools) return fail(Error::DeleteFirst);  // every pool index is taken
    memset(phys_to_virt(ut.object()), 0, page_size);
    asid_table[free] = static_cast<Asid_pool*>(phys_to_virt(ut.object()));
    untyped->cap = ut.with_watermark(page_size);
    mdb_insert(untyped, dest, Cap::make(Cap_type::AsidPool, ut.object(), rights::all, 0, false, u64(free) << asid_pool_bits),
               true, true);
    return {};
}

Kresult asid_pool_assign(Invocation& inv, Slot* vspace) {
    const Cap vs = vspace->cap;
    if (vs.type() != Cap_type::Vspace) return fail(Error::InvalidCapability, 0);
    if (vspace_has_asid(vs)) return fail(Error::IllegalOperation);
    u64 base = inv.cap.word1();
    Asid_pool* pool = asid_table[base >> asid_pool_bits];
    if (pool != phys_to_virt(inv.cap.object())) return fail(Error::InvalidCapability, 0);
    u64 limit = min<u64>(u64(1) << asid_pool_bits, arch::asid_limit() > base ? arch::asid_limit() - base : 0);
    for (u64 i = 0; i < limit; ++i) {
        if (base + i == 0 || pool->roots[i]) continue;
        pool->roots[i] = vs.object();
        vspace->cap = vs.with_word1(vspace_assigned_bit | (base + i));
        return {};
    }
    return fail(Error::NotEnoughMemory);  // the pool is full
}

}  // namespace inv
}  // namespace kernel

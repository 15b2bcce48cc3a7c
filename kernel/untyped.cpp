// Untyped memory: Retype.
#include "untyped.hpp"

#include "log.hpp"
#include "object.hpp"
#include "string.hpp"
#include "vm.hpp"

namespace kernel {

Cap object_cap(Cap_type type, u64 pa, unsigned size_bits, bool device) {
    switch (type) {
    case Cap_type::Untyped: return Cap::untyped(pa, u8(size_bits), device);
    case Cap_type::Cnode: return Cap::cnode(pa, u8(size_bits), 0, 0);
    case Cap_type::Frame4k:
    case Cap_type::Frame2m: return Cap::make(type, pa, rights::read | rights::write, 0, device);
    default: return Cap::make(type, pa, rights::all);
    }
}

Kresult untyped_retype(Slot* ut, u64 type_value, u64 user_size_bits, const Cap& dest_cnode, u64 offset, u64 count) {
    const Cap ut_cap = ut->cap;
    if (ut_cap.type() != Cap_type::Untyped) return fail(Error::InvalidCapability, 0);

    // Argument 0: the type.
    if (type_value >= baton::object_type_count || !baton::object_type_info[type_value].retype)
        return fail(Error::InvalidArgument, 0);
    auto type = Cap_type(type_value);
    const baton::Object_type_info& info = baton::object_type_info[type_value];
    bool is_frame = type == Cap_type::Frame4k || type == Cap_type::Frame2m;
    if (ut_cap.device() && !is_frame && type != Cap_type::Untyped) return fail(Error::InvalidArgument, 0);

    // Argument 1: the size of variable-size objects.
    unsigned size_bits = info.size_bits;  // the Retype size argument's meaning
    unsigned obj_bits = info.size_bits;   // bytes, as a power of two
    if (info.variable_size) {
        if (user_size_bits < info.size_bits || user_size_bits > info.max_size_bits)
            return fail(Error::RangeError, info.size_bits, info.max_size_bits);
        size_bits = unsigned(user_size_bits);
        obj_bits = type == Cap_type::Cnode ? size_bits + slot_size_bits : size_bits;
    }
    if (obj_bits > ut_cap.size_bits()) return fail(Error::NotEnoughMemory, u64(1) << ut_cap.size_bits());

    // Arguments 2-5: where the capabilities go.
    if (dest_cnode.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, 1);
    u64 slots = u64(1) << dest_cnode.radix();
    if (offset >= slots) return fail(Error::RangeError, 0, slots - 1);
    if (count < 1 || count > max_retype_count) return fail(Error::RangeError, 1, max_retype_count);
    if (count > slots - offset) return fail(Error::RangeError, 1, slots - offset);
    for (u64 i = 0; i < count; ++i)
        if (!cnode_slot(dest_cnode, offset + i)->empty()) return fail(Error::DeleteFirst, offset + i);

    // Room: from the watermark (the whole region when nothing is left in it).
    u64 base = ut_cap.object(), region = u64(1) << ut_cap.size_bits();
    u64 used = has_children(*ut) ? ut_cap.watermark() : 0;
    u64 first = align_up(base + used, u64(1) << obj_bits) - base;
    u64 need = count << obj_bits;
    if (first > region || need > region - first)
        return fail(Error::NotEnoughMemory, region - min(region, align_up(used, u64(1) << obj_bits)));

    // Commit: nothing below can fail.
    for (u64 i = 0; i < count; ++i) {
        u64 pa = base + first + (i << obj_bits);
        if (!ut_cap.device()) memset(phys_to_virt(pa), 0, u64(1) << obj_bits);
        init_object(type, pa, size_bits);
        mdb_insert(ut, cnode_slot(dest_cnode, offset + i), object_cap(type, pa, size_bits, ut_cap.device()), true,
                   true);
    }
    ut->cap = ut_cap.with_watermark(first + need);
    return {};
}

}  // namespace kernel

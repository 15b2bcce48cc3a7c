// NUMA topology bookkeeping (see numa.hpp).
#include "numa.hpp"

#include "platform.hpp"

namespace kernel {

const char* describe(Numa_problem p) {
    switch (p) {
    case Numa_problem::Node_out_of_range: return "node id out of range (entry ignored)";
    case Numa_problem::Bad_entry: return "malformed affinity entry (ignored)";
    case Numa_problem::Memory_overlap: return "memory affinity range overlaps another (ignored)";
    case Numa_problem::Too_many_entries: return "more affinity entries than the kernel keeps (rest ignored)";
    case Numa_problem::Bad_distance: return "invalid node distance (distance table ignored)";
    case Numa_problem::Missing_distance: return "distance table leaves a node pair out (default used)";
    case Numa_problem::Ram_without_node: return "RAM outside every memory affinity range (node 0 assumed)";
    case Numa_problem::Cpu_conflict: return "CPU assigned to a second node (ignored)";
    }
    return "unknown NUMA problem";
}

void Numa_topology::report(Numa_problem what, u64 detail, u64 detail2) {
    if (problem_count < max_problems) problems[problem_count] = {what, detail, detail2};
    ++problem_count;
}

bool Numa_topology::node_ok(u64 node, u64 where) {
    if (node < max_numa_nodes) return true;
    report(Numa_problem::Node_out_of_range, node, where);
    return false;
}

void Numa_topology::add_cpu(u64 hw_id, u32 node) {
    for (u32 i = 0; i < cpu_count; ++i) {
        if (cpus[i].hw_id != hw_id) continue;
        if (cpus[i].node != node) report(Numa_problem::Cpu_conflict, hw_id, node);
        return;
    }
    if (cpu_count == max_cpus) {
        report(Numa_problem::Too_many_entries, max_cpus);
        return;
    }
    cpus[cpu_count++] = {hw_id, node};
    described = true;
}

void Numa_topology::add_mem(u64 base, u64 size, u32 node) {
    u64 end;
    if (size == 0 || !range_end(base, size, end)) {
        report(Numa_problem::Bad_entry, base);
        return;
    }
    for (u32 i = 0; i < mem_count; ++i) {
        if (base < mem[i].base + mem[i].size && mem[i].base < end) {
            report(Numa_problem::Memory_overlap, base, node);
            return;
        }
    }
    if (mem_count == max_mem) {
        report(Numa_problem::Too_many_entries, max_mem);
        return;
    }
    mem[mem_count++] = {base, size, node};
    described = true;
}

bool Numa_topology::set_distance(u32 from, u32 to, u32 d) {
    bool ok = from == to ? d == numa_local_distance : d > numa_local_distance && d <= 255;
    if (!ok) {
        report(Numa_problem::Bad_distance, u64(from) << 8 | to, d);
        return false;
    }
    distance[from][to] = u8(d);
    distances_given = true;
    return true;
}

void Numa_topology::clear_distances() {
    for (auto& row : distance)
        for (u8& d : row) d = 0;
    distances_given = false;
}

void Numa_topology::finish() {
    u32 highest = 0;
    for (u32 i = 0; i < cpu_count; ++i) highest = max(highest, cpus[i].node);
    for (u32 i = 0; i < mem_count; ++i) highest = max(highest, mem[i].node);
    node_count = highest + 1;
    // A table that names some pairs but not all of the nodes in use.
    bool reported = false;
    for (u32 a = 0; a < node_count; ++a)
        for (u32 b = 0; b < node_count; ++b)
            if (distance[a][b] == 0) {
                if (distances_given && !reported) {
                    report(Numa_problem::Missing_distance, u64(a) << 8 | b);
                    reported = true;
                }
                distance[a][b] = u8(a == b ? numa_local_distance : numa_remote_distance);
            }
}

u32 Numa_topology::distance_between(u32 a, u32 b) const {
    if (a < max_numa_nodes && b < max_numa_nodes && distance[a][b]) return distance[a][b];
    return a == b ? numa_local_distance : numa_remote_distance;
}

u32 Numa_topology::cpu_node(u64 hw_id) const {
    for (u32 i = 0; i < cpu_count; ++i)
        if (cpus[i].hw_id == hw_id) return cpus[i].node;
    return 0;
}

bool Numa_topology::mem_node(u64 pa, u32& node, u64* range_end) const {
    for (u32 i = 0; i < mem_count; ++i) {
        if (pa >= mem[i].base && pa - mem[i].base < mem[i].size) {
            node = mem[i].node;
            if (range_end) *range_end = mem[i].base + mem[i].size;
            return true;
        }
    }
    return false;
}

void numa_apply(Platform_info& info) {
    Numa_topology& t = info.numa;
    Mem_range out[Platform_info::max_ram];
    u32 node[Platform_info::max_ram];
    u32 n = 0;
    bool reported_full = false;
    for (u32 i = 0; i < info.ram_count; ++i) {
        u64 b = info.ram[i].base, e = info.ram[i].end();
        // Entries this range may take, leaving one for each range after it.
        u32 room = Platform_info::max_ram - n - (info.ram_count - i - 1);
        for (u32 pieces = 1; b < e; ++pieces) {
            u32 nd = 0;
            u64 seg_end = e;
            u64 range_end = 0;
            if (t.mem_node(b, nd, &range_end)) {
                seg_end = min(e, range_end);
            } else {
                // Up to the next affinity range, if one starts inside.
                for (u32 m = 0; m < t.mem_count; ++m)
                    if (t.mem[m].base > b && t.mem[m].base < seg_end) seg_end = t.mem[m].base;
                if (t.mem_count) t.report(Numa_problem::Ram_without_node, b);
            }
            if (pieces == room && seg_end < e) {
                // No room to split further: the rest of the range keeps
                // the node of this piece.
                if (!reported_full) t.report(Numa_problem::Too_many_entries, Platform_info::max_ram);
                reported_full = true;
                seg_end = e;
            }
            out[n] = {b, seg_end - b};
            node[n++] = nd;
            b = seg_end;
        }
    }
    for (u32 i = 0; i < n; ++i) {
        info.ram[i] = out[i];
        info.ram_node[i] = node[i];
    }
    info.ram_count = n;
    t.finish();
}

bool numa_ram_node(const Platform_info& info, u64 pa, u64 limit, u32& node, u64& end) {
    u32 i = 0;
    while (i < info.ram_count && !(pa >= info.ram[i].base && pa < info.ram[i].end())) ++i;
    if (i == info.ram_count) return false;
    node = info.ram_node[i];
    end = info.ram[i].end();
    // Adjacent ranges of the same node continue the run.
    for (u32 steps = 0; steps < info.ram_count && end < limit; ++steps) {
        bool extended = false;
        for (u32 j = 0; j < info.ram_count; ++j) {
            if (info.ram_node[j] == node && info.ram[j].base <= end && info.ram[j].end() > end) {
                end = info.ram[j].end();
                extended = true;
            }
        }
        if (!extended) break;
    }
    end = min(end, limit);
    return true;
}

}  // namespace kernel

// NUMA topology as the firmware describes it: which node each CPU and each
// range of memory belongs to, and the relative distances between nodes.
//
// Sources: ACPI SRAT and SLIT on x86_64 (acpi.cpp), `numa-node-id` and
// /distance-map in the device tree on arm64 (fdt.cpp). Both fill a
// Numa_topology; the core (numa_apply) then tags every RAM range of the
// Platform_info with its node, splitting ranges at node boundaries, so
// that no untyped region handed to the root task spans two nodes.
//
// Node ids are the firmware's (SRAT proximity domains, DT numa-node-id),
// which are also the indices of the distance tables; ids at or above
// max_numa_nodes are reported and their entries ignored. Distances are in
// SLIT units: 10 is local; a node pair the firmware says nothing about is
// 10 apart on the diagonal and 20 elsewhere [ACPI 6.5 5.2.17].
//
// Malformed entries never stop the boot: each is recorded as a problem (the
// first few kept for the boot log) and left out.
#pragma once

#include "types.hpp"

namespace kernel {

constexpr u32 max_numa_nodes = 8;
constexpr u32 numa_local_distance = 10;
constexpr u32 numa_remote_distance = 20;

enum class Numa_problem : u32 {
    Node_out_of_range,   // detail: the node id; detail2: where (table offset or DT offset)
    Bad_entry,           // detail: offset of the entry or property
    Memory_overlap,      // detail: base of the range; detail2: its node
    Too_many_entries,    // detail: the capacity
    Bad_distance,        // detail: from << 8 | to; detail2: the distance (table ignored)
    Missing_distance,    // detail: from << 8 | to: a node pair the table leaves out (default used)
    Ram_without_node,    // detail: base of RAM no affinity range covers (node 0 assumed)
    Cpu_conflict,        // detail: hardware id of a CPU given a second, other node; detail2: that node
};
const char* describe(Numa_problem p);

struct Numa_topology {
    static constexpr u32 max_mem = 32;
    static constexpr u32 max_cpus = 64;
    static constexpr u32 max_problems = 8;

    struct Mem {
        u64 base, size;
        u32 node;
    };
    struct Cpu {
        u64 hw_id;  // arm64: MPIDR affinity (Aff3 in bits 39:32); x86_64: (x2)APIC id
        u32 node;
    };
    struct Problem {
        Numa_problem what;
        u64 detail, detail2;
    };

    bool described = false;  // the firmware assigned anything to a node
    u32 node_count = 1;      // 1 + the highest node a CPU or memory range is in
    u8 distance[max_numa_nodes][max_numa_nodes] = {};  // 0: not given
    bool distances_given = false;
    Mem mem[max_mem] = {};
    u32 mem_count = 0;
    Cpu cpus[max_cpus] = {};
    u32 cpu_count = 0;
    Problem problems[max_problems] = {};
    u32 problem_count = 0;  // all of them; problems[] holds the first max_problems

    void report(Numa_problem what, u64 detail, u64 detail2 = 0);
    // False (and reported, with `where`) for a node id out of range.
    bool node_ok(u64 node, u64 where);
    // Records that the CPU with hardware id hw_id is in `node` (checked by
    // the caller with node_ok). A second entry for the same CPU is ignored,
    // and reported if it names another node.
    void add_cpu(u64 hw_id, u32 node);
    // Records [base, base+size) as memory of `node`; an overlap with a
    // range already recorded is reported and the new range dropped.
    void add_mem(u64 base, u64 size, u32 node);
    // Records one distance; a value no table may hold (diagonal other than
    // 10, off-diagonal 10 or less, above 255) is reported and false.
    bool set_distance(u32 from, u32 to, u32 d);
    // Drops every distance (after an invalid table).
    void clear_distances();

    // Sets node_count and fills the distances left out (reporting each
    // pair a given table misses). Called once every source has been read.
    void finish();

    u32 distance_between(u32 a, u32 b) const;
    // The node of the CPU with hardware id hw_id (0 when not listed).
    u32 cpu_node(u64 hw_id) const;
    // The node of the memory range containing pa; false if none does.
    bool mem_node(u64 pa, u32& node, u64* range_end = nullptr) const;
};

struct Platform_info;

// Applies info.numa to info.ram: splits the RAM ranges at affinity range
// boundaries and sets info.ram_node[] (RAM outside every range: node 0,
// reported). Calls numa.finish(). Without a topology every range is node 0.
void numa_apply(Platform_info& info);

// The node of physical address pa if it is RAM, and through `end` where
// the run of RAM of that node starting at pa ends (capped at limit).
// false: pa is not RAM.
bool numa_ram_node(const Platform_info& info, u64 pa, u64 limit, u32& node, u64& end);

}  // namespace kernel

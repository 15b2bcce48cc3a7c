// ktest: the NUMA topology in the boot info, and untyped memory by node.
#include "ktest.hpp"

using namespace ktest;

KTEST(numa_topology_consistent, "boot info: the NUMA topology is self-consistent") {
    const baton_bootinfo* bi = env.bi;
    uint32_t nodes = bi->node_count;
    KEXPECT_EQ(nodes >= 1 && nodes <= BATON_BOOTINFO_MAX_NODES, 1);
    if (nodes < 1 || nodes > BATON_BOOTINFO_MAX_NODES) return;
    // Each CPU is in exactly its node's mask; no mask names a CPU that is not there.
    uint64_t all = 0;
    for (uint32_t n = 0; n < nodes; ++n) {
        KEXPECT_EQ(all & bi->node_cpus[n], 0);
        all |= bi->node_cpus[n];
    }
    for (uint32_t n = nodes; n < BATON_BOOTINFO_MAX_NODES; ++n) KEXPECT_EQ(bi->node_cpus[n], 0);
    uint32_t cpus = bi->cpu_count < 64 ? bi->cpu_count : 64;
    KEXPECT_EQ(all, cpus == 64 ? ~0ull : (1ull << cpus) - 1);
    for (uint32_t c = 0; c < cpus; ++c) {
        KEXPECT_EQ(bi->cpu_node[c] < nodes, 1);
        if (bi->cpu_node[c] < nodes) KEXPECT_EQ(bi->node_cpus[bi->cpu_node[c]] >> c & 1, 1);
    }
    // Distances in SLIT units: 10 to itself, more to any other node.
    for (uint32_t a = 0; a < nodes; ++a)
        for (uint32_t b = 0; b < nodes; ++b) {
            if (a == b) KEXPECT_EQ(bi->node_distance[a][b], 10);
            else KEXPECT_EQ(bi->node_distance[a][b] > 10, 1);
        }
    // The nodes' RAM adds up to all RAM.
    uint64_t ram = 0;
    for (uint32_t n = 0; n < nodes; ++n) ram += bi->node_ram[n];
    KEXPECT_EQ(ram, bi->ram_total);
    // Every untyped block has a node (RAM) or none (device memory), and a
    // RAM block lies inside one free region of its own node.
    for (uint32_t i = 0; i < bi->untyped_count && i < BATON_BOOTINFO_MAX_UNTYPED; ++i) {
        const auto& u = bi->untyped[i];
        if (u.device) {
            KEXPECT_EQ(u.node, BATON_NODE_NONE);
            continue;
        }
        KEXPECT_EQ(u.node < nodes, 1);
        uint64_t end = u.base + (1ull << u.size_bits);
        bool inside = false;
        for (uint32_t r = 0; r < bi->region_count && r < BATON_BOOTINFO_MAX_REGIONS; ++r) {
            const baton_region& g = bi->regions[r];
            if (g.kind == BATON_REGION_FREE && u.base >= g.base && end <= g.base + g.size) {
                inside = true;
                KEXPECT_EQ(g.node, u.node);
            }
        }
        KEXPECT_EQ(inside, 1);
    }
}

KTEST(numa_retype_on_node, "untyped.retype from each node's largest untyped") {
    const baton_bootinfo* bi = env.bi;
    unsigned pool_bits = 0;
    baton_cptr pool = baton_largest_untyped(bi, &pool_bits);
    bool pool_seen = false;
    for (uint32_t n = 0; n < bi->node_count && n < BATON_BOOTINFO_MAX_NODES; ++n) {
        unsigned bits = 0;
        baton_cptr ut = baton_largest_untyped_on_node(bi, n, &bits);
        if (ut == 0) {
            KEXPECT_EQ(bits, 0);
            continue;
        }
        KEXPECT_EQ(bi->untyped[ut - bi->untyped_first].node, n);
        KEXPECT_EQ(bits <= pool_bits, 1);
        pool_seen |= ut == pool;
        // An endpoint and a frame from it; the runner deletes them after
        // the test, which leaves the untyped empty again.
        baton_cptr ep = env.slot(), frame = env.slot();
        KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, ep, 1));
        KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_FRAME_4K, 0, root_cnode, 0, 0, frame, 1));
        KEXPECT_EQ(identify(ep).type, BATON_OBJ_ENDPOINT);
        KEXPECT_EQ(identify(frame).type, BATON_OBJ_FRAME_4K);
    }
    // The largest untyped of all is the largest of its node.
    KEXPECT_EQ(pool_seen, 1);
    // A node beyond those described has no untyped.
    unsigned bits = 99;
    KEXPECT_EQ(baton_largest_untyped_on_node(bi, BATON_BOOTINFO_MAX_NODES, &bits), 0);
    KEXPECT_EQ(bits, 0);
}

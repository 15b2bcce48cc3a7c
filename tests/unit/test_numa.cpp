// NUMA bookkeeping (kernel/numa.cpp): RAM ranges split at node boundaries
// and tagged, runs of one node's RAM, defaults without a topology.
#include <doctest/doctest.h>

#include <string>

#include "numa_check.hpp"
#include "platform.hpp"

using namespace kernel;

TEST_CASE("numa: without a topology everything is node 0, distance 10") {
    Platform_info info;
    info.add_ram(0x100000, 0x3ff00000);
    numa_apply(info);
    CHECK(info.ram_count == 1);
    CHECK(info.ram_node[0] == 0);
    CHECK(info.numa.node_count == 1);
    CHECK(info.numa.distance_between(0, 0) == 10);
    CHECK(info.numa.problem_count == 0);
    u32 node = 7;
    u64 end = 0;
    CHECK(numa_ram_node(info, 0x200000, ~u64(0), node, end));
    CHECK(node == 0);
    CHECK(end == 0x40000000);
    CHECK(!numa_ram_node(info, 0x40000000, ~u64(0), node, end));
}

TEST_CASE("numa: RAM split at the affinity ranges (q35 with two 512 MiB nodes)") {
    Platform_info info;
    info.add_ram(0, 0x9fc00);
    info.add_ram(0x100000, 0x3fee0000);  // up to 0x3ffe0000, across the node boundary
    info.numa.add_mem(0, 0xa0000, 0);
    info.numa.add_mem(0x100000, 0x1ff00000, 0);
    info.numa.add_mem(0x20000000, 0x20000000, 1);
    info.numa.add_cpu(0, 0);
    info.numa.add_cpu(1, 1);
    numa_apply(info);
    REQUIRE(info.ram_count == 3);
    CHECK(info.ram[1].base == 0x100000);
    CHECK(info.ram[1].end() == 0x20000000);
    CHECK(info.ram_node[1] == 0);
    CHECK(info.ram[2].base == 0x20000000);
    CHECK(info.ram[2].end() == 0x3ffe0000);
    CHECK(info.ram_node[2] == 1);
    CHECK(info.numa.node_count == 2);
    CHECK(info.numa.problem_count == 0);
    u32 node = 9;
    u64 end = 0;
    REQUIRE(numa_ram_node(info, 0x1000000, ~u64(0), node, end));
    CHECK(node == 0);
    CHECK(end == 0x20000000);
    REQUIRE(numa_ram_node(info, 0x30000000, 0x31000000, node, end));
    CHECK(node == 1);
    CHECK(end == 0x31000000);
}

TEST_CASE("numa: adjacent RAM of one node is one run") {
    Platform_info info;
    info.add_ram(0x40000000, 0x20000000);
    info.add_ram(0x60000000, 0x20000000);
    info.numa.add_mem(0x40000000, 0x20000000, 1);
    info.numa.add_mem(0x60000000, 0x20000000, 1);
    numa_apply(info);
    u32 node = 0;
    u64 end = 0;
    REQUIRE(numa_ram_node(info, 0x40001000, ~u64(0), node, end));
    CHECK(node == 1);
    CHECK(end == 0x80000000);
}

TEST_CASE("numa: RAM outside every affinity range is node 0, reported") {
    Platform_info info;
    info.add_ram(0x0, 0x4000000);
    info.numa.add_mem(0x1000000, 0x1000000, 1);
    numa_apply(info);
    REQUIRE(info.ram_count == 3);
    CHECK(info.ram_node[0] == 0);
    CHECK(info.ram[1].base == 0x1000000);
    CHECK(info.ram_node[1] == 1);
    CHECK(info.ram_node[2] == 0);
    CHECK(info.numa.problem_count == 2);
    CHECK(info.numa.problems[0].what == Numa_problem::Ram_without_node);
    CHECK(info.numa.problems[1].detail == 0x2000000);
}

TEST_CASE("numa: splitting stops when the RAM table is full, no range lost") {
    Platform_info info;
    const u32 ranges = Platform_info::max_ram - 1;
    for (u32 i = 0; i < ranges; ++i) info.add_ram(u64(i) * 0x10000000, 0xc000000);
    // The first range spans three nodes: room for one split only.
    info.numa.add_mem(0x0, 0x4000000, 0);
    info.numa.add_mem(0x4000000, 0x4000000, 1);
    info.numa.add_mem(0x8000000, 0x4000000, 2);
    numa_apply(info);
    REQUIRE(info.ram_count == Platform_info::max_ram);
    CHECK(info.ram[0].size == 0x4000000);
    CHECK(info.ram[1].base == 0x4000000);
    CHECK(info.ram[1].size == 0x8000000);
    CHECK(info.ram_node[1] == 1);
    u64 total = 0;
    for (u32 i = 0; i < info.ram_count; ++i) total += info.ram[i].size;
    CHECK(total == u64(ranges) * 0xc000000);
    CHECK(has_problem(info.numa, Numa_problem::Too_many_entries));
}

TEST_CASE("numa: distances") {
    Numa_topology t;
    CHECK(t.set_distance(0, 1, 25));
    CHECK(!t.set_distance(1, 1, 12));
    CHECK(!t.set_distance(0, 1, 256));
    CHECK(!t.set_distance(0, 1, 10));
    CHECK(t.problem_count == 3);
    CHECK(t.distance_between(0, 1) == 25);
    CHECK(t.distance_between(1, 0) == 20);  // not given: the default
    CHECK(t.distance_between(max_numa_nodes, 0) == 20);
    for (u32 p = 0; p <= u32(Numa_problem::Cpu_conflict); ++p)
        CHECK(std::string(describe(Numa_problem(p))) != "unknown NUMA problem");
}

TEST_CASE("numa: a CPU named twice keeps its first node; another node is reported") {
    Numa_topology t;
    t.add_cpu(5, 1);
    t.add_cpu(5, 1);
    CHECK(t.problem_count == 0);
    t.add_cpu(5, 2);
    CHECK(t.cpu_count == 1);
    CHECK(t.cpu_node(5) == 1);
    CHECK(has_problem(t, Numa_problem::Cpu_conflict, 5));
    CHECK(t.problems[0].detail2 == 2);
}

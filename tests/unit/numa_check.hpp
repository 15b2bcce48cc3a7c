// Test helper: whether a Numa_topology recorded a problem (with a given
// detail, if one is named).
#pragma once

#include "numa.hpp"

inline bool has_problem(const kernel::Numa_topology& t, kernel::Numa_problem what, const u64* detail = nullptr) {
    for (u32 i = 0; i < t.problem_count && i < kernel::Numa_topology::max_problems; ++i)
        if (t.problems[i].what == what && (!detail || t.problems[i].detail == *detail)) return true;
    return false;
}
inline bool has_problem(const kernel::Numa_topology& t, kernel::Numa_problem what, u64 detail) {
    return has_problem(t, what, &detail);
}

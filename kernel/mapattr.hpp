// Architecture-neutral mapping attributes; each arch's Pte_format turns
// them into its own entry bits.
#pragma once

#include "types.hpp"

namespace kernel {

enum class Cache : u8 { Normal, Device };

struct Map_attr {
    bool write = false;
    bool execute = false;
    bool user = false;
    bool global = true;   // kernel mappings; user mappings set false
    Cache cache = Cache::Normal;

    static constexpr Map_attr kernel_rw() { return {true, false, false, true, Cache::Normal}; }
    static constexpr Map_attr kernel_rx() { return {false, true, false, true, Cache::Normal}; }
    static constexpr Map_attr kernel_ro() { return {false, false, false, true, Cache::Normal}; }
    static constexpr Map_attr device() { return {true, false, false, true, Cache::Device}; }
    static constexpr Map_attr user_rw() { return {true, false, true, false, Cache::Normal}; }
    static constexpr Map_attr user_rx() { return {false, true, true, false, Cache::Normal}; }
    static constexpr Map_attr user_ro() { return {false, false, true, false, Cache::Normal}; }
};

}  // namespace kernel

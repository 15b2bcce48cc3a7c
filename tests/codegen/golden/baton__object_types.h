// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// Kernel object and capability types: the values Untyped.Retype takes and
// the kernel stores in capabilities. Flat and fixed.
#pragma once

#include <stdint.h>

typedef enum baton_object_type {
    BATON_OBJ_NULL = 0,  /* An empty slot. */
    BATON_OBJ_UNTYPED = 1,  /* A power-of-two region of physical memory, retyped into other objects. */
    BATON_OBJ_TCB = 2,  /* A thread control block. */
    BATON_OBJ_ENDPOINT = 3,  /* A synchronous IPC endpoint. */
    BATON_OBJ_NOTIFICATION = 4,  /* An asynchronous notification word with waiters. */
    BATON_OBJ_REPLY = 5,  /* A reply object: holds the caller of a Call until the reply. */
    BATON_OBJ_CNODE = 6,  /* A capability node of 2^radix slots (the Retype size is the radix). */
    BATON_OBJ_FRAME_4K = 7,  /* A 4 KiB page of memory that can be mapped. */
    BATON_OBJ_FRAME_2M = 8,  /* A 2 MiB page of memory that can be mapped. */
    BATON_OBJ_PAGE_TABLE = 9,  /* An intermediate translation table (any level below the root). */
    BATON_OBJ_VSPACE = 10,  /* The root translation table of an address space. */
    BATON_OBJ_ASID_POOL = 11,  /* A pool of address-space identifiers (ASIDs on arm64, PCIDs on x86_64); made by AsidControl.MakePool. */
    BATON_OBJ_ASID_CONTROL = 12,  /* The authority to create ASID pools. */
    BATON_OBJ_IRQ_CONTROL = 13,  /* The authority to create IRQ handler capabilities. */
    BATON_OBJ_IRQ_HANDLER = 14,  /* The authority to acknowledge and route one interrupt. */
} baton_object_type;

#ifdef __cplusplus
namespace baton {
enum class Object_type : uint8_t {
    Null = 0,
    Untyped = 1,
    Tcb = 2,
    Endpoint = 3,
    Notification = 4,
    Reply = 5,
    Cnode = 6,
    Frame4k = 7,
    Frame2m = 8,
    PageTable = 9,
    Vspace = 10,
    AsidPool = 11,
    AsidControl = 12,
    IrqControl = 13,
    IrqHandler = 14,
};
constexpr unsigned object_type_count = 15;

struct Object_type_info {
    const char* name;
    bool retype;            // Untyped.Retype can make it
    bool variable_size;     // size given by the Retype call
    uint8_t size_bits;      // fixed size, or the minimum for variable ones
    uint8_t max_size_bits;  // variable ones only
};

// Indexed by the type's value.
constexpr Object_type_info object_type_info[] = {
    {"null", false, false, 0, 0},
    {"untyped", true, true, 4, 47},
    {"tcb", true, false, 11, 0},
    {"endpoint", true, false, 5, 0},
    {"notification", true, false, 6, 0},
    {"reply", true, false, 5, 0},
    {"cnode", true, true, 1, 24},
    {"frame_4k", true, false, 12, 0},
    {"frame_2m", true, false, 21, 0},
    {"page_table", true, false, 12, 0},
    {"vspace", true, false, 12, 0},
    {"asid_pool", false, false, 12, 0},
    {"asid_control", false, false, 0, 0},
    {"irq_control", false, false, 0, 0},
    {"irq_handler", false, false, 0, 0},
};
}  // namespace baton
#endif

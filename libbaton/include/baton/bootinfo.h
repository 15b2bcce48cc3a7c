/* The boot-info page: what the kernel tells the root task at start-up.
 *
 * The kernel maps one read-only page holding a struct baton_bootinfo into
 * the root task and passes its address as the first argument of _start.
 * Plain C so that C and C++ programs share it; the kernel includes it too.
 */
#pragma once

#include <stdint.h>

#define BATON_BOOTINFO_MAGIC 0x464e49544f544142ull /* "BATOTINF" little-endian */
#define BATON_BOOTINFO_VERSION 3
#define BATON_BOOTINFO_MAX_REGIONS 48
/* RAM first, then device memory: a 48-bit physical address space with a
 * few holes takes some 40-80 power-of-two blocks. */
#define BATON_BOOTINFO_MAX_UNTYPED 128
/* NUMA: nodes the boot info describes, CPUs its per-CPU tables cover, and
 * the node of memory that belongs to none (device memory, firmware ranges
 * outside RAM). */
#define BATON_BOOTINFO_MAX_NODES 8
#define BATON_BOOTINFO_MAX_CPUS 64
#define BATON_NODE_NONE 0xffffu

/* The root task's CNode: 2^BATON_ROOT_CNODE_BITS slots, with a guard so
 * that a slot number is a capability pointer resolved at depth 64. These
 * slots hold the capabilities every root task starts with. */
#define BATON_ROOT_CNODE_BITS 12
enum baton_root_slot {
    BATON_CAP_NULL = 0,
    BATON_CAP_INIT_TCB = 1,        /* the root task's thread */
    BATON_CAP_INIT_CNODE = 2,      /* this CNode */
    BATON_CAP_INIT_VSPACE = 3,     /* the root task's address space */
    BATON_CAP_IRQ_CONTROL = 4,     /* authority over interrupts */
    BATON_CAP_ASID_CONTROL = 5,    /* authority to make ASID pools */
    BATON_CAP_IPC_BUFFER = 6,      /* the frame holding the root task's IPC buffer */
    BATON_CAP_BOOTINFO_FRAME = 7,  /* the frame holding this page */
    BATON_CAP_INIT_ASID_POOL = 8,  /* the ASID pool the root task's address space has its ASID from */
    BATON_CAP_FIRST_FREE = 9,      /* image frames, untyped capabilities, then empty slots */
};

enum baton_region_kind {
    BATON_REGION_FREE = 0,      /* RAM nobody uses: the root task's to allocate */
    BATON_REGION_KERNEL = 1,    /* the kernel image and its boot-time data */
    BATON_REGION_BOOT_DATA = 2, /* device tree / Multiboot information */
    BATON_REGION_ROOT_TASK = 3, /* the root task's image and the pages it was loaded into */
    BATON_REGION_FIRMWARE = 4,  /* reserved by firmware */
    BATON_REGION_DEVICE = 5,    /* device memory */
};

struct baton_region {
    uint64_t base;
    uint64_t size;
    uint32_t kind; /* enum baton_region_kind */
    uint32_t node; /* NUMA node of RAM; BATON_NODE_NONE outside RAM */
};

struct baton_bootinfo {
    uint64_t magic;   /* BATON_BOOTINFO_MAGIC */
    uint32_t version; /* BATON_BOOTINFO_VERSION */
    uint32_t size;    /* bytes of this structure */
    char platform[32];      /* "qemu-virt-arm64", "rpi4", "pc-x86_64" */
    char machine[64];       /* the device tree's model, or the firmware's name */
    char arch[16];          /* "arm64" or "x86_64" */
    char cmdline[256];      /* the kernel command line */
    uint32_t cpu_count;     /* CPUs the platform describes */
    uint32_t region_count;  /* entries used in regions[] */
    uint64_t ram_total;     /* bytes of RAM the platform describes */
    uint64_t free_total;    /* bytes of RAM in BATON_REGION_FREE regions */
    uint64_t timer_hz;      /* the kernel's tick rate */
    uint64_t stack_base;    /* the root task's stack: [stack_base, stack_top) */
    uint64_t stack_top;
    uint64_t image_base;    /* lowest and highest user address of the loaded image */
    uint64_t image_end;
    uint64_t ipc_buffer;    /* user address of the root task's IPC buffer */
    uint32_t image_frames_first; /* 4 KiB frame capabilities of the root task's image and stack, */
    uint32_t image_frames_end;   /* mapped where they are: slots [first, end) */
    uint32_t untyped_first; /* root CNode slot of untyped[0] */
    uint32_t untyped_count; /* untyped capabilities in slots untyped_first.. */
    uint32_t empty_first;   /* the empty slots: [empty_first, empty_end) */
    uint32_t empty_end;
    /* Device untyped memory (untyped[i].device = 1, after the RAM ones)
     * covers every physical address in [0, device_end) that is neither
     * RAM nor a reserved region (the devices the kernel drives are
     * BATON_REGION_DEVICE regions). device_end is 2^paddr_bits, or 2^48
     * where the CPU has more: capabilities name 48-bit addresses. */
    uint32_t paddr_bits;       /* the CPU's physical address width */
    uint32_t untyped_left_out; /* blocks that did not fit untyped[]; 0: none */
    uint64_t device_end;
    uint64_t left_out_base;    /* with untyped_left_out: untyped memory from here up
                                  (RAM, or device memory if RAM all fitted) has no capability */
    /* NUMA topology, from ACPI SRAT/SLIT or the device tree's numa-node-id
     * and distance-map; without one: one node 0 holding every CPU and all
     * RAM. No region or untyped block spans two nodes. */
    uint32_t node_count;       /* nodes 0 .. node_count-1 (some may be empty) */
    uint32_t regions_left_out; /* regions that did not fit regions[]; 0: none */
    uint64_t node_cpus[BATON_BOOTINFO_MAX_NODES];  /* bit c: CPU c is in the node */
    uint64_t node_ram[BATON_BOOTINFO_MAX_NODES];   /* bytes of RAM in the node */
    /* Relative distances in ACPI SLIT units: 10 = local; [from][to]. */
    uint8_t node_distance[BATON_BOOTINFO_MAX_NODES][BATON_BOOTINFO_MAX_NODES];
    uint8_t cpu_node[BATON_BOOTINFO_MAX_CPUS];     /* the node of CPU c, c < cpu_count */
    struct baton_region regions[BATON_BOOTINFO_MAX_REGIONS]; /* sorted by base */
    struct baton_untyped {
        uint64_t base;      /* physical address */
        uint8_t size_bits;  /* the region is 2^size_bits bytes */
        uint8_t device;     /* device memory: frames only, not zeroed */
        uint16_t node;      /* NUMA node; BATON_NODE_NONE for device memory */
        uint32_t reserved;
    } untyped[BATON_BOOTINFO_MAX_UNTYPED];
};

static inline const char *baton_region_kind_name(uint32_t kind) {
    switch (kind) {
    case BATON_REGION_FREE: return "free";
    case BATON_REGION_KERNEL: return "kernel";
    case BATON_REGION_BOOT_DATA: return "boot data";
    case BATON_REGION_ROOT_TASK: return "root task";
    case BATON_REGION_FIRMWARE: return "firmware";
    case BATON_REGION_DEVICE: return "device";
    }
    return "unknown";
}

#ifdef __cplusplus
static_assert(sizeof(struct baton_bootinfo) <= 4096, "the boot info fits one page");
#endif

// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// System-call numbers. Flat and fixed: independent of build options.
#pragma once

#define BATON_SYS_CALL 6
#define BATON_SYS_DEBUG_PUT_CHAR 1
#define BATON_SYS_DEBUG_WRITE 2
#define BATON_SYS_YIELD 3
#define BATON_SYS_THREAD_EXIT 4
#define BATON_SYS_DEBUG_TICKS 5
#define BATON_SYS_DEBUG_CAP_IDENTIFY 7
#define BATON_SYS_SEND 8
#define BATON_SYS_RECV 9
#define BATON_SYS_NB_RECV 10
#define BATON_SYS_REPLY_RECV 12
#define BATON_SYS_NB_SEND 13
#define BATON_SYS_DEBUG_IRQ_RAISE 11
#define BATON_SYS_NULL 20
#define BATON_SYS_DEBUG_FPU_TRAPS 21
#define BATON_SYS_DEBUG_IPC_STATS 22
#define BATON_SYS_CPU_ID 23
#define BATON_SYS_DEBUG_LOCK_STATS 24

#ifdef __cplusplus
#include <stdint.h>
namespace baton {
enum class Syscall : uint64_t {
    Call = 6,
    DebugPutChar = 1,
    DebugWrite = 2,
    Yield = 3,
    ThreadExit = 4,
    DebugTicks = 5,
    DebugCapIdentify = 7,
    Send = 8,
    Recv = 9,
    NbRecv = 10,
    ReplyRecv = 12,
    NbSend = 13,
    DebugIrqRaise = 11,
    Null = 20,
    DebugFpuTraps = 21,
    DebugIpcStats = 22,
    CpuId = 23,
    DebugLockStats = 24,
};
}  // namespace baton
#endif

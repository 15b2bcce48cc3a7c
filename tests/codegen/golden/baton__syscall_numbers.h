// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// System-call numbers. Flat and fixed: independent of build options.
#pragma once

#define BATON_SYS_DEBUG_PUT_CHAR 1
#define BATON_SYS_DEBUG_WRITE 2
#define BATON_SYS_YIELD 3
#define BATON_SYS_THREAD_EXIT 4
#define BATON_SYS_DEBUG_TICKS 5

#ifdef __cplusplus
#include <stdint.h>
namespace baton {
enum class Syscall : uint64_t {
    DebugPutChar = 1,
    DebugWrite = 2,
    Yield = 3,
    ThreadExit = 4,
    DebugTicks = 5,
};
}  // namespace baton
#endif

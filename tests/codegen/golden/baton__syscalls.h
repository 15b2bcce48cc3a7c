// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// The system-call stubs of the architecture being compiled for.
#pragma once

#if defined(__aarch64__)
#include "syscalls_aarch64.h"
#elif defined(__x86_64__)
#include "syscalls_x86_64.h"
#else
#error "Baton supports aarch64 and x86_64"
#endif

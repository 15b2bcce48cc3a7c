// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// Error codes returned by every system call and invocation.
#pragma once

#ifdef __cplusplus
#include <stdint.h>
namespace baton {
enum class Error : uint64_t {
    Ok = 0,  // The operation succeeded.
    InvalidArgument = 1,  // An argument is out of its domain; the detail names the argument index.
    InvalidCapability = 2,  // A capability argument does not refer to a capability of the required type.
    IllegalOperation = 3,  // The operation is not permitted on this object or in this state.
    RangeError = 4,  // A value lies outside the permitted range; the detail gives the bounds.
    AlignmentError = 5,  // An address or size is not aligned as required.
    FailedLookup = 6,  // A capability lookup failed; the detail gives the failing depth.
    TruncatedMessage = 7,  // A message was longer than the receiver accepts.
    DeleteFirst = 8,  // The destination slot is occupied.
    RevokeFirst = 9,  // The capability has children that must be revoked first.
    NotEnoughMemory = 10,  // The untyped region has too little room left.
    BadAddress = 11,  // A user buffer is unmapped, not accessible or outside user space.
    InvalidSyscall = 12,  // The system-call number is not one the kernel knows.
};
constexpr uint64_t error_count = 13;
inline const char* error_name(Error e) {
    switch (e) {
    case Error::Ok: return "ok";
    case Error::InvalidArgument: return "invalid_argument";
    case Error::InvalidCapability: return "invalid_capability";
    case Error::IllegalOperation: return "illegal_operation";
    case Error::RangeError: return "range_error";
    case Error::AlignmentError: return "alignment_error";
    case Error::FailedLookup: return "failed_lookup";
    case Error::TruncatedMessage: return "truncated_message";
    case Error::DeleteFirst: return "delete_first";
    case Error::RevokeFirst: return "revoke_first";
    case Error::NotEnoughMemory: return "not_enough_memory";
    case Error::BadAddress: return "bad_address";
    case Error::InvalidSyscall: return "invalid_syscall";
    }
    return "unknown_error";
}
}  // namespace baton
#endif

typedef enum baton_error {
    BATON_OK = 0,
    BATON_INVALID_ARGUMENT = 1,
    BATON_INVALID_CAPABILITY = 2,
    BATON_ILLEGAL_OPERATION = 3,
    BATON_RANGE_ERROR = 4,
    BATON_ALIGNMENT_ERROR = 5,
    BATON_FAILED_LOOKUP = 6,
    BATON_TRUNCATED_MESSAGE = 7,
    BATON_DELETE_FIRST = 8,
    BATON_REVOKE_FIRST = 9,
    BATON_NOT_ENOUGH_MEMORY = 10,
    BATON_BAD_ADDRESS = 11,
    BATON_INVALID_SYSCALL = 12,
} baton_error;

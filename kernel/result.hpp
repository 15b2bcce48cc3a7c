// Errors as values: Result<T, E> holds either a T or an error code E with
// a numeric detail (an offset, an index, a bound). [[nodiscard]] makes the
// compiler insist that every result is looked at.
#pragma once

#include "types.hpp"

template <class E> struct Failure {
    E code;
    u64 detail;
    u64 detail2 = 0;  // a second value where one is not enough (a range's upper bound)
};

template <class E> constexpr Failure<E> fail(E code, u64 detail = 0, u64 detail2 = 0) {
    return {code, detail, detail2};
}

template <class T, class E> class [[nodiscard]] Result {
public:
    constexpr Result(T value) : ok_(true), value_(value) {}
    constexpr Result(Failure<E> f) : ok_(false), failure_(f) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }
    constexpr const T& value() const { return value_; }
    constexpr T& value() { return value_; }
    constexpr const T& operator*() const { return value_; }
    constexpr const T* operator->() const { return &value_; }
    constexpr E error() const { return failure_.code; }
    constexpr u64 detail() const { return failure_.detail; }
    constexpr u64 detail2() const { return failure_.detail2; }
    constexpr Failure<E> failure() const { return failure_; }

private:
    bool ok_;
    union {
        T value_;
        Failure<E> failure_;
    };
};

// A result with no value.
template <class E> class [[nodiscard]] Status {
public:
    constexpr Status() : ok_(true), failure_{E{}, 0, 0} {}
    constexpr Status(Failure<E> f) : ok_(false), failure_(f) {}
    static constexpr Status success() { return Status(); }

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }
    constexpr E error() const { return failure_.code; }
    constexpr u64 detail() const { return failure_.detail; }
    constexpr u64 detail2() const { return failure_.detail2; }
    constexpr Failure<E> failure() const { return failure_; }

private:
    bool ok_;
    Failure<E> failure_;
};

// Propagates a failure from an expression yielding Result or Status.
#define TRY(expr)                                             \
    do {                                                      \
        auto try_result_ = (expr);                            \
        if (EXPECT_FALSE(!try_result_)) return try_result_.failure(); \
    } while (0)

// Evaluates a Result and binds its value, or propagates its failure.
#define TRY_ASSIGN(var, expr)                                 \
    auto var##_result_ = (expr);                              \
    if (EXPECT_FALSE(!var##_result_)) return var##_result_.failure(); \
    auto var = var##_result_.value()

// Evaluates a Result into an existing variable, or propagates its failure.
#define TRY_ASSIGN_INTO(var, expr)                            \
    do {                                                      \
        auto try_result_ = (expr);                            \
        if (EXPECT_FALSE(!try_result_)) return try_result_.failure(); \
        var = try_result_.value();                            \
    } while (0)

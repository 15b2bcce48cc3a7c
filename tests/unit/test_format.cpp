// Console formatting (kernel/format.cpp): what kprint and baton_printf print.
#include <doctest/doctest.h>

#include <string>

#include "format.hpp"

namespace {
// Not declared with the printf format attribute: some cases below are
// deliberately malformed.
std::string f(const char* fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt::vsnformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}
}  // namespace

TEST_CASE("format: integers in every base and length") {
    CHECK(f("%d %i %u", -42, 7, 3000000000u) == "-42 7 3000000000");
    CHECK(f("%ld %lld", -1L, -9223372036854775807LL - 1) == "-1 -9223372036854775808");
    CHECK(f("%llu", 18446744073709551615ULL) == "18446744073709551615");
    CHECK(f("%x %X %#x %#llx", 0xbeefu, 0xbeefu, 255u, 0xffff800000000000ULL) == "beef BEEF 0xff 0xffff800000000000");
    CHECK(f("%zu", size_t(12345)) == "12345");
    CHECK(f("%d", 0) == "0");
}

TEST_CASE("format: widths, padding and alignment") {
    CHECK(f("[%5d]", 42) == "[   42]");
    CHECK(f("[%-5d]", 42) == "[42   ]");
    CHECK(f("[%05d]", -42) == "[-0042]");
    CHECK(f("[%#010x]", 0x1234u) == "[0x00001234]");
    CHECK(f("[%8s]", "ab") == "[      ab]");
    CHECK(f("[%-4s]", "ab") == "[ab  ]");
    CHECK(f("[%*d]", 4, 7) == "[   7]");
}

TEST_CASE("format: strings, characters, pointers and escapes") {
    CHECK(f("%s and %c", "text", 'x') == "text and x");
    CHECK(f("%.3s", "abcdef") == "abc");
    CHECK(f("%.*s", 2, "abcdef") == "ab");
    CHECK(f("%s", static_cast<const char*>(nullptr)) == "(null)");
    CHECK(f("%p", reinterpret_cast<void*>(0x1000)) == "0x0000000000001000");
    CHECK(f("100%%") == "100%");
}

TEST_CASE("format: unknown conversions stay visible, truncation is safe") {
    char buf[8];
    CHECK(fmt::snformat(buf, sizeof buf, "%s", "0123456789") == 10);
    CHECK(std::string(buf) == "0123456");
    CHECK(fmt::snformat(buf, 0, "%d", 5) == 1);
    // A lone '%' at the end must not read past the string.
    CHECK(f("abc%") == "abc");
}

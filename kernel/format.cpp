// printf-style formatting without allocation (see format.hpp).
#include "format.hpp"

namespace fmt {
namespace {

struct Spec {
    bool left = false;
    bool zero = false;
    bool alt = false;  // '#': 0x prefix for %x
    unsigned width = 0;
    int precision = -1;
};

struct Out {
    Sink sink;
    void* ctx;
    usize count = 0;
    void put(const char* s, usize n) {
        if (n) sink(ctx, s, n);
        count += n;
    }
    void pad(char c, usize n) {
        while (n--) put(&c, 1);
    }
};

void emit_padded(Out& out, const Spec& spec, const char* s, usize n, const char* prefix = "", usize prefix_len = 0) {
    usize total = n + prefix_len;
    usize fill = spec.width > total ? spec.width - total : 0;
    if (!spec.left && !spec.zero) out.pad(' ', fill);
    out.put(prefix, prefix_len);
    if (!spec.left && spec.zero) out.pad('0', fill);
    out.put(s, n);
    if (spec.left) out.pad(' ', fill);
}

void emit_number(Out& out, Spec spec, u64 value, unsigned base, bool negative, bool upper, const char* prefix) {
    char buf[24];
    usize n = 0;
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[sizeof buf - 1 - n++] = digits[value % base];
        value /= base;
    } while (value);
    char pre[3];
    usize pre_len = 0;
    if (negative) pre[pre_len++] = '-';
    for (const char* p = prefix; *p; ++p) pre[pre_len++] = *p;
    emit_padded(out, spec, buf + sizeof buf - n, n, pre, pre_len);
}

}  // namespace

usize vformat(Sink sink, void* ctx, const char* f, va_list ap) {
    Out out{sink, ctx};
    while (*f) {
        if (*f != '%') {
            const char* start = f;
            while (*f && *f != '%') ++f;
            out.put(start, usize(f - start));
            continue;
        }
        ++f;
        Spec spec;
        for (;; ++f) {
            if (*f == '-') spec.left = true;
            else if (*f == '0') spec.zero = true;
            else if (*f == '#') spec.alt = true;
            else break;
        }
        if (*f == '*') {
            int w = va_arg(ap, int);
            spec.width = w < 0 ? 0 : unsigned(w);
            ++f;
        }
        while (*f >= '0' && *f <= '9') spec.width = spec.width * 10 + unsigned(*f++ - '0');
        if (*f == '.') {
            ++f;
            spec.precision = 0;
            if (*f == '*') {
                spec.precision = va_arg(ap, int);
                ++f;
            } else {
                while (*f >= '0' && *f <= '9') spec.precision = spec.precision * 10 + (*f++ - '0');
            }
        }
        unsigned longs = 0;
        bool size_t_len = false;
        while (*f == 'l') { ++longs; ++f; }
        if (*f == 'z') { size_t_len = true; ++f; }

        auto get_unsigned = [&]() -> u64 {
            if (size_t_len) return va_arg(ap, usize);
            if (longs >= 2) return va_arg(ap, unsigned long long);
            if (longs == 1) return va_arg(ap, unsigned long);
            return va_arg(ap, unsigned int);
        };
        auto get_signed = [&]() -> i64 {
            if (size_t_len) return i64(va_arg(ap, usize));
            if (longs >= 2) return va_arg(ap, long long);
            if (longs == 1) return va_arg(ap, long);
            return va_arg(ap, int);
        };

        char c = *f;
        if (!c) break;
        ++f;
        switch (c) {
        case 'd':
        case 'i': {
            i64 v = get_signed();
            u64 mag = v < 0 ? u64(0) - u64(v) : u64(v);
            emit_number(out, spec, mag, 10, v < 0, false, "");
            break;
        }
        case 'u': emit_number(out, spec, get_unsigned(), 10, false, false, ""); break;
        case 'x': emit_number(out, spec, get_unsigned(), 16, false, false, spec.alt ? "0x" : ""); break;
        case 'X': emit_number(out, spec, get_unsigned(), 16, false, true, spec.alt ? "0x" : ""); break;
        case 'p': {
            spec.zero = true;
            if (spec.width == 0) spec.width = 18;
            emit_number(out, spec, u64(uptr(va_arg(ap, void*))), 16, false, false, "0x");
            break;
        }
        case 'c': {
            char ch = char(va_arg(ap, int));
            emit_padded(out, spec, &ch, 1);
            break;
        }
        case 's': {
            const char* s = va_arg(ap, const char*);
            if (!s) s = "(null)";
            usize n = 0;
            while (s[n] && (spec.precision < 0 || n < usize(spec.precision))) ++n;
            emit_padded(out, spec, s, n);
            break;
        }
        case '%': out.put("%", 1); break;
        default: {
            // Unknown conversion: print it verbatim so the mistake is visible.
            char bad[2] = {'%', c};
            out.put(bad, 2);
            break;
        }
        }
    }
    return out.count;
}

namespace {
struct Buffer {
    char* buf;
    usize cap;
    usize len;
};
void buffer_sink(void* ctx, const char* s, usize n) {
    auto* b = static_cast<Buffer*>(ctx);
    for (usize i = 0; i < n; ++i, ++b->len)
        if (b->cap && b->len < b->cap - 1) b->buf[b->len] = s[i];
}
}  // namespace

usize vsnformat(char* buf, usize cap, const char* f, va_list ap) {
    Buffer b{buf, cap, 0};
    usize n = vformat(buffer_sink, &b, f, ap);
    if (cap) buf[min(n, cap - 1)] = '\0';
    return n;
}

usize snformat(char* buf, usize cap, const char* f, ...) {
    va_list ap;
    va_start(ap, f);
    usize n = vsnformat(buf, cap, f, ap);
    va_end(ap);
    return n;
}

}  // namespace fmt

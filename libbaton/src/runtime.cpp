// libbaton's runtime: program start, console output, small helpers.
#include <baton/baton.h>

#include "format.hpp"

extern "C" {

baton_ipc_buffer* __baton_ipc_buffer;

// Called by crt0 with the argument the kernel passed.
[[noreturn]] void baton_start(const baton_bootinfo* bootinfo) {
    __baton_ipc_buffer = reinterpret_cast<baton_ipc_buffer*>(bootinfo->ipc_buffer);
    int status = baton_main(bootinfo);
    baton_thread_exit(static_cast<uint64_t>(status));
}

namespace {
// Output is gathered into lines so that each reaches the console in one call.
struct Line_buffer {
    char buf[256];
    size_t len = 0;
    void flush() {
        if (len) baton_debug_write(buf, len);
        len = 0;
    }
};
void line_sink(void* ctx, const char* s, size_t n) {
    auto* b = static_cast<Line_buffer*>(ctx);
    for (size_t i = 0; i < n; ++i) {
        b->buf[b->len++] = s[i];
        if (s[i] == '\n' || b->len == sizeof b->buf) b->flush();
    }
}
}  // namespace

int baton_vprintf(const char* f, va_list ap) {
    Line_buffer b;
    size_t n = fmt::vformat(line_sink, &b, f, ap);
    b.flush();
    return static_cast<int>(n);
}

int baton_printf(const char* f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = baton_vprintf(f, ap);
    va_end(ap);
    return n;
}

namespace {
// The largest RAM untyped, of any node (any_node) or of `node`.
baton_cptr largest_untyped(const baton_bootinfo* bi, bool any_node, unsigned node, unsigned* size_bits) {
    baton_cptr best = 0;
    unsigned bits = 0;
    for (uint32_t i = 0; i < bi->untyped_count && i < BATON_BOOTINFO_MAX_UNTYPED; ++i)
        if (!bi->untyped[i].device && (any_node || bi->untyped[i].node == node) && bi->untyped[i].size_bits > bits) {
            bits = bi->untyped[i].size_bits;
            best = bi->untyped_first + i;
        }
    *size_bits = bits;
    return best;
}
}  // namespace

baton_cptr baton_largest_untyped(const baton_bootinfo* bi, unsigned* size_bits) {
    return largest_untyped(bi, true, 0, size_bits);
}

baton_cptr baton_largest_untyped_on_node(const baton_bootinfo* bi, unsigned node, unsigned* size_bits) {
    return largest_untyped(bi, false, node, size_bits);
}

const char* baton_error_name(baton_error e) { return baton::error_name(static_cast<baton::Error>(e)); }

int baton_cmdline_get(const char* cmdline, const char* key, char* buf, size_t cap) {
    size_t key_len = 0;
    while (key[key_len]) ++key_len;
    const char* p = cmdline;
    while (*p) {
        while (*p == ' ') ++p;
        const char* word = p;
        while (*p && *p != ' ') ++p;
        size_t word_len = static_cast<size_t>(p - word);
        bool match = word_len > key_len && word[key_len] == '=';
        for (size_t i = 0; match && i < key_len; ++i) match = word[i] == key[i];
        if (match) {
            size_t n = 0;
            for (const char* v = word + key_len + 1; v < p && n + 1 < cap; ++v) buf[n++] = *v;
            if (cap) buf[n] = '\0';
            return 1;
        }
    }
    return 0;
}

}  // extern "C"

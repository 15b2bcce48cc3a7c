// The lock-free queue and the object locks with real host threads, built
// with ThreadSanitizer (a test binary of its own: TSan and ASan exclude
// each other).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sync.hpp"

using namespace kernel;

namespace kernel {
Held_locks& held_locks() {
    thread_local Held_locks h;
    return h;
}
}  // namespace kernel

namespace {

struct Item {
    Mpsc_node node;
    unsigned producer;
    unsigned seq;
};

Item* item_of(Mpsc_node* n) { return reinterpret_cast<Item*>(n); }

}  // namespace

TEST_CASE("mpsc queue: single thread, in order") {
    Mpsc_queue q;
    CHECK(q.empty());
    CHECK(q.pop() == nullptr);
    Item items[5];
    for (unsigned i = 0; i < 5; ++i) {
        items[i].seq = i;
        q.push(&items[i].node);
    }
    for (unsigned i = 0; i < 5; ++i) {
        Mpsc_node* n = q.pop();
        REQUIRE(n);
        CHECK(item_of(n)->seq == i);
    }
    CHECK(q.pop() == nullptr);
    CHECK(q.empty());
    // Reusable after draining.
    q.push(&items[2].node);
    CHECK(item_of(q.pop())->seq == 2);
}

TEST_CASE("mpsc queue: four producers, one consumer, nothing lost or duplicated, per-producer order kept") {
    constexpr unsigned producers = 4, per_producer = 20000;
    std::vector<Item> items(producers * per_producer);
    Mpsc_queue q;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (unsigned p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            while (!go.load()) {}
            for (unsigned i = 0; i < per_producer; ++i) {
                Item& it = items[p * per_producer + i];
                it.producer = p;
                it.seq = i;
                q.push(&it.node);
            }
        });
    }
    go = true;
    std::vector<unsigned> next(producers, 0);
    unsigned received = 0, out_of_order = 0;
    while (received < producers * per_producer) {
        Mpsc_node* n = q.pop();
        if (!n) continue;
        Item* it = item_of(n);
        if (it->seq != next[it->producer]) ++out_of_order;
        next[it->producer] = it->seq + 1;
        ++received;
    }
    for (auto& t : threads) t.join();
    CHECK(out_of_order == 0);
    CHECK(q.pop() == nullptr);
    for (unsigned p = 0; p < producers; ++p) CHECK(next[p] == per_producer);
}

TEST_CASE("object lock: mutual exclusion with counters; contention is counted") {
    Lock_class cls{"test", 1};
    Object_lock lock;
    constexpr unsigned threads_n = 4, rounds = 20000;
    u64 counter = 0;  // protected by lock (TSan checks it is)
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < threads_n; ++t)
        threads.emplace_back([&] {
            for (unsigned i = 0; i < rounds; ++i) {
                Object_guard g(lock, cls);
                ++counter;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(counter == u64(threads_n) * rounds);
    CHECK(cls.acquired == u64(threads_n) * rounds);
    CHECK(cls.contended <= cls.acquired);
    // A single thread never contends.
    Lock_class quiet{"quiet", 2};
    Object_lock alone;
    for (int i = 0; i < 100; ++i) {
        Object_guard g(alone, quiet);
    }
    CHECK(quiet.contended == 0);
    CHECK(quiet.acquired == 100);
}

TEST_CASE("object lock: taking locks against their rank order is reported") {
    static int violations = 0;
    set_lock_order_hook([](const Lock_class&, const Lock_class&) { ++violations; });
    Lock_class low{"low", 1}, high{"high", 2};
    Object_lock a, b;
    {
        Object_guard g1(a, low);
        Object_guard g2(b, high);  // increasing rank: fine
    }
    CHECK(violations == 0);
    {
        Object_guard g1(b, high);
        Object_guard g2(a, low);  // decreasing: reported
    }
    CHECK(violations == 1);
    set_lock_order_hook(nullptr);
}

// The fork-join team: user-space spinning between close jobs, sleep between far ones.
#include "backend/cpu/thread_team.h"

#include "backend/cpu/blas_threads.h"

#include <algorithm>
#include <chrono>
#include <exception>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNSTUDIO_CPU_RELAX() _mm_pause()
#else
#define NNSTUDIO_CPU_RELAX() std::this_thread::yield()
#endif

namespace nnstudio {

namespace {

// How long an idle worker keeps spinning before it sleeps. A training step's parallel regions
// follow each other within tens of microseconds; a millisecond covers them with room to spare
// and costs at most a millisecond of one core after the last job.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(1000);

constexpr uint64_t pack(uint32_t generation, int parts, int threads) {
    return (uint64_t{generation} << 32) | (static_cast<uint64_t>(parts) << 16) | static_cast<uint64_t>(threads);
}
constexpr uint32_t generation_of(uint64_t t) { return static_cast<uint32_t>(t >> 32); }
constexpr int parts_of(uint64_t t) { return static_cast<int>((t >> 16) & 0xffff); }
constexpr int threads_of(uint64_t t) { return static_cast<int>(t & 0xffff); }

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Set while this thread runs a part, so that work started inside a part runs inline.
thread_local bool t_inside_part = false;

void run_part(void (*fn)(void*, int), void* ctx, int part) {
    const bool outer = t_inside_part;
    t_inside_part = true;
    try {
        fn(ctx, part);
    } catch (...) {
        std::terminate();  // documented: a part must not throw
    }
    t_inside_part = outer;
}

void run_inline(int parts, void (*fn)(void*, int), void* ctx) {
    for (int p = 0; p < parts; ++p) run_part(fn, ctx, p);
}

}  // namespace

ThreadTeam& ThreadTeam::instance() {
    static ThreadTeam team(cores());
    return team;
}

ThreadTeam::ThreadTeam(int threads) {
    // The team does the splitting; the BLAS runs each part on its own thread only.
    set_blas_threads(1);
    threads = std::max(1, threads);
    for (int i = 1; i < threads; ++i) m_workers.emplace_back([this, i] { worker_loop(i); });
}

ThreadTeam::~ThreadTeam() {
    m_quit = true;
    m_generation.fetch_add(1);
    wake_sleepers();
    for (auto& w : m_workers) w.join();
}

void ThreadTeam::wake_sleepers() {
    std::lock_guard lock(m_sleep_mutex);
    m_wake.notify_all();
}

int ThreadTeam::threads(int max_threads) const { return std::clamp(max_threads, 1, size()); }

int ThreadTeam::chunk_count(int64_t n, int64_t min_chunk, int max_threads) const {
    if (n <= 0) return 0;
    const int64_t by_size = n / std::max<int64_t>(1, min_chunk);
    return static_cast<int>(std::clamp<int64_t>(by_size, 1, threads(max_threads)));
}

void ThreadTeam::run_erased(int parts, PartFn fn, void* ctx, int threads) {
    if (parts <= 0) return;
    parts = std::min(parts, 0xffff);
    // Work started from inside a part (of any team) runs inline: the threads are taken, and
    // m_caller may be held by this very thread.
    if (parts == 1 || threads == 1 || t_inside_part) {
        run_inline(parts, fn, ctx);
        return;
    }
    std::unique_lock lock(m_caller, std::try_to_lock);
    if (!lock.owns_lock()) {
        run_inline(parts, fn, ctx);
        return;
    }
    m_fn = fn;
    m_ctx = ctx;
    m_parts_done = 0;
    const uint32_t generation = m_generation.load() + 1;
    m_ticket = pack(generation, parts, threads);
    m_generation = generation;
    if (m_sleepers.load() > 0) wake_sleepers();
    run_own_parts(generation, 0);
    while (m_parts_done.load() < parts) NNSTUDIO_CPU_RELAX();
}

void ThreadTeam::run_own_parts(uint32_t generation, int index) {
    const uint64_t t = m_ticket.load();
    const int parts = parts_of(t), threads = threads_of(t);
    if (generation_of(t) != generation || index >= threads) return;
    // Our parts are not done yet, so the job (fn, ctx) cannot have been replaced.
    const PartFn fn = m_fn.load();
    void* const ctx = m_ctx.load();
    for (int part = index; part < parts; part += threads) {
        run_part(fn, ctx, part);
        m_parts_done.fetch_add(1);
    }
}

void ThreadTeam::worker_loop(int index) {
    using Clock = std::chrono::steady_clock;
    uint32_t seen = 0;  // the generation at construction: a job published before this thread ran is still ours
    while (true) {
        auto idle_since = Clock::now();
        for (unsigned spins = 1; m_generation.load() == seen; ++spins) {
            NNSTUDIO_CPU_RELAX();
            if (spins % 256 == 0 && Clock::now() - idle_since > kSpinBeforeSleep) {
                // A caller that publishes after our increment sees it and notifies under the
                // mutex; one that published before is seen by the predicate.
                std::unique_lock lock(m_sleep_mutex);
                m_sleepers.fetch_add(1);
                m_wake.wait(lock, [&] { return m_generation.load() != seen; });
                m_sleepers.fetch_sub(1);
                idle_since = Clock::now();
            }
        }
        if (m_quit) return;
        seen = m_generation.load();
        run_own_parts(seen, index);
    }
}

}  // namespace nnstudio

// The fork-join team: user-space spinning between close jobs, futex sleep between far ones.
#include "util/thread_team.h"

#include "util/blas_threads.h"

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

constexpr uint64_t pack(uint32_t generation, int parts, int next) {
    return (uint64_t{generation} << 32) | (static_cast<uint64_t>(parts) << 16) | static_cast<uint64_t>(next);
}
constexpr uint32_t generation_of(uint64_t t) { return static_cast<uint32_t>(t >> 32); }
constexpr int parts_of(uint64_t t) { return static_cast<int>((t >> 16) & 0xffff); }
constexpr int next_of(uint64_t t) { return static_cast<int>(t & 0xffff); }

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace

ThreadTeam& ThreadTeam::instance() {
    static ThreadTeam team(cores());
    return team;
}

ThreadTeam::ThreadTeam(int threads) {
    // The team does the splitting; the BLAS runs each part on its own thread only.
    set_blas_threads(1);
    threads = std::max(1, threads);
    for (int i = 1; i < threads; ++i) m_workers.emplace_back([this] { worker_loop(); });
    m_threads = threads;
}

ThreadTeam::~ThreadTeam() {
    m_quit = true;
    m_generation.fetch_add(1);
    m_generation.notify_all();
    for (auto& w : m_workers) w.join();
}

void ThreadTeam::set_threads(int threads) { m_threads = std::clamp(threads, 1, size()); }

int ThreadTeam::chunk_count(int64_t n, int64_t min_chunk) const {
    if (n <= 0) return 0;
    const int64_t by_size = n / std::max<int64_t>(1, min_chunk);
    return static_cast<int>(std::clamp<int64_t>(by_size, 1, threads()));
}

void ThreadTeam::run_erased(int parts, PartFn fn, void* ctx) {
    if (parts <= 0) return;
    parts = std::min(parts, 0xffff);
    std::unique_lock lock(m_caller, std::try_to_lock);
    if (parts == 1 || threads() == 1 || !lock.owns_lock()) {
        for (int p = 0; p < parts; ++p) fn(ctx, p);
        return;
    }
    m_fn = fn;
    m_ctx = ctx;
    m_parts_done = 0;
    const uint32_t generation = m_generation.load() + 1;
    m_ticket = pack(generation, parts, 0);
    m_generation = generation;
    if (m_sleepers.load() > 0) m_generation.notify_all();
    take_parts(generation);
    while (m_parts_done.load() < parts) NNSTUDIO_CPU_RELAX();
}

void ThreadTeam::take_parts(uint32_t generation) {
    uint64_t t = m_ticket.load();
    while (generation_of(t) == generation && next_of(t) < parts_of(t)) {
        if (!m_ticket.compare_exchange_weak(t, t + 1)) continue;
        // This part is ours and not done, so the job cannot have been replaced yet.
        try {
            m_fn.load()(m_ctx.load(), next_of(t));
        } catch (...) {
            std::terminate();
        }
        m_parts_done.fetch_add(1);
        t = m_ticket.load();
    }
}

void ThreadTeam::worker_loop() {
    using Clock = std::chrono::steady_clock;
    uint32_t seen = m_generation.load();
    while (true) {
        auto idle_since = Clock::now();
        for (unsigned spins = 1; m_generation.load() == seen; ++spins) {
            NNSTUDIO_CPU_RELAX();
            if (spins % 256 == 0 && Clock::now() - idle_since > kSpinBeforeSleep) {
                m_sleepers.fetch_add(1);
                m_generation.wait(seen);
                m_sleepers.fetch_sub(1);
                idle_since = Clock::now();
            }
        }
        if (m_quit) return;
        seen = m_generation.load();
        take_parts(seen);
    }
}

}  // namespace nnstudio

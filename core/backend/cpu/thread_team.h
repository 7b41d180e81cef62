// A small fork-join team for the engine's hot loops: the caller plus persistent workers split one
// piece of work (half a GEMM, half of an optimizer update) and meet again when all parts are done.
//
// Why not OpenBLAS's own threads: between calls its idle workers spin in sched_yield, a system
// call that on these VMs cost ~40% of a training step's time (docs/PERFORMANCE.md). The team's
// workers spin in user space (a pause instruction) for about a millisecond after each job, which
// covers the gaps inside a training step, and then sleep on a condition variable until the next job.
//
// Parts go to threads in a fixed pattern (part p to thread p mod threads, the caller being thread
// 0), so that the same half of a layer's data stays with the same core from one operation to the
// next: data last written by the other core costs ~1.7x more to process (measured).
//
// One caller at a time uses the workers; a second concurrent caller (another training run, a
// teaching job) runs its parts inline on its own thread rather than waiting.
//
// There is one team per process (instance()); each CpuBackend caps how many of its threads a call
// uses (`max_threads`, CpuBackendOptions::threads), so the desktop app's backend can leave a core
// to the GUI while the CLI's uses them all, without anyone writing a global.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace nnstudio {

class ThreadTeam {
public:
    // The process-wide team: one thread per core, the caller included.
    static ThreadTeam& instance();

    explicit ThreadTeam(int threads);
    ~ThreadTeam();
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;

    // Threads in the team, the caller included.
    int size() const { return static_cast<int>(m_workers.size()) + 1; }
    // The threads a call capped at `max_threads` uses: between 1 and size().
    int threads(int max_threads = kAllThreads) const;
    static constexpr int kAllThreads = 1 << 15;

    // Calls fn(part) for part = 0 .. parts-1, spread over at most max_threads of the team's
    // threads; returns when all are done. fn must not throw (an exception escaping a part
    // terminates the program).
    template <typename Fn>
    void run(int parts, Fn&& fn, int max_threads = kAllThreads) {
        run_erased(parts, [](void* f, int part) { (*static_cast<Fn*>(f))(part); }, &fn, threads(max_threads));
    }

    // Splits [0, n) into at most threads(max_threads) chunks of at least min_chunk items
    // (multiples of `align` except the last) and calls fn(begin, end) for each.
    template <typename Fn>
    void parallel_for(int64_t n, int64_t min_chunk, int64_t align, Fn&& fn, int max_threads = kAllThreads) {
        const int parts = chunk_count(n, min_chunk, max_threads);
        if (parts <= 1) {
            if (n > 0) fn(int64_t{0}, n);
            return;
        }
        int64_t chunk = (n + parts - 1) / parts;
        chunk = (chunk + align - 1) / align * align;
        run(
            parts,
            [&](int part) {
                const int64_t begin = part * chunk;
                const int64_t end = begin + chunk < n ? begin + chunk : n;
                if (begin < end) fn(begin, end);
            },
            max_threads);
    }

    // Elementwise work: [0, n) in 16-aligned chunks of at least kMinElementsPerThread items.
    template <typename Fn>
    void for_elements(int64_t n, Fn&& fn, int max_threads = kAllThreads) {
        parallel_for(n, kMinElementsPerThread, 16, std::forward<Fn>(fn), max_threads);
    }
    // Below this many elements per thread, elementwise work stays on the caller. A hand-off costs
    // about a microsecond; splitting even small layers pays because each core then keeps working
    // on the rows it wrote (ResidualNetwork, batch 128: 38.6k samples/s at 16384, 44.2k at 4096).
    static constexpr int64_t kMinElementsPerThread = 4096;

    // How many chunks parallel_for would use for n items with chunks of at least min_chunk.
    int chunk_count(int64_t n, int64_t min_chunk, int max_threads = kAllThreads) const;

private:
    using PartFn = void (*)(void*, int);
    void run_erased(int parts, PartFn fn, void* ctx, int threads);
    void worker_loop(int index);
    void wake_sleepers();
    // Runs this thread's parts (index, index + threads, ...) of the job published as `generation`.
    void run_own_parts(uint32_t generation, int index);

    std::vector<std::thread> m_workers;
    std::mutex m_caller;  // one job at a time

    // The current job. m_ticket packs generation (32 bits) | parts (16) | threads (16), so a
    // worker that wakes late reads a consistent job; fn and ctx are read only by a thread that
    // has a part in the job, which cannot be replaced before that part is done.
    std::atomic<PartFn> m_fn{nullptr};
    std::atomic<void*> m_ctx{nullptr};
    std::atomic<uint64_t> m_ticket{0};
    std::atomic<int> m_parts_done{0};
    std::atomic<uint32_t> m_generation{0};
    std::atomic<int> m_sleepers{0};
    std::mutex m_sleep_mutex;
    std::condition_variable m_wake;
    std::atomic<bool> m_quit{false};
};

}  // namespace nnstudio

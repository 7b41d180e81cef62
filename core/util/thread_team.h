// A small fork-join team for the engine's hot loops: the caller plus persistent workers split one
// piece of work (half a GEMM, half of an optimizer update) and meet again when all parts are done.
//
// Why not OpenBLAS's own threads: between calls its idle workers spin in sched_yield, a system
// call that on these VMs cost ~40% of a training step's time (docs/PERFORMANCE.md). The team's
// workers spin in user space (a pause instruction) for about a millisecond after each job, which
// covers the gaps inside a training step, and then sleep on a futex until the next job.
//
// One caller at a time uses the workers; a second concurrent caller (another training run, a
// teaching job) runs its parts inline on its own thread rather than waiting.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
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

    // Threads that take part in parallel work (1 = everything runs on the caller).
    int threads() const { return m_threads.load(std::memory_order_relaxed); }
    // Caps the threads used from now on, between 1 and the team's size.
    void set_threads(int threads);
    int size() const { return static_cast<int>(m_workers.size()) + 1; }

    // Calls fn(part) for part = 0 .. parts-1, spread over the team; returns when all are done.
    // fn must not throw (an exception escaping a part terminates the program).
    template <typename Fn>
    void run(int parts, Fn&& fn) {
        run_erased(parts, [](void* f, int part) { (*static_cast<Fn*>(f))(part); }, &fn);
    }

    // Splits [0, n) into at most threads() chunks of at least min_chunk items (multiples of
    // `align` except the last) and calls fn(begin, end) for each.
    template <typename Fn>
    void parallel_for(int64_t n, int64_t min_chunk, int64_t align, Fn&& fn) {
        const int parts = chunk_count(n, min_chunk);
        if (parts <= 1) {
            if (n > 0) fn(int64_t{0}, n);
            return;
        }
        int64_t chunk = (n + parts - 1) / parts;
        chunk = (chunk + align - 1) / align * align;
        run(parts, [&](int part) {
            const int64_t begin = part * chunk;
            const int64_t end = begin + chunk < n ? begin + chunk : n;
            if (begin < end) fn(begin, end);
        });
    }

    // How many chunks parallel_for would use for n items with chunks of at least min_chunk.
    int chunk_count(int64_t n, int64_t min_chunk) const;

private:
    using PartFn = void (*)(void*, int);
    void run_erased(int parts, PartFn fn, void* ctx);
    void worker_loop();
    // Takes and runs parts of the job published as `generation` until none is left.
    void take_parts(uint32_t generation);

    std::vector<std::thread> m_workers;
    std::atomic<int> m_threads{1};
    std::mutex m_caller;  // one job at a time

    // The current job. m_ticket packs generation (32 bits) | parts (16) | next part (16), so a
    // worker that wakes late can never take a part of a newer job; fn and ctx are read only
    // after a part was taken, when the job cannot yet have been replaced.
    std::atomic<PartFn> m_fn{nullptr};
    std::atomic<void*> m_ctx{nullptr};
    std::atomic<uint64_t> m_ticket{0};
    std::atomic<int> m_parts_done{0};
    std::atomic<uint32_t> m_generation{0};
    std::atomic<int> m_sleepers{0};
    std::atomic<bool> m_quit{false};
};

}  // namespace nnstudio

// The engine's ThreadTeam: every part runs exactly once, from one caller or two at a time, after
// the workers went to sleep too; and the layers split over it give the same numbers on one
// thread as on two (their split points are fixed, not per thread).
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/thread_team.h"
#include "nn/batch_norm1d.h"
#include "nn/dropout.h"
#include "test_support.h"
#include "util/random.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace nnstudio;

namespace {

// Runs `parts` parts on (at most `threads` of) the team and checks each ran exactly once.
bool each_part_once(ThreadTeam& team, int parts, int threads = ThreadTeam::kAllThreads) {
    std::vector<std::atomic<int>> runs(static_cast<size_t>(parts));
    team.run(parts, [&](int p) { runs[static_cast<size_t>(p)].fetch_add(1); }, threads);
    for (auto& r : runs)
        if (r.load() != 1) return false;
    return true;
}

// Forward and backward of a BatchNorm1d and a Dropout on fixed data, on a CPU backend of `threads`.
std::vector<Tensor> layer_results(int threads) {
    CpuBackend backend({.threads = threads});
    Rng rng(7);
    const Tensor x = test::random_normal({256, 96}, rng, 3.0f);
    const Tensor g = test::random_normal({256, 96}, rng);
    nn::BatchNorm1d bn(96);
    nn::Dropout dropout(0.3f, 11);
    bn.to(backend);
    dropout.to(backend);
    bn.train();
    dropout.train();
    std::vector<Tensor> out;
    out.push_back(bn.forward(x));
    out.push_back(bn.backward(g));
    out.push_back(bn.weight()->grad);
    out.push_back(bn.running_var());
    out.push_back(dropout.forward(x));
    out.push_back(dropout.backward(g));
    Tensor sum(x.shape());
    backend.add(x.data(), g.data(), sum.data(), sum.numel());
    out.push_back(sum);
    return out;
}

}  // namespace

class TestThreadTeam : public QObject {
    Q_OBJECT
private slots:
    void every_part_runs_once() {
        ThreadTeam team(2);
        for (int threads : {1, 2})
            for (int iteration = 0; iteration < 2000; ++iteration)
                for (int parts = 1; parts <= 7; ++parts) QVERIFY(each_part_once(team, parts, threads));
    }

    void more_threads_than_cores_still_work() {
        ThreadTeam team(5);
        QCOMPARE(team.size(), 5);
        for (int iteration = 0; iteration < 500; ++iteration) QVERIFY(each_part_once(team, 11));
    }

    void a_sleeping_worker_wakes_for_the_next_job() {
        ThreadTeam team(2);
        for (int round = 0; round < 20; ++round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(3));  // past the spin: the worker sleeps
            QVERIFY(each_part_once(team, 2));
        }
    }

    void work_started_inside_a_part_runs_inline() {
        // A part that starts parallel work itself (e.g. a fill inside a GEMM epilogue) must not
        // wait for threads that are busy with the outer job, nor re-lock the team.
        ThreadTeam team(2);
        std::vector<std::atomic<int>> inner(8);
        std::atomic<int> outer{0};
        team.run(2, [&](int p) {
            outer.fetch_add(1);
            team.run(4, [&](int q) { inner[static_cast<size_t>(p * 4 + q)].fetch_add(1); });
        });
        QCOMPARE(outer.load(), 2);
        for (auto& n : inner) QCOMPARE(n.load(), 1);
    }

    void two_callers_at_once_each_get_all_their_parts() {
        ThreadTeam team(2);
        std::atomic<int> failures{0};
        const auto caller = [&] {
            for (int iteration = 0; iteration < 3000; ++iteration)
                if (!each_part_once(team, 4)) failures.fetch_add(1);
        };
        std::thread other(caller);
        caller();
        other.join();
        QCOMPARE(failures.load(), 0);
    }

    void parallel_for_covers_the_range_once_in_aligned_chunks() {
        ThreadTeam team(2);
        for (int64_t n : {0, 1, 15, 16, 17, 100, 4097, 100000}) {
            std::vector<std::atomic<int>> seen(static_cast<size_t>(n));
            std::atomic<bool> misaligned{false};
            team.parallel_for(n, 8, 16, [&](int64_t begin, int64_t end) {
                if (begin % 16 != 0) misaligned = true;
                for (int64_t i = begin; i < end; ++i) seen[static_cast<size_t>(i)].fetch_add(1);
            });
            QVERIFY(!misaligned);
            for (int64_t i = 0; i < n; ++i) QCOMPARE(seen[static_cast<size_t>(i)].load(), 1);
        }
        QCOMPARE(team.chunk_count(100000, 16), 2);
        QCOMPARE(team.chunk_count(20, 16), 1);
        QCOMPARE(team.chunk_count(0, 16), 0);
    }

    void layers_give_the_same_bits_on_one_thread_as_on_two() {
        if (ThreadTeam::instance().size() < 2) QSKIP("one core: nothing to compare");
        const std::vector<Tensor> one = layer_results(1), two = layer_results(2);
        QCOMPARE(one.size(), two.size());
        for (size_t i = 0; i < one.size(); ++i) {
            QCOMPARE(one[i].shape(), two[i].shape());
            for (int64_t k = 0; k < one[i].numel(); ++k)
                if (one[i][k] != two[i][k])
                    QFAIL(qPrintable(QString("result %1 element %2: %3 on one thread, %4 on two")
                                         .arg(i).arg(k).arg(one[i][k]).arg(two[i][k])));
        }
    }

    void dropout_keeps_the_expected_fraction() {
        // The counter-based mask (splitmix64 per element pair) still drops p of the units.
        nn::Dropout dropout(0.2f, 3);
        dropout.train();
        const Tensor x({512, 256}, 1.0f);
        const Tensor& y = dropout.forward(x);
        int64_t dropped = 0;
        for (int64_t i = 0; i < y.numel(); ++i) dropped += y[i] == 0.f;
        const double fraction = static_cast<double>(dropped) / static_cast<double>(y.numel());
        // 131072 Bernoulli(0.2) draws: standard deviation 0.0011; allow 5 of them.
        QVERIFY2(std::abs(fraction - 0.2) < 0.0055, qPrintable(QString::number(fraction)));
        for (int64_t i = 0; i < y.numel(); ++i)
            if (y[i] != 0.f) QCOMPARE(y[i], 1.0f / 0.8f);
    }
};

QTEST_GUILESS_MAIN(TestThreadTeam)
#include "tst_thread_team.moc"

// tst_backend_ops' harness: device buffers with guard tails (inputs in through copy_from_host,
// results out through copy_to_host), the bounded comparison, the failure list, and the data rows'
// backends (QSKIP for a device this process lacks or an op its backend does not support).
#pragma once
#include "backend/cpu/cpu_backend.h"
#include "backend/registry.h"
#include "reference_ops.h"
#include "util/random.h"

#include <QStringList>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <vector>

namespace nnstudio::test::ops {

using ref::Vec;

constexpr double kEps = std::numeric_limits<float>::epsilon();   // float32's unit roundoff × 2
constexpr double kEpsD = std::numeric_limits<double>::epsilon();
constexpr float kSentinel = -12345.5f;  // fills guard tails and GEMM's row padding: must stay untouched
constexpr int64_t kGuard = 16;          // elements after each buffer that no op may write

inline size_t at(int64_t i) { return static_cast<size_t>(i); }

// ---- Data.

inline std::vector<float> normal(Rng& rng, int64_t n, float mean = 0.f, float std = 1.f) {
    std::vector<float> v(at(n));
    for (auto& x : v) x = rng.normal(mean, std);
    return v;
}

inline int64_t pick(Rng& rng, const std::vector<int64_t>& from) { return from[rng.below(from.size())]; }

inline Vec widen(const std::vector<float>& v) { return Vec(v.begin(), v.end()); }

inline std::vector<float> narrow(const Vec& v) {
    std::vector<float> out(v.size());
    for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i]);
    return out;
}

// What the current test function has seen, reported at its end: the worst error/bound ratio of
// any compared value (how much of the tolerance was used) and an FNV-1a digest of every result
// read back (the CPU backend must give the same bits for every thread count, backend.h).
inline double g_worst_ratio = 0;
inline uint64_t g_digest = 0;

inline void fold_digest(const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) g_digest = (g_digest ^ p[i]) * 0x100000001B3ull;
}

// ---- Device memory: every input goes through allocate() + copy_from_host(), every result comes
// back through copy_to_host(), so the same test drives a GPU backend. Each buffer carries a guard
// tail of sentinels that must survive the op (a write past the end is an error).
template <typename T>
class DeviceArray {
public:
    DeviceArray(Backend& backend, const std::vector<T>& host) : m_backend(backend), m_n(static_cast<int64_t>(host.size())) {
        std::vector<T> staged(host);
        staged.resize(at(m_n + kGuard), static_cast<T>(kSentinel));
        m_ptr = static_cast<T*>(m_backend.allocate(bytes()));
        m_backend.copy_from_host(m_ptr, staged.data(), bytes());
    }
    DeviceArray(Backend& backend, int64_t n) : DeviceArray(backend, std::vector<T>(at(n), static_cast<T>(kSentinel))) {}
    ~DeviceArray() { m_backend.deallocate(m_ptr, bytes()); }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;

    T* ptr() { return m_ptr; }
    // The n values; `guard_error` says when the tail was written.
    std::vector<T> read(QString* guard_error = nullptr) {
        std::vector<T> all(at(m_n + kGuard));
        m_backend.copy_to_host(all.data(), m_ptr, bytes());
        fold_digest(all.data(), bytes());
        for (int64_t i = m_n; i < m_n + kGuard; ++i)
            if (all[at(i)] != static_cast<T>(kSentinel) && guard_error && guard_error->isEmpty())
                *guard_error = QString("wrote past the end of a %1-element buffer (at +%2)").arg(m_n).arg(i - m_n);
        all.resize(at(m_n));
        return all;
    }

private:
    size_t bytes() const { return at(m_n + kGuard) * sizeof(T); }
    Backend& m_backend;
    int64_t m_n;
    T* m_ptr = nullptr;
};
using DeviceFloats = DeviceArray<float>;

// ---- Comparison. Empty when every |got_i - want_i| <= bound_i (NaN only where NaN is expected,
// equal infinities allowed); else the worst offender, with its index, and how many there were.
inline QString compare(const QString& what, const std::vector<float>& got, const Vec& want, const Vec& bound) {
    if (got.size() != want.size() || bound.size() != want.size())
        return QString("%1: %2 values, expected %3").arg(what).arg(got.size()).arg(want.size());
    int64_t bad = 0, worst = -1;
    double worst_ratio = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double g = got[i], w = want[i];
        double ratio;
        if (std::isnan(w) || std::isnan(g))
            ratio = std::isnan(w) && std::isnan(g) ? 0.0 : std::numeric_limits<double>::infinity();
        else if (std::isinf(w) || std::isinf(g))
            ratio = g == w ? 0.0 : std::numeric_limits<double>::infinity();
        else {
            const double err = std::fabs(g - w);
            ratio = err == 0 ? 0.0 : bound[i] > 0 ? err / bound[i] : std::numeric_limits<double>::infinity();
        }
        g_worst_ratio = std::max(g_worst_ratio, ratio);
        if (ratio > 1.0) {
            ++bad;
            if (ratio > worst_ratio || worst < 0) worst_ratio = ratio, worst = static_cast<int64_t>(i);
        }
    }
    if (bad == 0) return {};
    const size_t w = at(worst);
    return QString("%1: %2 of %3 values off; worst [%4] = %5, float64 says %6 (error %7, bound %8)")
        .arg(what).arg(bad).arg(want.size()).arg(worst)
        .arg(static_cast<double>(got[w]), 0, 'g', 9).arg(want[w], 0, 'g', 12)
        .arg(std::fabs(got[w] - want[w]), 0, 'g', 3).arg(bound[w], 0, 'g', 3);
}

inline QString compare_value(const QString& what, double got, double want, double bound) {
    const bool ok = std::isnan(want) ? std::isnan(got) : std::fabs(got - want) <= bound;
    if (!std::isnan(want) && !std::isnan(got) && got != want)
        g_worst_ratio = std::max(g_worst_ratio, bound > 0 ? std::fabs(got - want) / bound : std::numeric_limits<double>::infinity());
    if (ok) return {};
    return QString("%1: %2, float64 says %3 (error %4, bound %5)")
        .arg(what).arg(got, 0, 'g', 15).arg(want, 0, 'g', 15).arg(std::fabs(got - want), 0, 'g', 3).arg(bound, 0, 'g', 3);
}

inline Vec scaled_abs(const Vec& v, double factor) {
    Vec out(v.size());
    for (size_t i = 0; i < v.size(); ++i) out[i] = factor * std::fabs(v[i]);
    return out;
}

// Collects every disagreement of a test function (trial, shape and error) and fails once with all
// of them, so a run reports each broken case, not only the first.
class Failures {
public:
    void add(const QString& context, const QString& error) {
        if (!error.isEmpty()) m_lines << context + ": " + error;
    }
    bool empty() const { return m_lines.isEmpty(); }
    QString text() const {
        const int shown = std::min<int>(static_cast<int>(m_lines.size()), 12);
        QString out = QString("%1 case(s) disagree with float64:\n  ").arg(m_lines.size());
        out += QStringList(m_lines.mid(0, shown)).join("\n  ");
        if (shown < m_lines.size()) out += QString("\n  ... and %1 more").arg(m_lines.size() - shown);
        return out;
    }

private:
    QStringList m_lines;
};

// The CPU rows (every thread count) of one test function must read back the same bits.
inline void check_same_bits_on_every_cpu_row(const QString& device, int threads, Failures& failures) {
    static std::map<QString, std::pair<int, uint64_t>> first;  // test function -> (threads, digest)
    if (device != "cpu") return;
    const QString test = QTest::currentTestFunction();
    const auto it = first.find(test);
    if (it == first.end())
        first[test] = {threads, g_digest};
    else if (it->second.second != g_digest)
        failures.add(QString("threads=%1").arg(threads),
                     QString("results differ in their bits from the run with threads=%1").arg(it->second.first));
}

// Ends a test function: the bits across CPU thread counts, how much tolerance was used, then
// every disagreement.
#define NN_REPORT(failures)                                                                     \
    do {                                                                                        \
        check_same_bits_on_every_cpu_row(device, threads, failures);                            \
        qInfo("worst error/bound: %.3g", g_worst_ratio);                                        \
        QVERIFY2((failures).empty(), qPrintable((failures).text()));                            \
    } while (0)

// The backend for a data row's device, or null with `why` set (not in this process, refused).
// threads > 0 (CPU only): a CpuBackend of its own with that many threads.
inline Backend* present_backend(const QString& device, int threads, QString* why) {
    const Device wanted = Device::parse(device.toStdString());
    if (wanted.is_cpu() && threads > 0) {
        static std::map<int, std::unique_ptr<CpuBackend>> owned;
        auto& backend = owned[threads];
        if (!backend) backend = std::make_unique<CpuBackend>(CpuBackendOptions{threads});
        return backend.get();
    }
    for (const DeviceInfo& info : available_devices()) {
        if (!(info.device == wanted)) continue;
        if (!info.usable) {
            *why = device + " is listed but refused: " + QString::fromStdString(info.note);
            return nullptr;
        }
        return &backend_for(wanted);
    }
    *why = device + " is not present in this process (" +
           (wanted.is_cpu() ? QString("no CPU backend?") : QString("no CUDA device or not built with CUDA")) + ")";
    return nullptr;
}

// Declares `be`, the data row's backend, after skipping when the device is absent or the op is
// not supported there (reported as a skip for that backend, never as a pass).
#define NN_BACKEND(op_)                                                                              \
    QFETCH(QString, device);                                                                         \
    QFETCH(int, threads);                                                                            \
    g_worst_ratio = 0;                                                                               \
    g_digest = 0xcbf29ce484222325ull;                                                                \
    QString nn_why_;                                                                                 \
    Backend* nn_be_ = present_backend(device, threads, &nn_why_);                                    \
    if (!nn_be_) QSKIP(qPrintable(nn_why_));                                                         \
    if (!nn_be_->supports(op_, ComputeType::Float32))                                                \
        QSKIP(qPrintable(device + " does not support " + QString::fromStdString(op_name(op_)) + " (float32)")); \
    Backend& be = *nn_be_

}  // namespace nnstudio::test::ops

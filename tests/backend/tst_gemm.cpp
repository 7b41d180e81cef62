// The engine's SGEMM (the AVX-512 build of Eigen's GEMM on CPUs that have it, else CBLAS; CTest
// runs this suite both ways) and its split over the ThreadTeam, against a float64 reference with
// the textbook float32 error bound, for every transpose combination, odd sizes and row strides
// wider than the rows.
#include "backend/cpu/gemm.h"
#include "backend/cpu/parallel_gemm.h"
#include "test_support.h"
#include "util/random.h"

#include <QtTest>
#include <cmath>
#include <limits>
#include <vector>

using namespace nnstudio;

namespace {

struct Problem {
    bool ta, tb;
    int64_t m, n, k;
    float beta;
};

struct Operands {
    std::vector<float> a, b, c;
    int64_t lda, ldb, ldc;
};

constexpr float kPadding = 12345.f;  // fills the gaps between rows of C: must stay untouched

Operands make_operands(const Problem& p, Rng& rng) {
    Operands o;
    const int64_t a_rows = p.ta ? p.k : p.m, a_cols = p.ta ? p.m : p.k;
    const int64_t b_rows = p.tb ? p.n : p.k, b_cols = p.tb ? p.k : p.n;
    o.lda = a_cols + 3;
    o.ldb = b_cols + 5;
    o.ldc = p.n + 7;
    o.a.resize(static_cast<size_t>(a_rows * o.lda));
    o.b.resize(static_cast<size_t>(b_rows * o.ldb));
    o.c.assign(static_cast<size_t>(std::max<int64_t>(p.m, 1) * o.ldc), kPadding);
    for (auto& v : o.a) v = rng.normal();
    for (auto& v : o.b) v = rng.normal();
    for (int64_t i = 0; i < p.m; ++i)
        for (int64_t j = 0; j < p.n; ++j) o.c[static_cast<size_t>(i * o.ldc + j)] = rng.normal();
    return o;
}

GemmArgs args_for(const Problem& p, Operands& o) {
    return {p.ta, p.tb, p.m, p.n, p.k, o.a.data(), o.lda, o.b.data(), o.ldb, p.beta, o.c.data(), o.ldc};
}

// Empty when C = op(A) op(B) + beta C0 within 2 (k + 2) eps (sum_l |a_il b_lj| + |beta c0_ij|)
// of the float64 value, and the padding of C is unchanged; else what is wrong.
QString check(const Problem& p, const Operands& before, const Operands& after) {
    const double eps = std::numeric_limits<float>::epsilon();
    for (int64_t i = 0; i < p.m; ++i) {
        for (int64_t j = 0; j < p.n; ++j) {
            double exact = p.beta * static_cast<double>(before.c[static_cast<size_t>(i * before.ldc + j)]);
            double magnitude = std::fabs(exact);
            for (int64_t l = 0; l < p.k; ++l) {
                const double a = p.ta ? before.a[static_cast<size_t>(l * before.lda + i)] : before.a[static_cast<size_t>(i * before.lda + l)];
                const double b = p.tb ? before.b[static_cast<size_t>(j * before.ldb + l)] : before.b[static_cast<size_t>(l * before.ldb + j)];
                exact += a * b;
                magnitude += std::fabs(a * b);
            }
            const double got = after.c[static_cast<size_t>(i * after.ldc + j)];
            const double bound = 2.0 * static_cast<double>(p.k + 2) * eps * magnitude + 1e-30;
            if (!(std::fabs(got - exact) <= bound))
                return QString("C[%1,%2] = %3, float64 says %4 (bound %5)").arg(i).arg(j).arg(got).arg(exact).arg(bound);
        }
        for (int64_t j = p.n; j < after.ldc; ++j)
            if (after.c[static_cast<size_t>(i * after.ldc + j)] != kPadding)
                return QString("the padding after row %1 of C was written").arg(i);
    }
    return {};
}

std::vector<Problem> problems() {
    std::vector<Problem> out;
    // The engine's shapes (Linear forward, dW, dX at batch 32/128) and odd ones around kernel widths.
    const int64_t sizes[][3] = {{128, 256, 784}, {64, 128, 256}, {256, 784, 64}, {16, 10, 256}, {1, 1, 1},
                                {3, 5, 7},       {17, 33, 65},   {49, 47, 129},  {2, 300, 1},  {97, 1, 300}};
    for (const auto& s : sizes)
        for (int t = 0; t < 4; ++t) out.push_back({(t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], (t % 3 == 0) ? 1.f : 0.f});
    return out;
}

}  // namespace

class TestGemm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qInfo("gemm backend in this run: %s", gemm_backend()); }

    void gemm_is_within_the_float32_error_bound() {
        Rng rng(5);
        for (const Problem& p : problems()) {
            const Operands before = make_operands(p, rng);
            Operands after = before;
            gemm(args_for(p, after));
            const QString error = check(p, before, after);
            QVERIFY2(error.isEmpty(), qPrintable(QString("%1x%2x%3 ta=%4 tb=%5 beta=%6: %7")
                                                     .arg(p.m).arg(p.n).arg(p.k).arg(p.ta).arg(p.tb).arg(p.beta).arg(error)));
        }
    }

    void the_split_over_threads_is_as_exact_and_sees_every_block_once() {
        Rng rng(6);
        for (const Problem& p : problems()) {
            const Operands before = make_operands(p, rng);
            Operands after = before;
            std::vector<int> visits(static_cast<size_t>(p.m * p.n), 0);
            // The epilogue doubles each block it is given (exact in floating point; undone below).
            parallel_gemm(args_for(p, after), [&](const GemmArgs& block, int64_t r0, int64_t c0) {
                for (int64_t i = 0; i < block.m; ++i)
                    for (int64_t j = 0; j < block.n; ++j) {
                        block.c[i * block.ldc + j] *= 2.0f;
                        ++visits[static_cast<size_t>((r0 + i) * p.n + c0 + j)];
                    }
            });
            for (int v : visits) QCOMPARE(v, 1);
            for (int64_t i = 0; i < p.m; ++i)
                for (int64_t j = 0; j < p.n; ++j) after.c[static_cast<size_t>(i * after.ldc + j)] *= 0.5f;
            const QString error = check(p, before, after);
            QVERIFY2(error.isEmpty(), qPrintable(QString("%1x%2x%3: %4").arg(p.m).arg(p.n).arg(p.k).arg(error)));
        }
    }

    void an_empty_product_writes_nothing() {
        std::vector<float> c(4, kPadding);
        gemm({false, false, 0, 2, 3, nullptr, 3, nullptr, 2, 0.f, c.data(), 2});
        for (float v : c) QCOMPARE(v, kPadding);
    }
};

QTEST_GUILESS_MAIN(TestGemm)
#include "tst_gemm.moc"

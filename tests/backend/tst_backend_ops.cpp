// Every operation of the Backend table (core/backend/backend.h) on every registered device, against
// the float64 reference in reference_ops.h, in the manner of ggml's test-backend-ops: random shapes
// from fixed seeds (odd and empty sizes included), several trials per op, a tolerance beside each op.
// A device this process does not have skips; an op a backend does not support() skips for it.
#include "activation_cases.h"
#include "op_harness.h"
#include "reference_ops.h"
#include "test_support.h"
#include "torch_cases.h"

#include <QTemporaryDir>
#include <QtTest>
#include <set>
#include <vector>

using namespace nnstudio;
using namespace nnstudio::test::ops;
namespace ref = nnstudio::test::ref;

namespace {

// elementwise lengths; the largest are split over the CPU backend's threads (4096 per thread)
const std::vector<int64_t> kCounts = {0, 1, 2, 3, 17, 33, 64, 1000, 4099, 10007};
const std::vector<int64_t> kDims = {0, 1, 3, 17, 33};                        // matrix/axis sizes

}  // namespace

class TestBackendOps : public QObject {
    Q_OBJECT

    // The CPU also with 1 and 3 threads (as many as the machine has, up to 3) of its own, when
    // that differs from the registry's backend.
    void cpu_thread_rows() {
        std::set<int> seen;
        if (auto* cpu = dynamic_cast<CpuBackend*>(&cpu_backend())) seen.insert(cpu->threads());
        for (int wanted : {1, 3}) {
            QString why;
            const int threads = static_cast<CpuBackend*>(present_backend("cpu", wanted, &why))->threads();
            if (!seen.insert(threads).second) continue;
            const std::string name = "cpu, " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
            QTest::newRow(name.c_str()) << QString("cpu") << wanted;
        }
    }

    // One data row per device: every registered one, and "cuda" when none is (it then skips);
    // threads 0: the registry's backend, else a CpuBackend of that many threads.
    void device_rows() {
        QTest::addColumn<QString>("device");
        QTest::addColumn<int>("threads");
        bool has_cuda = false;
        for (const DeviceInfo& info : available_devices()) {
            const std::string name = info.device.str();
            QTest::newRow(name.c_str()) << QString::fromStdString(name) << 0;
            if (info.device.is_cpu()) cpu_thread_rows();
            has_cuda = has_cuda || info.device.kind == DeviceKind::CUDA;
        }
        if (!has_cuda) QTest::newRow("cuda") << QString("cuda") << 0;
    }

private slots:
    // ---- The harness itself.

    void every_op_of_the_table_has_a_test() {
        // Listed as the slots below test them; a new Op must come with its test here.
        const std::set<Op> tested = {
            Op::Gemm, Op::BiasGrad, Op::Activation, Op::ActivationBackward, Op::PReLU, Op::PReLUBackward,
            Op::Softmax, Op::SoftmaxBackward, Op::BatchNormStatistics, Op::BatchNormApply, Op::BatchNormBackward,
            Op::LayerNorm, Op::LayerNormBackward, Op::Dropout, Op::Mul, Op::Add, Op::CrossEntropyLoss, Op::NllLoss,
            Op::MseLoss, Op::L1Loss, Op::BceWithLogitsLoss, Op::Moments, Op::SgdStep, Op::AdamStep, Op::Fill,
            Op::Copy};
        // Every Op op_name() knows (past the last it answers "Op(N)"), wherever it sits in the enum.
        int named = 0;
        for (int i = 0; op_name(static_cast<Op>(i)) != "Op(" + std::to_string(i) + ")"; ++i, ++named)
            QVERIFY2(tested.count(static_cast<Op>(i)), qPrintable("no test for Op " + QString::fromStdString(op_name(static_cast<Op>(i)))));
        QCOMPARE(named, static_cast<int>(tested.size()));
    }

    // The reference is PyTorch: its outputs for fixed inputs match torch's float64 ones.
    void the_reference_agrees_with_pytorch() {
        if (!test::torch_available()) QSKIP("no Python with torch here: the reference is checked against it elsewhere");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("cases.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(reference_cases_for_torch().dump()));
        file.close();
        QString out, error;
        const bool ok = test::run_python(test::source_dir() + "/tests/backend/reference_vs_torch.py", {path}, &out, &error);
        QVERIFY2(ok, qPrintable(out + error));
        qInfo("%s", qPrintable(out.trimmed()));
    }

    // The comparison can fail: the reference with one element moved just past its bound, a NaN
    // where a number is expected, a number where NaN is expected, CPU rows with different bits,
    // and a write past a buffer's end.
    void the_comparison_catches_a_wrong_result() {
        Rng rng(1);
        const ActivationCase tanh{Activation::Tanh, {}};
        const std::vector<float> x = normal(rng, 33);
        Vec want(x.size()), bound(x.size());
        for (size_t i = 0; i < x.size(); ++i) {
            want[i] = ref::activation(tanh.a, tanh.p, x[i]);
            bound[i] = activation_bound(tanh, x[i], want[i]);
        }
        const std::vector<float> right = narrow(want);
        QVERIFY(compare("exact", right, want, bound).isEmpty());
        std::vector<float> wrong = right;
        wrong[17] = static_cast<float>(want[17] + 2 * bound[17] + 2 * kEps * std::fabs(want[17]));
        const QString error = compare("perturbed", wrong, want, bound);
        QVERIFY2(error.contains("1 of 33") && error.contains("[17]"), qPrintable(error));
        wrong = right;
        wrong[3] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(!compare("nan", wrong, want, bound).isEmpty());
        Vec want_nan = want;
        want_nan[5] = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(!compare("expected nan", right, want_nan, bound).isEmpty());
        QVERIFY(!compare_value("value", 1.0, 1.0 + 1e-6, 1e-7).isEmpty());
        QVERIFY(!compare_value("nan value", 0.0, std::nan(""), 1.0).isEmpty());
        QVERIFY(compare_value("nan value", std::nan(""), std::nan(""), 1.0).isEmpty());

        // A CPU row whose bits differ from the first CPU row's is reported.
        Failures bits;
        g_digest = 1;
        check_same_bits_on_every_cpu_row("cpu", 0, bits);
        check_same_bits_on_every_cpu_row("cpu", 1, bits);
        QVERIFY(bits.empty());
        g_digest = 2;
        check_same_bits_on_every_cpu_row("cpu", 3, bits);
        QVERIFY2(bits.text().contains("differ in their bits"), qPrintable(bits.text()));

        // A write past the end through the device interface is seen by the guard.
        Backend& cpu = cpu_backend();
        DeviceFloats buffer(cpu, right);
        const float stray = 1.f;
        cpu.copy_from_host(buffer.ptr() + right.size(), &stray, sizeof stray);
        QString guard;
        buffer.read(&guard);
        QVERIFY2(guard.contains("past the end"), qPrintable(guard));
    }

    // A whole op checked against the wrong formula must fail: the CPU backend's Sigmoid against
    // the reference SiLU, and its GEMM against a reference with one product term dropped.
    void a_wrong_backend_result_fails_the_op_check() {
        Backend& cpu = cpu_backend();
        Rng rng(2);
        const std::vector<float> x = normal(rng, 17);
        DeviceFloats dx(cpu, x), dy(cpu, 17);
        cpu.activation_forward(Activation::Sigmoid, {}, dx.ptr(), dy.ptr(), 17);
        const ActivationCase silu{Activation::SiLU, {}};
        Vec want(17), bound(17);
        for (size_t i = 0; i < 17; ++i) {
            want[i] = ref::activation(silu.a, silu.p, x[i]);
            bound[i] = activation_bound(silu, x[i], want[i]);
        }
        QVERIFY(!compare("sigmoid vs silu", dy.read(), want, bound).isEmpty());

        const int64_t m = 3, n = 4, k = 5;
        const std::vector<float> a = normal(rng, m * k), b = normal(rng, k * n);
        DeviceFloats da(cpu, a), db(cpu, b), dc(cpu, m * n);
        GemmDesc g;
        g.m = m, g.n = n, g.k = k, g.a = da.ptr(), g.lda = k, g.b = db.ptr(), g.ldb = n, g.c = dc.ptr(), g.ldc = n;
        cpu.gemm(g);
        Vec a_short = widen(a);
        a_short[at(1 * k + 2)] = 0;  // drops a_12·b_2j from row 1
        Vec c(at(m * n)), magnitude;
        ref::gemm(false, false, m, n, k, a_short, k, widen(b), n, 0.0, c, n, nullptr, Activation::Identity, {},
                  &magnitude);
        QVERIFY(!compare("gemm with a term dropped", dc.read(), c, scaled_abs(magnitude, 2 * (k + 2) * kEps)).isEmpty());
    }

    // ---- Memory and elementwise basics.

    void copy_data() { device_rows(); }
    // host -> device -> device -> host is bit-exact, for byte counts that are not whole floats too.
    void copy() {
        NN_BACKEND(Op::Copy);
        Failures failures;
        Rng rng(10);
        for (size_t bytes : {size_t(0), size_t(1), size_t(13), size_t(64), size_t(4099 * 4 + 3)}) {
            std::vector<unsigned char> host(bytes), back(bytes, 0);
            for (auto& v : host) v = static_cast<unsigned char>(rng.below(256));
            void* first = be.allocate(bytes);
            void* second = be.allocate(bytes);
            if (bytes == 0) QVERIFY2(first == nullptr, "allocate(0) returns nullptr");
            be.copy_from_host(first, host.data(), bytes);
            be.copy(second, first, bytes);
            be.copy_to_host(back.data(), second, bytes);
            be.deallocate(first, bytes);
            be.deallocate(second, bytes);
            if (host != back) failures.add(QString("%1 bytes").arg(bytes), "the round trip changed the bytes");
        }
        NN_REPORT(failures);
    }

    void fill_data() { device_rows(); }
    void fill() {  // exact
        NN_BACKEND(Op::Fill);
        Failures failures;
        Rng rng(11);
        for (int64_t n : kCounts) {
            const float value = rng.normal();
            DeviceFloats x(be, normal(rng, n));
            be.fill(x.ptr(), n, value);
            QString guard;
            const std::vector<float> got = x.read(&guard);
            failures.add(QString("n=%1").arg(n), guard);
            failures.add(QString("n=%1").arg(n), compare("x", got, Vec(at(n), value), Vec(at(n), 0.0)));
        }
        NN_REPORT(failures);
    }

    void add_data() { device_rows(); }
    // One correctly rounded float operation per element: within an ulp of the float64 sum.
    // Also in place (out aliasing a, then b), as the residual add and gradient sums use it.
    void add() {
        NN_BACKEND(Op::Add);
        Failures failures;
        Rng rng(12);
        for (int64_t n : kCounts) {
            for (int alias = 0; alias < 3; ++alias) {
                const std::vector<float> a = normal(rng, n), b = normal(rng, n, 0.f, 1e-3f);
                DeviceFloats da(be, a), db(be, b), dout(be, n);
                float* out = alias == 0 ? dout.ptr() : alias == 1 ? da.ptr() : db.ptr();
                be.add(da.ptr(), db.ptr(), out, n);
                Vec want(at(n));
                for (size_t i = 0; i < want.size(); ++i) want[i] = double(a[i]) + double(b[i]);
                QString guard;
                const std::vector<float> got = alias == 0 ? dout.read(&guard) : alias == 1 ? da.read(&guard) : db.read(&guard);
                const QString ctx = QString("n=%1 out=%2").arg(n).arg(alias == 0 ? "new" : alias == 1 ? "a" : "b");
                failures.add(ctx, guard);
                failures.add(ctx, compare("out", got, want, scaled_abs(want, kEps)));
            }
        }
        NN_REPORT(failures);
    }

    void mul_data() { device_rows(); }
    void mul() {  // as add: one rounding
        NN_BACKEND(Op::Mul);
        Failures failures;
        Rng rng(13);
        for (int64_t n : kCounts) {
            for (int alias = 0; alias < 2; ++alias) {
                const std::vector<float> a = normal(rng, n), b = normal(rng, n, 0.f, 3.f);
                DeviceFloats da(be, a), db(be, b), dout(be, n);
                be.mul(da.ptr(), db.ptr(), alias ? da.ptr() : dout.ptr(), n);
                Vec want(at(n));
                for (size_t i = 0; i < want.size(); ++i) want[i] = double(a[i]) * double(b[i]);
                QString guard;
                const std::vector<float> got = alias ? da.read(&guard) : dout.read(&guard);
                const QString ctx = QString("n=%1 in_place=%2").arg(n).arg(alias);
                failures.add(ctx, guard);
                failures.add(ctx, compare("out", got, want, scaled_abs(want, kEps)));
            }
        }
        NN_REPORT(failures);
    }

    // ---- GEMM.

    void gemm_data() { device_rows(); }
    // Every transpose pair, odd and empty m/n/k, row strides wider than the rows, beta 0 (C holds
    // NaN: it must not be read) and 1, with and without bias, several epilogue activations.
    // Tolerance: the textbook bound 2(k+2)·eps·(Σ_l|a_il b_lj| + |beta c_ij| + |bias_j|) (as
    // tests/backend/tst_gemm.cpp) carried through the activation by its Lipschitz constant, plus
    // the activation's own rounding. C's row padding must be untouched.
    void gemm() {
        NN_BACKEND(Op::Gemm);
        Failures failures;
        Rng rng(20);
        const std::vector<ActivationCase> acts = activation_cases();
        for (int trial = 0; trial < 120; ++trial) {
            const bool ta = trial & 1, tb = trial & 2;
            const int64_t m = pick(rng, kDims), n = pick(rng, kDims), k = pick(rng, {0, 1, 3, 17, 33, 130});
            const float beta = rng.below(2) ? 1.f : 0.f;
            const bool with_bias = rng.below(2);
            const ActivationCase act = trial % 3 == 0 ? acts[rng.below(acts.size())] : acts[0];
            const int64_t a_rows = ta ? k : m, a_cols = ta ? m : k, b_rows = tb ? n : k, b_cols = tb ? k : n;
            const int64_t lda = std::max<int64_t>(a_cols, 1) + static_cast<int64_t>(rng.below(4));
            const int64_t ldb = std::max<int64_t>(b_cols, 1) + static_cast<int64_t>(rng.below(4));
            const int64_t ldc = std::max<int64_t>(n, 1) + static_cast<int64_t>(rng.below(4));
            const std::vector<float> a = normal(rng, a_rows * lda), b = normal(rng, b_rows * ldb), bias = normal(rng, n);
            std::vector<float> c(at(m * ldc), kSentinel);
            for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < n; ++j)
                    c[at(i * ldc + j)] = beta == 0.f ? std::numeric_limits<float>::quiet_NaN() : rng.normal();

            DeviceFloats da(be, a), db(be, b), dc(be, c), dbias(be, bias);
            GemmDesc g;
            g.trans_a = ta, g.trans_b = tb, g.m = m, g.n = n, g.k = k;
            g.a = da.ptr(), g.lda = lda, g.b = db.ptr(), g.ldb = ldb, g.beta = beta, g.c = dc.ptr(), g.ldc = ldc;
            g.bias = with_bias ? dbias.ptr() : nullptr;
            g.activation = act.a, g.activation_params = act.p;
            be.gemm(g);

            Vec want = widen(c), magnitude;
            const Vec bias_d = widen(bias);
            ref::gemm(ta, tb, m, n, k, widen(a), lda, widen(b), ldb, beta, want, ldc, with_bias ? &bias_d : nullptr,
                      act.a, act.p, &magnitude);
            Vec bound(want.size(), 0.0);  // padding: exact (untouched)
            const double lipschitz = ref::activation_lipschitz(act.a, act.p);
            for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    const double y = want[at(i * ldc + j)];
                    const double gemm_bound = 2.0 * static_cast<double>(k + 2) * kEps * magnitude[at(i * n + j)];
                    // the activation's own rounding, taken at the pre-activation size (≤ magnitude)
                    bound[at(i * ldc + j)] = lipschitz * gemm_bound + activation_bound(act, magnitude[at(i * n + j)], y);
                }
            QString guard;
            const std::vector<float> got = dc.read(&guard);
            const QString ctx = QString("trial %1: %2x%3x%4 ta=%5 tb=%6 lda=%7 ldb=%8 ldc=%9 beta=%10 bias=%11 %12")
                                    .arg(trial).arg(m).arg(n).arg(k).arg(ta).arg(tb).arg(lda).arg(ldb).arg(ldc)
                                    .arg(beta).arg(with_bias).arg(describe(act));
            failures.add(ctx, guard);
            failures.add(ctx, compare("C", got, want, bound));
        }
        NN_REPORT(failures);
    }

    void bias_grad_data() { device_rows(); }
    // db += Σ_rows g, any summation order: (rows+1)·eps·(Σ|g| + |db|).
    void bias_grad() {
        NN_BACKEND(Op::BiasGrad);
        Failures failures;
        Rng rng(21);
        for (int trial = 0; trial < 30; ++trial) {
            const int64_t rows = pick(rng, {0, 1, 3, 17, 33, 1000}), n = pick(rng, kDims);
            const std::vector<float> g = normal(rng, rows * n), db0 = normal(rng, n);
            DeviceFloats dg(be, g), ddb(be, db0);
            be.bias_grad(dg.ptr(), rows, n, ddb.ptr());
            Vec want = widen(db0), bound(at(n));
            ref::bias_grad(widen(g), rows, n, want);
            for (int64_t j = 0; j < n; ++j) {
                double size = std::fabs(db0[at(j)]);
                for (int64_t r = 0; r < rows; ++r) size += std::fabs(g[at(r * n + j)]);
                bound[at(j)] = static_cast<double>(rows + 1) * kEps * size;
            }
            QString guard;
            const std::vector<float> got = ddb.read(&guard);
            const QString ctx = QString("trial %1: rows=%2 n=%3").arg(trial).arg(rows).arg(n);
            failures.add(ctx, guard);
            failures.add(ctx, compare("db", got, want, bound));
        }
        NN_REPORT(failures);
    }

    // ---- Activations.

    void activation_forward_data() { device_rows(); }
    // Tolerance: activation_bound above (exact for the piecewise-linear ones).
    void activation_forward() {
        NN_BACKEND(Op::Activation);
        Failures failures;
        Rng rng(30);
        for (const ActivationCase& act : activation_cases()) {
            for (int64_t n : {0, 1, 3, 17, 1000, 10007}) {
                const std::vector<float> x = activation_inputs(rng, n, act);
                DeviceFloats dx(be, x), dy(be, n);
                be.activation_forward(act.a, act.p, dx.ptr(), dy.ptr(), n);
                Vec want(at(n)), bound(at(n));
                for (int64_t i = 0; i < n; ++i) {
                    want[at(i)] = ref::activation(act.a, act.p, x[at(i)]);
                    bound[at(i)] = activation_bound(act, x[at(i)], want[at(i)]);
                }
                QString guard;
                const std::vector<float> got = dy.read(&guard);
                const QString ctx = QString("%1 n=%2").arg(describe(act)).arg(n);
                failures.add(ctx, guard);
                failures.add(ctx, compare("y", got, want, bound));
            }
        }
        NN_REPORT(failures);
    }

    void activation_backward_data() { device_rows(); }
    // Given x and y = f(x) (the reference's, rounded to float, as a recorded forward would be), dx
    // = g·f'(x) with PyTorch's derivative at the branch points (ReLU'(0) = 0, Hardtanh' = 0 at the
    // bounds, ELU takes the exp branch at 0). Tolerance: activation_grad_bound above.
    void activation_backward() {
        NN_BACKEND(Op::ActivationBackward);
        Failures failures;
        Rng rng(31);
        for (const ActivationCase& act : activation_cases()) {
            for (int64_t n : {0, 1, 3, 17, 1000, 10007}) {
                const std::vector<float> x = activation_inputs(rng, n, act), g = normal(rng, n);
                std::vector<float> y(at(n));
                for (int64_t i = 0; i < n; ++i) y[at(i)] = static_cast<float>(ref::activation(act.a, act.p, x[at(i)]));
                DeviceFloats dx_in(be, x), dy(be, y), dg(be, g), ddx(be, n);
                be.activation_backward(act.a, act.p, dx_in.ptr(), dy.ptr(), dg.ptr(), ddx.ptr(), n);
                Vec want(at(n)), bound(at(n));
                for (int64_t i = 0; i < n; ++i) {
                    want[at(i)] = ref::activation_grad(act.a, act.p, x[at(i)], y[at(i)], g[at(i)]);
                    bound[at(i)] = activation_grad_bound(act, x[at(i)], g[at(i)], want[at(i)]);
                }
                QString guard;
                const std::vector<float> got = ddx.read(&guard);
                const QString ctx = QString("%1 n=%2").arg(describe(act)).arg(n);
                failures.add(ctx, guard);
                failures.add(ctx, compare("dx", got, want, bound));
            }
        }
        NN_REPORT(failures);
    }

    void prelu_forward_data() { device_rows(); }
    // One weight or one per channel over (outer, channels, inner); one rounding (w·x).
    void prelu_forward() {
        NN_BACKEND(Op::PReLU);
        Failures failures;
        Rng rng(32);
        for (int trial = 0; trial < 30; ++trial) {
            const int64_t outer = pick(rng, kDims), channels = pick(rng, {1, 3, 17}), inner = pick(rng, {0, 1, 5});
            const int64_t wsize = rng.below(2) ? 1 : channels;
            std::vector<float> x = normal(rng, outer * channels * inner);
            if (!x.empty()) x[0] = 0.f;
            const std::vector<float> w = normal(rng, wsize, 0.25f, 0.5f);
            DeviceFloats dx(be, x), dw(be, w), dy(be, static_cast<int64_t>(x.size()));
            be.prelu_forward(dx.ptr(), dw.ptr(), wsize, dy.ptr(), outer, channels, inner);
            Vec want;
            ref::prelu_forward(widen(x), widen(w), outer, channels, inner, want);
            QString guard;
            const std::vector<float> got = dy.read(&guard);
            const QString ctx = QString("trial %1: (%2, %3, %4) weights=%5").arg(trial).arg(outer).arg(channels).arg(inner).arg(wsize);
            failures.add(ctx, guard);
            failures.add(ctx, compare("y", got, want, scaled_abs(want, kEps)));
        }
        NN_REPORT(failures);
    }

    void prelu_backward_data() { device_rows(); }
    // dx: one rounding; dw (accumulated into): (count+2)·eps·(Σ|g·x| + |dw|).
    void prelu_backward() {
        NN_BACKEND(Op::PReLUBackward);
        Failures failures;
        Rng rng(33);
        for (int trial = 0; trial < 30; ++trial) {
            const int64_t outer = pick(rng, kDims), channels = pick(rng, {1, 3, 17}), inner = pick(rng, {0, 1, 5});
            const int64_t wsize = rng.below(2) ? 1 : channels;
            std::vector<float> x = normal(rng, outer * channels * inner);
            if (!x.empty()) x[0] = 0.f;
            const std::vector<float> w = normal(rng, wsize, 0.25f, 0.5f), g = normal(rng, static_cast<int64_t>(x.size()));
            const std::vector<float> dw0 = normal(rng, wsize);
            DeviceFloats dx_in(be, x), dw(be, w), dg(be, g), ddx(be, static_cast<int64_t>(x.size())), ddw(be, dw0);
            be.prelu_backward(dx_in.ptr(), dw.ptr(), wsize, dg.ptr(), ddx.ptr(), ddw.ptr(), outer, channels, inner);
            Vec want_dx, want_dw = widen(dw0);
            ref::prelu_backward(widen(x), widen(w), widen(g), outer, channels, inner, want_dx, want_dw);
            Vec dw_bound = scaled_abs(widen(dw0), 1.0);
            for (size_t i = 0; i < x.size(); ++i) {
                const size_t c = wsize == 1 ? 0 : (i / at(inner)) % at(channels);
                if (!(x[i] > 0)) dw_bound[c] += std::fabs(double(g[i]) * x[i]);
            }
            for (auto& b : dw_bound) b *= static_cast<double>(outer * inner * (wsize == 1 ? channels : 1) + 2) * kEps;
            QString guard;
            const std::vector<float> got_dx = ddx.read(&guard), got_dw = ddw.read(&guard);
            const QString ctx = QString("trial %1: (%2, %3, %4) weights=%5").arg(trial).arg(outer).arg(channels).arg(inner).arg(wsize);
            failures.add(ctx, guard);
            failures.add(ctx, compare("dx", got_dx, want_dx, scaled_abs(want_dx, kEps)));
            failures.add(ctx, compare("dweight", got_dw, want_dw, dw_bound));
        }
        NN_REPORT(failures);
    }

    // ---- Softmax / LogSoftmax.

    void softmax_forward_data() { device_rows(); }
    // Along the middle of (outer, n, inner). Tolerance: the sum of n exponentials carries n·eps,
    // each exp a few ulps: (n+8)·eps·|y| for softmax, (n+8)·eps·(|y|+1) for log_softmax (whose
    // |y| = |x - max| + log Σ bounds both terms).
    void softmax_forward() {
        NN_BACKEND(Op::Softmax);
        Failures failures;
        Rng rng(40);
        for (int trial = 0; trial < 40; ++trial) {
            const bool log = trial & 1;
            const int64_t outer = pick(rng, kDims), n = pick(rng, {0, 1, 2, 3, 17, 33, 300}), inner = pick(rng, {0, 1, 3, 7});
            const std::vector<float> x = normal(rng, outer * n * inner, 0.f, 4.f);
            DeviceFloats dx(be, x), dy(be, static_cast<int64_t>(x.size()));
            be.softmax_forward(dx.ptr(), dy.ptr(), outer, n, inner, log);
            Vec want;
            ref::softmax_forward(widen(x), outer, n, inner, log, want);
            Vec bound(want.size());
            for (size_t i = 0; i < want.size(); ++i)
                bound[i] = static_cast<double>(n + 8) * kEps * (std::fabs(want[i]) + (log ? 1.0 : 0.0));
            QString guard;
            const std::vector<float> got = dy.read(&guard);
            const QString ctx = QString("trial %1: (%2, %3, %4) log=%5").arg(trial).arg(outer).arg(n).arg(inner).arg(log);
            failures.add(ctx, guard);
            failures.add(ctx, compare("y", got, want, bound));
        }
        NN_REPORT(failures);
    }

    void softmax_backward_data() { device_rows(); }
    // From the forward's output y (the reference's, in float). Tolerance: the sum over n
    // carries n·eps: softmax (n+8)·eps·y_i·(|g_i| + Σ|g·y|); log (n+8)·eps·(|g_i| + e^y_i·Σ|g|).
    void softmax_backward() {
        NN_BACKEND(Op::SoftmaxBackward);
        Failures failures;
        Rng rng(41);
        for (int trial = 0; trial < 40; ++trial) {
            const bool log = trial & 1;
            const int64_t outer = pick(rng, kDims), n = pick(rng, {0, 1, 2, 3, 17, 33, 300}), inner = pick(rng, {0, 1, 3, 7});
            const std::vector<float> x = normal(rng, outer * n * inner, 0.f, 4.f), g = normal(rng, outer * n * inner);
            Vec yd;
            ref::softmax_forward(widen(x), outer, n, inner, log, yd);
            const std::vector<float> y = narrow(yd);
            DeviceFloats dy(be, y), dg(be, g), ddx(be, static_cast<int64_t>(x.size()));
            be.softmax_backward(dy.ptr(), dg.ptr(), ddx.ptr(), outer, n, inner, log);
            Vec want;
            ref::softmax_backward(widen(y), widen(g), outer, n, inner, log, want);
            Vec bound(want.size());
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t i = 0; i < inner; ++i) {
                    double sum = 0;
                    for (int64_t j = 0; j < n; ++j) {
                        const size_t idx = at((o * n + j) * inner + i);
                        sum += log ? std::fabs(g[idx]) : std::fabs(double(g[idx]) * y[idx]);
                    }
                    for (int64_t j = 0; j < n; ++j) {
                        const size_t idx = at((o * n + j) * inner + i);
                        const double scale = log ? std::fabs(g[idx]) + std::exp(double(y[idx])) * sum
                                                 : std::fabs(double(y[idx])) * (std::fabs(g[idx]) + sum);
                        bound[idx] = static_cast<double>(n + 8) * kEps * scale;
                    }
                }
            QString guard;
            const std::vector<float> got = ddx.read(&guard);
            const QString ctx = QString("trial %1: (%2, %3, %4) log=%5").arg(trial).arg(outer).arg(n).arg(inner).arg(log);
            failures.add(ctx, guard);
            failures.add(ctx, compare("dx", got, want, bound));
        }
        NN_REPORT(failures);
    }

    // ---- BatchNorm1d.

    void batch_norm_statistics_data() { device_rows(); }
    // Mean and biased var accumulated in double (backend.h) and rounded once: eps·|v| + 1e-12 of
    // the data's size; invstd and the running update from the double variance: 2 ulps, and a few
    // roundings of each term of (1-momentum)·running + momentum·batch. Without running buffers
    // nothing else is written. Also batch_norm_invstd from stored (float) variances: 2 ulps.
    void batch_norm_statistics() {
        NN_BACKEND(Op::BatchNormStatistics);
        Failures failures;
        Rng rng(50);
        for (int trial = 0; trial < 40; ++trial) {
            const int64_t n = pick(rng, {2, 3, 16, 17, 33, 100, 1000}), c = pick(rng, {1, 3, 17});
            const bool update_running = trial & 1;
            BatchNormDesc d;
            d.n = n, d.c = c, d.eps = rng.below(2) ? 1e-5 : 1e-3, d.momentum = rng.below(2) ? 0.1 : 0.5;
            const std::vector<float> x = normal(rng, n * c, 3.f, 2.f);
            const std::vector<float> rm0 = normal(rng, c), rv0 = normal(rng, c, 2.f, 0.5f);
            DeviceFloats dx(be, x), dmean(be, c), dvar(be, c), dinv(be, c), drm(be, rm0), drv(be, rv0);
            be.batch_norm_statistics(d, dx.ptr(), dmean.ptr(), dvar.ptr(), dinv.ptr(), update_running ? drm.ptr() : nullptr,
                                     update_running ? drv.ptr() : nullptr);
            Vec mean, var, rm = widen(rm0), rv = widen(rv0);
            ref::batch_norm_statistics(widen(x), n, c, mean, var);
            const Vec invstd = ref::batch_norm_invstd(var, d.eps);
            if (update_running) ref::batch_norm_update_running(mean, var, n, d.momentum, rm, rv);
            Vec mean_bound(at(c)), var_bound(at(c)), rm_bound(at(c), 0.0), rv_bound(at(c), 0.0);
            for (int64_t ch = 0; ch < c; ++ch) {
                double abs_sum = 0, sq_sum = 0;
                for (int64_t r = 0; r < n; ++r) {
                    abs_sum += std::fabs(x[at(r * c + ch)]);
                    sq_sum += double(x[at(r * c + ch)]) * x[at(r * c + ch)];
                }
                mean_bound[at(ch)] = kEps * std::fabs(mean[at(ch)]) + 1e-12 * abs_sum / n;
                var_bound[at(ch)] = kEps * std::fabs(var[at(ch)]) + 1e-12 * sq_sum / n;
                if (!update_running) continue;  // untouched: exact
                rm_bound[at(ch)] = 4 * kEps * ((1 - d.momentum) * std::fabs(rm0[at(ch)]) + d.momentum * std::fabs(mean[at(ch)]));
                rv_bound[at(ch)] = 4 * kEps * ((1 - d.momentum) * std::fabs(rv0[at(ch)]) + d.momentum * var[at(ch)] * n / (n - 1.0));
            }
            QString guard;
            const QString ctx = QString("trial %1: N=%2 C=%3 eps=%4 momentum=%5 running=%6")
                                    .arg(trial).arg(n).arg(c).arg(d.eps).arg(d.momentum).arg(update_running);
            failures.add(ctx, compare("mean", dmean.read(&guard), mean, mean_bound));
            failures.add(ctx, compare("var", dvar.read(&guard), var, var_bound));
            failures.add(ctx, compare("invstd", dinv.read(&guard), invstd, scaled_abs(invstd, 2 * kEps)));
            failures.add(ctx, compare("running_mean", drm.read(&guard), rm, rm_bound));
            failures.add(ctx, compare("running_var", drv.read(&guard), rv, rv_bound));

            // eval mode: invstd from stored variances
            DeviceFloats dinv_eval(be, c);
            be.batch_norm_invstd(d, drv.ptr(), dinv_eval.ptr());
            const Vec invstd_eval = ref::batch_norm_invstd(widen(drv.read(&guard)), d.eps);
            failures.add(ctx, compare("invstd (stored var)", dinv_eval.read(&guard), invstd_eval, scaled_abs(invstd_eval, 2 * kEps)));
            failures.add(ctx, guard);
        }
        NN_REPORT(failures);
    }

    void batch_norm_apply_data() { device_rows(); }
    // xhat = (x - mean)·invstd, y = xhat·γ + β, affine or not, xhat saved or not, N = 0 allowed.
    // Tolerance: a few roundings of each term: 4·eps·((|x| + |mean|)·invstd·|γ| + |β|).
    void batch_norm_apply() {
        NN_BACKEND(Op::BatchNormApply);
        Failures failures;
        Rng rng(51);
        for (int trial = 0; trial < 30; ++trial) {
            const int64_t n = pick(rng, {0, 1, 3, 17, 33, 100}), c = pick(rng, {1, 3, 17});
            const bool affine = trial & 1, save_xhat = trial & 2;
            BatchNormDesc d;
            d.n = n, d.c = c;
            const std::vector<float> x = normal(rng, n * c, 3.f, 2.f), mean = normal(rng, c, 3.f, 0.1f);
            const std::vector<float> invstd = normal(rng, c, 0.5f, 0.1f), gamma = normal(rng, c, 1.f, 0.3f), beta = normal(rng, c);
            DeviceFloats dx(be, x), dmean(be, mean), dinv(be, invstd), dgamma(be, gamma), dbeta(be, beta);
            DeviceFloats dy(be, n * c), dxhat(be, n * c);
            be.batch_norm_apply(d, dx.ptr(), dmean.ptr(), dinv.ptr(), affine ? dgamma.ptr() : nullptr,
                                affine ? dbeta.ptr() : nullptr, dy.ptr(), save_xhat ? dxhat.ptr() : nullptr);
            const Vec gamma_d = widen(gamma), beta_d = widen(beta);
            Vec y, xhat;
            ref::batch_norm_apply(widen(x), n, c, widen(mean), widen(invstd), affine ? &gamma_d : nullptr,
                                  affine ? &beta_d : nullptr, y, xhat);
            Vec y_bound(y.size()), xhat_bound(y.size());
            for (int64_t r = 0; r < n; ++r)
                for (int64_t ch = 0; ch < c; ++ch) {
                    const size_t i = at(r * c + ch);
                    xhat_bound[i] = 4 * kEps * (std::fabs(x[i]) + std::fabs(mean[at(ch)])) * std::fabs(invstd[at(ch)]);
                    y_bound[i] = affine ? xhat_bound[i] * std::fabs(gamma[at(ch)]) + 4 * kEps * std::fabs(beta[at(ch)])
                                        : xhat_bound[i];
                }
            QString guard;
            const QString ctx = QString("trial %1: N=%2 C=%3 affine=%4 xhat=%5").arg(trial).arg(n).arg(c).arg(affine).arg(save_xhat);
            failures.add(ctx, compare("y", dy.read(&guard), y, y_bound));
            if (save_xhat) failures.add(ctx, compare("xhat", dxhat.read(&guard), xhat, xhat_bound));
            else failures.add(ctx, compare("xhat (not asked for)", dxhat.read(&guard), Vec(y.size(), kSentinel), Vec(y.size(), 0.0)));
            failures.add(ctx, guard);
        }
        NN_REPORT(failures);
    }

    void batch_norm_backward_data() { device_rows(); }
    // Batch-statistics and running-statistics modes, affine or not. Tolerance: the two channel
    // sums carry N·eps: dx (N+8)·eps·|γ·invstd|·(|g| + mean|g| + |x̂|·mean|g·x̂|); dγ and dβ
    // (accumulated into) (N+2)·eps·(Σ|g·x̂| + |dγ|), (N+2)·eps·(Σ|g| + |dβ|).
    void batch_norm_backward() {
        NN_BACKEND(Op::BatchNormBackward);
        Failures failures;
        Rng rng(52);
        for (int trial = 0; trial < 40; ++trial) {
            const int64_t n = pick(rng, {0, 1, 2, 3, 17, 33, 100}), c = pick(rng, {1, 3, 17});
            const bool affine = trial & 1, batch_stats = trial & 2;
            BatchNormDesc d;
            d.n = n, d.c = c;
            const std::vector<float> x = normal(rng, n * c, 3.f, 2.f), g = normal(rng, n * c);
            // x̂ and invstd as a batch-statistics forward leaves them
            Vec mean, var, y, xhat_d;
            ref::batch_norm_statistics(widen(x), n, c, mean, var);
            if (n == 0) var.assign(at(c), 1.0), mean.assign(at(c), 0.0);
            const std::vector<float> invstd = narrow(ref::batch_norm_invstd(var, d.eps));
            ref::batch_norm_apply(widen(x), n, c, mean, widen(invstd), nullptr, nullptr, y, xhat_d);
            const std::vector<float> xhat = narrow(xhat_d), gamma = normal(rng, c, 1.f, 0.3f);
            const std::vector<float> dgamma0 = normal(rng, c), dbeta0 = normal(rng, c);
            DeviceFloats dg(be, g), dxhat(be, xhat), dinv(be, invstd), dgamma(be, gamma), ddgamma(be, dgamma0),
                ddbeta(be, dbeta0), ddx(be, n * c);
            be.batch_norm_backward(d, dg.ptr(), dxhat.ptr(), dinv.ptr(), affine ? dgamma.ptr() : nullptr, batch_stats,
                                   affine ? ddgamma.ptr() : nullptr, affine ? ddbeta.ptr() : nullptr, ddx.ptr());
            const Vec gamma_d = widen(gamma);
            Vec dx, dgam = widen(dgamma0), dbet = widen(dbeta0);
            ref::batch_norm_backward(widen(g), widen(xhat), widen(invstd), affine ? &gamma_d : nullptr, n, c, batch_stats,
                                     dx, affine ? &dgam : nullptr, affine ? &dbet : nullptr);
            Vec dx_bound(dx.size()), dgam_bound(at(c)), dbet_bound(at(c));
            for (int64_t ch = 0; ch < c; ++ch) {
                double sum_g = 0, sum_gx = 0;
                for (int64_t r = 0; r < n; ++r) {
                    sum_g += std::fabs(g[at(r * c + ch)]);
                    sum_gx += std::fabs(double(g[at(r * c + ch)]) * xhat[at(r * c + ch)]);
                }
                dgam_bound[at(ch)] = static_cast<double>(n + 2) * kEps * (sum_gx + std::fabs(dgamma0[at(ch)]));
                dbet_bound[at(ch)] = static_cast<double>(n + 2) * kEps * (sum_g + std::fabs(dbeta0[at(ch)]));
                const double scale = std::fabs((affine ? gamma[at(ch)] : 1.0) * invstd[at(ch)]);
                for (int64_t r = 0; r < n; ++r) {
                    const size_t i = at(r * c + ch);
                    dx_bound[i] = batch_stats ? static_cast<double>(n + 8) * kEps * scale *
                                                    (std::fabs(g[i]) + sum_g / n + std::fabs(xhat[i]) * sum_gx / n)
                                              : 4 * kEps * scale * std::fabs(g[i]);
                }
            }
            QString guard;
            const QString ctx = QString("trial %1: N=%2 C=%3 affine=%4 batch_stats=%5").arg(trial).arg(n).arg(c).arg(affine).arg(batch_stats);
            failures.add(ctx, compare("dx", ddx.read(&guard), dx, dx_bound));
            // not affine: dγ and dβ are not passed, their buffers stay as they were
            failures.add(ctx, compare("dgamma", ddgamma.read(&guard), dgam, dgam_bound));
            failures.add(ctx, compare("dbeta", ddbeta.read(&guard), dbet, dbet_bound));
            failures.add(ctx, guard);
        }
        NN_REPORT(failures);
    }

    // ---- LayerNorm.

    void layer_norm_forward_data() { device_rows(); }
    // Statistics over `width` may be accumulated in float: their relative error, rel = (width+8)·
    // eps·mean(x²)/(var+eps), carries into invstd (rel·invstd), x̂ (rel·(|x| + |mean| + mean|x|)·
    // invstd) and y (|γ|·that + 4·eps·(|y|+|β|)).
    void layer_norm_forward() {
        NN_BACKEND(Op::LayerNorm);
        Failures failures;
        Rng rng(60);
        for (int trial = 0; trial < 40; ++trial) {
            const int64_t rows = pick(rng, kDims), width = pick(rng, {1, 2, 3, 17, 64, 300});
            const bool affine = trial & 1;
            const double eps = rng.below(2) ? 1e-5 : 1e-3;
            const std::vector<float> x = normal(rng, rows * width, 1.f, 2.f), gamma = normal(rng, width, 1.f, 0.3f),
                                     beta = normal(rng, width);
            DeviceFloats dx(be, x), dgamma(be, gamma), dbeta(be, beta), dy(be, rows * width), dxhat(be, rows * width),
                dinv(be, rows);
            be.layer_norm_forward(dx.ptr(), rows, width, eps, affine ? dgamma.ptr() : nullptr,
                                  affine ? dbeta.ptr() : nullptr, dy.ptr(), dxhat.ptr(), dinv.ptr());
            const Vec gamma_d = widen(gamma), beta_d = widen(beta);
            Vec y, xhat, invstd;
            ref::layer_norm_forward(widen(x), rows, width, eps, affine ? &gamma_d : nullptr, affine ? &beta_d : nullptr,
                                    y, xhat, invstd);
            Vec y_bound(y.size()), xhat_bound(y.size()), inv_bound(at(rows));
            for (int64_t r = 0; r < rows; ++r) {
                double mean = 0, sq = 0, abs_mean = 0;
                for (int64_t j = 0; j < width; ++j) {
                    mean += x[at(r * width + j)];
                    abs_mean += std::fabs(x[at(r * width + j)]);
                    sq += double(x[at(r * width + j)]) * x[at(r * width + j)];
                }
                mean /= width;
                abs_mean /= width;
                const double inv = invstd[at(r)];
                const double rel = static_cast<double>(width + 8) * kEps * (sq / width) * inv * inv + 4 * kEps;
                inv_bound[at(r)] = rel * inv;
                for (int64_t j = 0; j < width; ++j) {
                    const size_t i = at(r * width + j);
                    xhat_bound[i] = rel * (std::fabs(x[i]) + std::fabs(mean) + abs_mean) * inv;
                    y_bound[i] = (affine ? std::fabs(gamma[at(j)]) : 1.0) * xhat_bound[i] +
                                 4 * kEps * (std::fabs(y[i]) + (affine ? std::fabs(beta[at(j)]) : 0.0));
                }
            }
            QString guard;
            const QString ctx = QString("trial %1: rows=%2 width=%3 eps=%4 affine=%5").arg(trial).arg(rows).arg(width).arg(eps).arg(affine);
            failures.add(ctx, compare("y", dy.read(&guard), y, y_bound));
            failures.add(ctx, compare("xhat", dxhat.read(&guard), xhat, xhat_bound));
            failures.add(ctx, compare("invstd", dinv.read(&guard), invstd, inv_bound));
            failures.add(ctx, guard);
        }
        NN_REPORT(failures);
    }

    void layer_norm_backward_data() { device_rows(); }
    // From the forward's x̂ and invstd (the reference's, in float). Tolerance: the row sums carry
    // width·eps: dx (width+8)·eps·invstd·(|ĝ| + mean|ĝ| + |x̂|·mean|ĝ·x̂|); dγ, dβ (accumulated
    // into) (rows+2)·eps·(Σ|g·x̂| + |dγ|) and (rows+2)·eps·(Σ|g| + |dβ|).
    void layer_norm_backward() {
        NN_BACKEND(Op::LayerNormBackward);
        Failures failures;
        Rng rng(61);
        for (int trial = 0; trial < 40; ++trial) {
            const int64_t rows = pick(rng, kDims), width = pick(rng, {1, 2, 3, 17, 64, 300});
            const bool affine = trial & 1;
            const std::vector<float> x = normal(rng, rows * width, 1.f, 2.f), g = normal(rng, rows * width);
            const std::vector<float> gamma = normal(rng, width, 1.f, 0.3f), dgamma0 = normal(rng, width), dbeta0 = normal(rng, width);
            Vec y_d, xhat_d, inv_d;
            ref::layer_norm_forward(widen(x), rows, width, 1e-5, nullptr, nullptr, y_d, xhat_d, inv_d);
            const std::vector<float> xhat = narrow(xhat_d), invstd = narrow(inv_d);
            DeviceFloats dg(be, g), dxhat(be, xhat), dinv(be, invstd), dgamma(be, gamma), ddgamma(be, dgamma0),
                ddbeta(be, dbeta0), ddx(be, rows * width);
            be.layer_norm_backward(dg.ptr(), dxhat.ptr(), dinv.ptr(), rows, width, affine ? dgamma.ptr() : nullptr,
                                   affine ? ddgamma.ptr() : nullptr, affine ? ddbeta.ptr() : nullptr, ddx.ptr());
            const Vec gamma_d = widen(gamma);
            Vec dx, dgam = widen(dgamma0), dbet = widen(dbeta0);
            ref::layer_norm_backward(widen(g), widen(xhat), widen(invstd), rows, width, affine ? &gamma_d : nullptr, dx,
                                     affine ? &dgam : nullptr, affine ? &dbet : nullptr);
            Vec dx_bound(dx.size()), dgam_bound(at(width)), dbet_bound(at(width));
            for (int64_t j = 0; j < width; ++j) {
                double sum_gx = 0, sum_g = 0;
                for (int64_t r = 0; r < rows; ++r) {
                    sum_gx += std::fabs(double(g[at(r * width + j)]) * xhat[at(r * width + j)]);
                    sum_g += std::fabs(g[at(r * width + j)]);
                }
                dgam_bound[at(j)] = static_cast<double>(rows + 2) * kEps * (sum_gx + std::fabs(dgamma0[at(j)]));
                dbet_bound[at(j)] = static_cast<double>(rows + 2) * kEps * (sum_g + std::fabs(dbeta0[at(j)]));
            }
            for (int64_t r = 0; r < rows; ++r) {
                double mean_gh = 0, mean_ghx = 0;
                for (int64_t j = 0; j < width; ++j) {
                    const size_t i = at(r * width + j);
                    const double gh = std::fabs(g[i] * (affine ? gamma[at(j)] : 1.f));
                    mean_gh += gh / width;
                    mean_ghx += gh * std::fabs(xhat[i]) / width;
                }
                for (int64_t j = 0; j < width; ++j) {
                    const size_t i = at(r * width + j);
                    const double gh = std::fabs(g[i] * (affine ? gamma[at(j)] : 1.f));
                    dx_bound[i] = static_cast<double>(width + 8) * kEps * invstd[at(r)] *
                                  (gh + mean_gh + std::fabs(xhat[i]) * mean_ghx);
                }
            }
            QString guard;
            const QString ctx = QString("trial %1: rows=%2 width=%3 affine=%4").arg(trial).arg(rows).arg(width).arg(affine);
            failures.add(ctx, compare("dx", ddx.read(&guard), dx, dx_bound));
            failures.add(ctx, compare("dgamma", ddgamma.read(&guard), dgam, dgam_bound));
            failures.add(ctx, compare("dbeta", ddbeta.read(&guard), dbet, dbet_bound));
            failures.add(ctx, guard);
        }
        NN_REPORT(failures);
    }

    // ---- Dropout.

    void dropout_data() { device_rows(); }
    // The mask is bit-exact: the same elements kept as backend.h's splitmix64 rule, each kept one
    // scaled by 1/(1-p) (within an ulp: the backend may round the scale in float); y = x·mask
    // within two ulps.
    void dropout() {
        NN_BACKEND(Op::Dropout);
        Failures failures;
        Rng rng(70);
        for (float p : {0.f, 0.1f, 0.5f, 0.9f, 1.f}) {
            for (int64_t n : kCounts) {
                const uint64_t key = rng.next_u64();
                const std::vector<float> x = normal(rng, n);
                DeviceFloats dx(be, x), dy(be, n), dmask(be, n);
                be.dropout_forward(key, p, dx.ptr(), dy.ptr(), dmask.ptr(), n);
                const Vec mask = ref::dropout_mask(key, p, n);
                Vec y(at(n));
                for (int64_t i = 0; i < n; ++i) y[at(i)] = x[at(i)] * mask[at(i)];
                QString guard;
                const std::vector<float> got_mask = dmask.read(&guard), got_y = dy.read(&guard);
                const QString ctx = QString("p=%1 n=%2 key=%3").arg(p).arg(n).arg(key);
                int64_t flipped = 0, first = -1;
                for (int64_t i = 0; i < n; ++i)
                    if ((got_mask[at(i)] == 0.f) != (mask[at(i)] == 0.0) && flipped++ == 0) first = i;
                if (flipped)
                    failures.add(ctx, QString("mask keeps other elements than splitmix64's: %1 differ, first at %2").arg(flipped).arg(first));
                failures.add(ctx, compare("mask", got_mask, mask, scaled_abs(mask, kEps)));
                failures.add(ctx, compare("y", got_y, y, scaled_abs(y, 2 * kEps)));
                failures.add(ctx, guard);
            }
        }
        NN_REPORT(failures);
    }

    // ---- Losses: value (a double in device memory) and dL/dinput.

    void cross_entropy_loss_data() { device_rows(); }
    // Class weights, ignore_index (among the classes or -100), label smoothing, mean/sum, empty
    // batches (mean over nothing is NaN, as in PyTorch). Tolerance: the log-softmax terms carry
    // (C+8)·eps of their size and the batch sum B·eps: value (B+C+8)·eps·(Σ of |terms|)/denom;
    // grad (C+8)·eps·(|grad| + w_max·(1 + p)/denom) — exactly 0 on ignored rows.
    void cross_entropy_loss() {
        NN_BACKEND(Op::CrossEntropyLoss);
        Failures failures = class_loss_trials(be, true, 80);
        NN_REPORT(failures);
    }

    void nll_loss_data() { device_rows(); }
    // On log-probabilities. Tolerance: value (B+8)·eps·Σ w_t|x_t|/denom; grad one rounding of w/denom.
    void nll_loss() {
        NN_BACKEND(Op::NllLoss);
        Failures failures = class_loss_trials(be, false, 81);
        NN_REPORT(failures);
    }

    void mse_loss_data() { device_rows(); }
    // value (n+8)·eps·|value| (all terms are positive); grad 2(x-t)/D: 4 ulps.
    void mse_loss() {
        NN_BACKEND(Op::MseLoss);
        Failures failures = elementwise_loss_trials(be, 0, 82);
        NN_REPORT(failures);
    }

    void l1_loss_data() { device_rows(); }
    // value (n+8)·eps·|value|; grad sign(x-t)/D exactly up to one rounding, 0 where x = t.
    void l1_loss() {
        NN_BACKEND(Op::L1Loss);
        Failures failures = elementwise_loss_trials(be, 1, 83);
        NN_REPORT(failures);
    }

    void bce_with_logits_loss_data() { device_rows(); }
    // weight and pos_weight of (1) or (last_dim) or none. Tolerance: value (n+8)·eps·Σ w·(|(1-t)x|
    // + lw·log(1+e^-x))/D; grad 8·eps·w·((pw·t + 1 - t)·σ(x) + pw·t)/D.
    void bce_with_logits_loss() {
        NN_BACKEND(Op::BceWithLogitsLoss);
        Failures failures = elementwise_loss_trials(be, 2, 84);
        NN_REPORT(failures);
    }

    // ---- Reductions.

    void moments_data() { device_rows(); }
    // Σx and Σx² accumulated in double (backend.h): (n+2)·eps_double·Σ|x| and ·Σx².
    void moments() {
        NN_BACKEND(Op::Moments);
        Failures failures;
        Rng rng(90);
        for (int64_t n : {0, 1, 2, 3, 17, 33, 1000, 100003}) {
            const std::vector<float> x = normal(rng, n, 0.5f, 3.f);
            DeviceFloats dx(be, x);
            DeviceArray<double> dout(be, 2);
            be.moments(dx.ptr(), n, dout.ptr());
            double want[2];
            ref::moments(widen(x), want);
            double abs_sum = 0;
            for (float v : x) abs_sum += std::fabs(v);
            QString guard;
            const std::vector<double> got = dout.read(&guard);
            const QString ctx = QString("n=%1").arg(n);
            failures.add(ctx, guard);
            failures.add(ctx, compare_value("sum", got[0], want[0], (n + 2) * kEpsD * abs_sum));
            failures.add(ctx, compare_value("sum of squares", got[1], want[1], (n + 2) * kEpsD * want[1]));
        }
        NN_REPORT(failures);
    }

    // ---- Optimizer steps over several parameters at once.

    void sgd_step_data() { device_rows(); }
    // momentum/dampening/nesterov/weight decay/maximize, the first step (buffer = d_p). Tolerance:
    // a few float roundings of each term: buffer 4·eps·(momentum·|buf| + (1-dampening)·|d_p|),
    // parameter 2·eps·|p'| + 8·eps·lr·(size of the step).
    void sgd_step() {
        NN_BACKEND(Op::SgdStep);
        Failures failures;
        Rng rng(100);
        for (int trial = 0; trial < 40; ++trial) {
            SgdStepDesc d;
            d.lr = rng.below(2) ? 0.1 : 0.01;
            d.momentum = trial % 4 == 0 ? 0.0 : 0.9;
            d.dampening = trial % 3 == 0 ? 0.1 : 0.0;
            d.nesterov = d.momentum != 0 && d.dampening == 0 && rng.below(2);  // torch requires dampening 0
            d.weight_decay = rng.below(2) ? 0.0 : 0.01;
            d.maximize = rng.below(2);
            d.first_step = d.momentum != 0 && rng.below(3) == 0;
            const int64_t count = pick(rng, {0, 1, 4});
            std::vector<std::vector<float>> p0, g, buf0;
            std::vector<std::unique_ptr<DeviceFloats>> dp, dg, dbuf;
            std::vector<ParamSlot> param_slots;
            for (int64_t s = 0; s < count; ++s) {
                const int64_t n = pick(rng, {0, 1, 3, 17, 100});
                p0.push_back(normal(rng, n));
                g.push_back(normal(rng, n));
                buf0.push_back(normal(rng, n, 0.f, 0.5f));
                dp.push_back(std::make_unique<DeviceFloats>(be, p0.back()));
                dg.push_back(std::make_unique<DeviceFloats>(be, g.back()));
                dbuf.push_back(std::make_unique<DeviceFloats>(be, buf0.back()));
                ParamSlot slot;
                slot.value = dp.back()->ptr(), slot.grad = dg.back()->ptr(), slot.n = n;
                slot.state0 = d.momentum != 0 ? dbuf.back()->ptr() : nullptr;
                param_slots.push_back(slot);
            }
            be.sgd_step(d, param_slots.data(), count);
            const QString ctx = QString("trial %1: lr=%2 momentum=%3 dampening=%4 nesterov=%5 wd=%6 maximize=%7 first=%8 params=%9")
                                    .arg(trial).arg(d.lr).arg(d.momentum).arg(d.dampening).arg(d.nesterov)
                                    .arg(d.weight_decay).arg(d.maximize).arg(d.first_step).arg(count);
            for (int64_t s = 0; s < count; ++s) {
                Vec p = widen(p0[at(s)]), buf = widen(buf0[at(s)]);
                ref::sgd_step(d, p, widen(g[at(s)]), buf);
                Vec p_bound(p.size()), buf_bound(p.size());
                for (size_t i = 0; i < p.size(); ++i) {
                    const double dp_size = std::fabs(g[at(s)][i]) + d.weight_decay * std::fabs(p0[at(s)][i]);
                    const double buf_size = d.first_step ? dp_size
                                                          : d.momentum * std::fabs(buf0[at(s)][i]) + (1 - d.dampening) * dp_size;
                    const double step_size = d.momentum == 0 ? dp_size : d.nesterov ? dp_size + d.momentum * buf_size : buf_size;
                    buf_bound[i] = 4 * kEps * buf_size;
                    p_bound[i] = 2 * kEps * std::fabs(p[i]) + 8 * kEps * d.lr * step_size;
                }
                QString guard;
                const QString pctx = ctx + QString(" [param %1, n=%2]").arg(s).arg(p.size());
                failures.add(pctx, compare("param", dp[at(s)]->read(&guard), p, p_bound));
                // without momentum there is no buffer: its memory (not passed) stays as it was
                failures.add(pctx, compare("momentum_buffer", dbuf[at(s)]->read(&guard), d.momentum != 0 ? buf : widen(buf0[at(s)]),
                                           d.momentum != 0 ? buf_bound : Vec(p.size(), 0.0)));
                failures.add(pctx, guard);
            }
        }
        NN_REPORT(failures);
    }

    void adam_step_data() { device_rows(); }
    // Adam and AdamW (decoupled weight decay), AMSGrad, maximize, early and late steps. Tolerance:
    // exp_avg 4·eps·(β1|m| + (1-β1)|g'|), exp_avg_sq 4·eps·(β2·v + (1-β2)·g'²), the parameter
    // 4·eps·(|p'| + |p|) + 16·eps·(lr/bc1)·(size of m)/denom.
    void adam_step() {
        NN_BACKEND(Op::AdamStep);
        Failures failures;
        Rng rng(101);
        for (int trial = 0; trial < 48; ++trial) {
            AdamStepDesc d;
            d.lr = rng.below(2) ? 1e-3 : 0.05;
            d.beta1 = rng.below(2) ? 0.9 : 0.5;
            d.beta2 = rng.below(2) ? 0.999 : 0.9;
            d.eps = rng.below(2) ? 1e-8 : 1e-3;
            d.weight_decay = rng.below(2) ? 0.0 : 0.01;
            d.amsgrad = trial & 1;
            d.maximize = trial & 2;
            d.decoupled_weight_decay = trial & 4;
            d.step = pick(rng, {1, 2, 10, 1000});
            const int64_t count = pick(rng, {0, 1, 4});
            std::vector<std::vector<float>> p0, g, m0, v0, vmax0;
            std::vector<std::unique_ptr<DeviceFloats>> buffers;
            std::vector<ParamSlot> param_slots;
            for (int64_t s = 0; s < count; ++s) {
                const int64_t n = pick(rng, {0, 1, 3, 17, 100});
                p0.push_back(normal(rng, n));
                g.push_back(normal(rng, n));
                // a fresh state on step 1 (zeros), else a running one (v ≥ 0, vmax ≥ 0)
                m0.push_back(d.step == 1 ? std::vector<float>(at(n), 0.f) : normal(rng, n, 0.f, 0.3f));
                std::vector<float> v = normal(rng, n, 0.f, 0.3f), vmax = normal(rng, n, 0.f, 0.3f);
                for (auto& e : v) e = d.step == 1 ? 0.f : e * e;
                for (auto& e : vmax) e = d.step == 1 ? 0.f : e * e;
                v0.push_back(v);
                vmax0.push_back(vmax);
                ParamSlot slot;
                slot.n = n;
                buffers.push_back(std::make_unique<DeviceFloats>(be, p0.back()));
                slot.value = buffers.back()->ptr();
                buffers.push_back(std::make_unique<DeviceFloats>(be, g.back()));
                slot.grad = buffers.back()->ptr();
                buffers.push_back(std::make_unique<DeviceFloats>(be, m0.back()));
                slot.state0 = buffers.back()->ptr();
                buffers.push_back(std::make_unique<DeviceFloats>(be, v0.back()));
                slot.state1 = buffers.back()->ptr();
                buffers.push_back(std::make_unique<DeviceFloats>(be, vmax0.back()));
                slot.state2 = d.amsgrad ? buffers.back()->ptr() : nullptr;
                param_slots.push_back(slot);
            }
            be.adam_step(d, param_slots.data(), count);
            const QString ctx = QString("trial %1: lr=%2 betas=(%3, %4) eps=%5 wd=%6 amsgrad=%7 maximize=%8 adamw=%9 step=%10 params=%11")
                                    .arg(trial).arg(d.lr).arg(d.beta1).arg(d.beta2).arg(d.eps).arg(d.weight_decay)
                                    .arg(d.amsgrad).arg(d.maximize).arg(d.decoupled_weight_decay).arg(d.step).arg(count);
            const double bc1 = 1 - std::pow(d.beta1, static_cast<double>(d.step));
            const double bc2 = 1 - std::pow(d.beta2, static_cast<double>(d.step));
            for (int64_t s = 0; s < count; ++s) {
                Vec p = widen(p0[at(s)]), m = widen(m0[at(s)]), v = widen(v0[at(s)]), vmax = widen(vmax0[at(s)]);
                ref::adam_step(d, p, widen(g[at(s)]), m, v, vmax);
                const size_t n = p.size();
                Vec p_bound(n), m_bound(n), v_bound(n), vmax_bound(n, 0.0);
                for (size_t i = 0; i < n; ++i) {
                    const double p_old = std::fabs(p0[at(s)][i]);
                    const double g_size = std::fabs(g[at(s)][i]) + (d.decoupled_weight_decay ? 0.0 : d.weight_decay * p_old);
                    const double m_size = d.beta1 * std::fabs(m0[at(s)][i]) + (1 - d.beta1) * g_size;
                    const double v_size = d.beta2 * v0[at(s)][i] + (1 - d.beta2) * g_size * g_size;
                    m_bound[i] = 4 * kEps * m_size;
                    v_bound[i] = 4 * kEps * v_size;
                    if (d.amsgrad) vmax_bound[i] = v_bound[i];
                    const double denom = std::sqrt(d.amsgrad ? vmax[i] : v[i]) / std::sqrt(bc2) + d.eps;
                    p_bound[i] = 4 * kEps * (std::fabs(p[i]) + p_old) + 16 * kEps * (d.lr / bc1) * m_size / denom;
                }
                QString guard;
                const QString pctx = ctx + QString(" [param %1, n=%2]").arg(s).arg(n);
                failures.add(pctx, compare("param", buffers[at(5 * s)]->read(&guard), p, p_bound));
                failures.add(pctx, compare("exp_avg", buffers[at(5 * s + 2)]->read(&guard), m, m_bound));
                failures.add(pctx, compare("exp_avg_sq", buffers[at(5 * s + 3)]->read(&guard), v, v_bound));
                failures.add(pctx, compare("max_exp_avg_sq", buffers[at(5 * s + 4)]->read(&guard), vmax, vmax_bound));
                failures.add(pctx, guard);
            }
        }
        NN_REPORT(failures);
    }

private:
    // CrossEntropy (cross_entropy = true) or NLL trials; see their slots for the tolerances.
    Failures class_loss_trials(Backend& be, bool cross_entropy, uint64_t seed) {
        Failures failures;
        Rng rng(seed);
        for (int trial = 0; trial < 60; ++trial) {
            const int64_t batch = pick(rng, {0, 1, 3, 17, 33, 100}), classes = pick(rng, {1, 2, 3, 10, 33});
            const bool weighted = trial & 1;
            const LossReduction reduction = trial & 2 ? LossReduction::Sum : LossReduction::Mean;
            const int64_t ignore_index = trial & 4 ? static_cast<int64_t>(rng.below(classes)) : -100;
            const double smoothing = cross_entropy ? std::vector<double>{0.0, 0.1, 0.3}[rng.below(3)] : 0.0;
            std::vector<float> input = normal(rng, batch * classes, 0.f, 3.f), target(at(batch));
            for (auto& t : target) t = rng.below(5) == 0 ? static_cast<float>(ignore_index) : static_cast<float>(rng.below(classes));
            if (!cross_entropy) {  // NLL takes log-probabilities
                Vec logp;
                ref::softmax_forward(widen(input), batch, classes, 1, true, logp);
                input = narrow(logp);
            }
            std::vector<float> weight(at(classes));
            for (auto& w : weight) w = rng.uniform(0.2f, 2.f);
            DeviceFloats dinput(be, input), dtarget(be, target), dweight(be, weight), dgrad(be, batch * classes);
            DeviceArray<double> dvalue(be, 1);
            ClassLossDesc d;
            d.batch = batch, d.classes = classes, d.input = dinput.ptr(), d.target = dtarget.ptr();
            d.weight = weighted ? dweight.ptr() : nullptr;
            d.ignore_index = ignore_index, d.label_smoothing = smoothing, d.reduction = reduction;
            d.value = dvalue.ptr(), d.grad = dgrad.ptr();
            cross_entropy ? be.cross_entropy_loss(d) : be.nll_loss(d);

            const Vec weight_d = widen(weight);
            const Vec* w = weighted ? &weight_d : nullptr;
            const ref::LossResult want = cross_entropy
                ? ref::cross_entropy(widen(input), widen(target), batch, classes, w, ignore_index, smoothing, reduction)
                : ref::nll(widen(input), widen(target), batch, classes, w, ignore_index, reduction);
            // sizes of the summed terms, for the bounds
            Vec logp;
            if (cross_entropy) ref::softmax_forward(widen(input), batch, classes, 1, true, logp);
            else logp = widen(input);
            double terms = 0, total_weight = 0, w_max = 0;
            for (int64_t c = 0; c < classes; ++c) w_max = std::max(w_max, weighted ? weight_d[at(c)] : 1.0);
            for (int64_t b = 0; b < batch; ++b) {
                const auto t = static_cast<int64_t>(target[at(b)]);
                if (t == ignore_index) continue;
                const double wt = weighted ? weight_d[at(t)] : 1.0;
                total_weight += wt;
                terms += (1 - smoothing) * wt * std::fabs(logp[at(b * classes + t)]);
                for (int64_t c = 0; c < classes; ++c)
                    terms += smoothing / classes * (weighted ? weight_d[at(c)] : 1.0) * std::fabs(logp[at(b * classes + c)]);
            }
            const double denom = reduction == LossReduction::Mean ? total_weight : 1.0;
            const double value_bound = static_cast<double>(batch + classes + 8) * kEps * terms / denom;
            Vec grad_bound(want.grad.size(), 0.0);
            for (int64_t b = 0; b < batch; ++b) {
                if (static_cast<int64_t>(target[at(b)]) == ignore_index) continue;  // exactly 0
                for (int64_t c = 0; c < classes; ++c) {
                    const size_t i = at(b * classes + c);
                    grad_bound[i] = cross_entropy
                        ? static_cast<double>(classes + 8) * kEps * (std::fabs(want.grad[i]) + w_max * (1 + std::exp(logp[i])) / denom)
                        : 2 * kEps * std::fabs(want.grad[i]);
                }
            }
            QString guard;
            const std::vector<double> value = dvalue.read(&guard);
            const QString ctx = QString("trial %1: B=%2 C=%3 weight=%4 ignore_index=%5 smoothing=%6 reduction=%7")
                                    .arg(trial).arg(batch).arg(classes).arg(weighted).arg(ignore_index).arg(smoothing)
                                    .arg(reduction == LossReduction::Mean ? "mean" : "sum");
            failures.add(ctx, compare_value("value", value[0], want.value, value_bound));
            failures.add(ctx, compare("grad", dgrad.read(&guard), want.grad, grad_bound));
            failures.add(ctx, guard);
        }
        return failures;
    }

    // kind 0: MSELoss, 1: L1Loss, 2: BCEWithLogitsLoss; see their slots for the tolerances.
    Failures elementwise_loss_trials(Backend& be, int kind, uint64_t seed) {
        Failures failures;
        Rng rng(seed);
        for (int trial = 0; trial < 48; ++trial) {
            const int64_t last_dim = pick(rng, {1, 3, 17}), rows = pick(rng, {0, 1, 3, 33, 300});
            const int64_t n = rows * last_dim;
            const LossReduction reduction = trial & 1 ? LossReduction::Sum : LossReduction::Mean;
            const std::vector<float> input = normal(rng, n, 0.f, 3.f);
            std::vector<float> target = kind == 2 ? std::vector<float>(at(n)) : normal(rng, n, 0.f, 3.f);
            for (int64_t i = 0; i < n; ++i) {
                if (kind == 2) target[at(i)] = rng.below(3) == 0 ? static_cast<float>(rng.below(2)) : rng.uniform(0.f, 1.f);
                else if (rng.below(5) == 0) target[at(i)] = input[at(i)];  // x = t: L1's gradient is 0 there
            }
            const int64_t weight_size = kind == 2 ? pick(rng, {0, 1, last_dim}) : 0;
            const int64_t pos_weight_size = kind == 2 ? pick(rng, {0, 1, last_dim}) : 0;
            std::vector<float> weight(at(weight_size)), pos_weight(at(pos_weight_size));
            for (auto& w : weight) w = rng.uniform(0.2f, 2.f);
            for (auto& w : pos_weight) w = rng.uniform(0.2f, 4.f);
            DeviceFloats dinput(be, input), dtarget(be, target), dweight(be, weight), dpos(be, pos_weight), dgrad(be, n);
            DeviceArray<double> dvalue(be, 1);
            ElementwiseLossDesc d;
            d.n = n, d.last_dim = last_dim, d.input = dinput.ptr(), d.target = dtarget.ptr();
            d.weight = weight_size ? dweight.ptr() : nullptr, d.weight_size = weight_size;
            d.pos_weight = pos_weight_size ? dpos.ptr() : nullptr, d.pos_weight_size = pos_weight_size;
            d.reduction = reduction, d.value = dvalue.ptr(), d.grad = dgrad.ptr();
            const Vec x = widen(input), t = widen(target), w = widen(weight), pw = widen(pos_weight);
            ref::LossResult want;
            double value_size = 0;  // Σ|terms| / D
            Vec grad_bound(at(n));
            const double denom = reduction == LossReduction::Mean ? static_cast<double>(n) : 1.0;
            if (kind == 0) {
                be.mse_loss(d);
                want = ref::mse(x, t, reduction);
                value_size = std::fabs(want.value);
                grad_bound = scaled_abs(want.grad, 4 * kEps);
            } else if (kind == 1) {
                be.l1_loss(d);
                want = ref::l1(x, t, reduction);
                value_size = std::fabs(want.value);
                grad_bound = scaled_abs(want.grad, kEps);
            } else {
                be.bce_with_logits_loss(d);
                want = ref::bce_with_logits(x, t, last_dim, weight_size ? &w : nullptr, pos_weight_size ? &pw : nullptr,
                                            reduction);
                for (int64_t i = 0; i < n; ++i) {
                    auto bc = [&](const Vec& v) { return v.empty() ? 1.0 : v.size() == 1 ? v[0] : v[at(i % last_dim)]; };
                    const double xi = x[at(i)], ti = t[at(i)], wi = bc(w), pwi = bc(pw);
                    const double log1p_exp = std::max(-xi, 0.0) + std::log1p(std::exp(-std::fabs(xi)));
                    value_size += wi * (std::fabs((1 - ti) * xi) + ((pwi - 1) * ti + 1) * log1p_exp) / denom;
                    grad_bound[at(i)] = 8 * kEps * wi * ((pwi * ti + 1 - ti) / (1 + std::exp(-xi)) + pwi * ti) / denom;
                }
            }
            QString guard;
            const std::vector<double> value = dvalue.read(&guard);
            const QString ctx = QString("trial %1: n=%2 (rows=%3, last_dim=%4) reduction=%5 weight=%6 pos_weight=%7")
                                    .arg(trial).arg(n).arg(rows).arg(last_dim).arg(reduction == LossReduction::Mean ? "mean" : "sum")
                                    .arg(weight_size).arg(pos_weight_size);
            failures.add(ctx, compare_value("value", value[0], want.value, static_cast<double>(n + 8) * kEps * value_size));
            failures.add(ctx, compare("grad", dgrad.read(&guard), want.grad, grad_bound));
            failures.add(ctx, guard);
        }
        return failures;
    }
};

QTEST_GUILESS_MAIN(TestBackendOps)
#include "tst_backend_ops.moc"

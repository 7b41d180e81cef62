// The backend self-check (core/backend/self_check): it accepts a backend that computes what the CPU
// computes, and refuses one whose single operation is off, naming that operation. The broken
// backend is the CPU behind PerturbedBackend, so this runs without a GPU.
#include "backend/cpu/cpu_backend.h"
#include "backend/self_check.h"
#include "error.h"
#include "perturbed_backend.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;

Q_DECLARE_METATYPE(nnstudio::Op)

class TstSelfCheck : public QObject {
    Q_OBJECT

    CpuBackend m_cpu;

private slots:
    void accepts_an_exact_wrapper() {
        test::PerturbedBackend same(m_cpu, Op::Copy, 0.f);
        const std::vector<SelfCheckFailure> failures = run_self_check(same, m_cpu);
        QVERIFY2(failures.empty(), failures.empty() ? "" : (failures[0].op + ": " + failures[0].detail).c_str());
        require_self_check(same, m_cpu);  // does not throw
    }

    void accepts_an_error_below_the_tolerance() {
        test::PerturbedBackend close(m_cpu, Op::Gemm, 1e-6f);
        QVERIFY(run_self_check(close, m_cpu).empty());
    }

    void refuses_a_broken_op_data() {
        QTest::addColumn<Op>("op");
        for (const Op op : {Op::Gemm, Op::BiasGrad, Op::Activation, Op::ActivationBackward, Op::PReLU, Op::Softmax,
                            Op::SoftmaxBackward, Op::BatchNormStatistics, Op::BatchNormApply, Op::BatchNormBackward,
                            Op::LayerNorm, Op::LayerNormBackward, Op::Dropout, Op::Add, Op::Mul, Op::Fill,
                            Op::CrossEntropyLoss, Op::NllLoss, Op::MseLoss, Op::L1Loss, Op::BceWithLogitsLoss,
                            Op::Moments, Op::SgdStep, Op::AdamStep})
            QTest::newRow(op_name(op).c_str()) << op;
    }

    void refuses_a_broken_op() {
        QFETCH(Op, op);
        test::PerturbedBackend broken(m_cpu, op, 0.5f);
        const std::vector<SelfCheckFailure> failures = run_self_check(broken, m_cpu);
        QVERIFY2(!failures.empty(), "the self-check accepted a broken op");
        const std::string name = op_name(op);
        for (const SelfCheckFailure& f : failures)
            QVERIFY2(f.op.rfind(name, 0) == 0, ("a failure blamed " + f.op + " instead of " + name).c_str());
        NN_EXPECT_ERROR(DeviceError, require_self_check(broken, m_cpu), "failed its self-check",
                        QString::fromStdString(name), "not used");
    }
};

QTEST_GUILESS_MAIN(TstSelfCheck)
#include "tst_self_check.moc"

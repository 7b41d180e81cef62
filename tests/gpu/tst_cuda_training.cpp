// The CUDA backend in training: a step captured as a CUDA graph and replayed gives the same bits as
// the same steps run eagerly, and N training steps of each seed model on the GPU track the CPU run.
// Every test skips when the machine has no CUDA device (CI, the build machine).
#include "backend/registry.h"
#include "cuda_backend.h"
#include "cuda_provider.h"
#include "error.h"
#include "loss/loss.h"
#include "optim/optimizer.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "spec/model_spec.h"
#include "test_support.h"

#include <QtTest>
#include <cuda_runtime_api.h>

#include <cmath>
#include <memory>
#include <vector>

using namespace nnstudio;

namespace {

bool cuda_device_present(QString* why) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        *why = QString("no CUDA device (cudaGetDeviceCount: %1)").arg(cudaGetErrorName(status));
        return false;
    }
    if (count == 0) *why = "no CUDA device";
    return count > 0;
}

// A two-layer MLP's training step (Linear+ReLU, Linear, CrossEntropyLoss, Adam) written directly in
// backend operations, on buffers that stay put: what a CUDA graph captures.
class MlpStep {
public:
    static constexpr int64_t batch = 64, in = 32, hidden = 48, classes = 10;

    explicit MlpStep(Backend& b) : m_b(b) {
        Rng rng(7);
        x = upload(values(test::random_normal({batch, in}, rng)));
        y = upload(values(test::random_classes(batch, classes, rng)));
        w1 = upload(values(test::random_normal({hidden, in}, rng, 0.2f)));
        b1 = upload(values(test::random_normal({hidden}, rng, 0.1f)));
        w2 = upload(values(test::random_normal({classes, hidden}, rng, 0.2f)));
        b2 = upload(values(test::random_normal({classes}, rng, 0.1f)));
        for (float** p : {&h, &dh, &dh_pre, &logits, &dlogits, &dw1, &db1, &dw2, &db2}) *p = alloc(batch * hidden);
        for (int i = 0; i < 8; ++i) state[i] = zeros(size_of_state(i));
        loss = static_cast<double*>(m_b.allocate(sizeof(double)));
    }
    ~MlpStep() {
        for (auto& [p, bytes] : m_owned) m_b.deallocate(p, bytes);
        m_b.deallocate(loss, sizeof(double));
    }

    void run(int64_t step) {
        gemm(false, true, batch, hidden, in, x, in, w1, in, h, hidden, b1, Activation::ReLU);
        gemm(false, true, batch, classes, hidden, h, hidden, w2, hidden, logits, classes, b2, Activation::Identity);
        ClassLossDesc d;
        d.batch = batch;
        d.classes = classes;
        d.input = logits;
        d.target = y;
        d.value = loss;
        d.grad = dlogits;
        m_b.cross_entropy_loss(d);
        for (float* g : {dw1, db1, dw2, db2}) m_b.fill(g, hidden * in, 0.f);
        gemm(true, false, classes, hidden, batch, dlogits, classes, h, hidden, dw2, hidden, nullptr,
             Activation::Identity, 1.f);
        m_b.bias_grad(dlogits, batch, classes, db2);
        gemm(false, false, batch, hidden, classes, dlogits, classes, w2, hidden, dh, hidden, nullptr,
             Activation::Identity);
        m_b.activation_backward(Activation::ReLU, {}, nullptr, h, dh, dh_pre, batch * hidden);
        gemm(true, false, hidden, in, batch, dh_pre, hidden, x, in, dw1, in, nullptr, Activation::Identity, 1.f);
        m_b.bias_grad(dh_pre, batch, hidden, db1);
        const ParamSlot param_slots[] = {{w1, dw1, state[0], state[1], nullptr, hidden * in},
                                   {b1, db1, state[2], state[3], nullptr, hidden},
                                   {w2, dw2, state[4], state[5], nullptr, classes * hidden},
                                   {b2, db2, state[6], state[7], nullptr, classes}};
        AdamStepDesc a;
        a.lr = 1e-2;
        a.step = step;
        m_b.adam_step(a, param_slots, 4);
    }

    std::vector<float> read(const float* p, int64_t n) {
        std::vector<float> v(n);
        m_b.copy_to_host(v.data(), p, n * sizeof(float));
        return v;
    }
    double read_loss() {
        double v = 0;
        m_b.copy_to_host(&v, loss, sizeof v);
        return v;
    }

    float *x, *y, *w1, *b1, *w2, *b2, *h, *dh, *dh_pre, *logits, *dlogits, *dw1, *db1, *dw2, *db2;
    float* state[8];
    double* loss;

private:
    static int64_t size_of_state(int i) {
        const int64_t sizes[] = {hidden * in, hidden, classes * hidden, classes};
        return sizes[i / 2];
    }
    float* alloc(int64_t n) {
        auto* p = static_cast<float*>(m_b.allocate(n * sizeof(float)));
        m_owned.emplace_back(p, n * sizeof(float));
        return p;
    }
    static std::vector<float> values(const Tensor& t) { return {t.data(), t.data() + t.numel()}; }
    float* upload(const std::vector<float>& v) {
        float* p = alloc(static_cast<int64_t>(v.size()));
        m_b.copy_from_host(p, v.data(), v.size() * sizeof(float));
        return p;
    }
    float* zeros(int64_t n) {
        float* p = alloc(n);
        m_b.fill(p, n, 0.f);
        return p;
    }
    void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
              int64_t ldb, float* c, int64_t ldc, const float* bias, Activation act, float beta = 0.f) {
        GemmDesc g;
        g.trans_a = ta;
        g.trans_b = tb;
        g.m = m;
        g.n = n;
        g.k = k;
        g.a = a;
        g.lda = lda;
        g.b = b;
        g.ldb = ldb;
        g.c = c;
        g.ldc = ldc;
        g.beta = beta;
        g.bias = bias;
        g.activation = act;
        m_b.gemm(g);
    }

    Backend& m_b;
    std::vector<std::pair<void*, size_t>> m_owned;
};

// N Adam steps of a seed model (CrossEntropyLoss, batch 64, Dropout seeded) on `backend`: the loss
// of each step and the parameters at the end.
struct TrainingTrace {
    std::vector<double> losses;
    std::vector<std::vector<float>> params;
};

TrainingTrace train_seed_model(const QString& file, Backend& backend, int steps) {
    const spec::ModelSpec spec = spec::load_model_spec((test::source_dir() + "/resources/models/" + file).toStdString());
    nn::Model model = spec::build_model(spec);
    spec::initialize_model(model, 0);
    model.seed_dropout(5);
    model.to(backend);
    model.train();
    auto loss = loss::make_loss("CrossEntropyLoss", nlohmann::json::object());
    loss->set_backend(backend);
    auto optimizer = optim::make_optimizer("Adam", model.parameters(), {{"lr", 1e-3}});
    optimizer->set_backend(backend);
    Rng rng(3);
    TrainingTrace trace;
    for (int s = 0; s < steps; ++s) {
        const Tensor x = test::random_normal({64, 784}, rng), y = test::random_classes(64, 10, rng);
        model.zero_grad();
        const loss::LossResult r = loss->compute(model.forward(x), y);
        model.backward(r.grad);
        optimizer->step();
        trace.losses.push_back(r.value);
    }
    for (nn::Parameter* p : model.parameters()) trace.params.push_back(p->value.to_vector());
    return trace;
}

}  // namespace

class TstCudaTraining : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QString why;
        if (!cuda_device_present(&why)) QSKIP(qPrintable(why));
        gpu::register_cuda_provider();
    }

    void seed_model_training_tracks_cpu_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"shallow_mlp.json", "deep_mlp.json", "residual_network.json"}) QTest::newRow(f) << f;
    }

    // Ten steps on the GPU (which must first pass its self-check against the CPU) and on the CPU.
    // The losses agree to float rounding; parameters to 1e-3: Adam divides by sqrt(v), so a
    // rounding difference in a near-zero gradient can move a weight by up to lr per step.
    void seed_model_training_tracks_cpu() {
        QFETCH(QString, file);
        std::string refused;
        Backend& gpu = backend_or_cpu("cuda:0", refused);
        QVERIFY2(refused.empty(), refused.c_str());
        const int steps = 10;
        const TrainingTrace on_gpu = train_seed_model(file, gpu, steps);
        const TrainingTrace on_cpu = train_seed_model(file, cpu_backend(), steps);
        for (int s = 0; s < steps; ++s)
            QVERIFY2(std::fabs(on_gpu.losses[s] - on_cpu.losses[s]) <= 1e-4 * std::fabs(on_cpu.losses[s]) + 1e-5,
                     qPrintable(QString("step %1: loss %2 on the GPU, %3 on the CPU")
                                    .arg(s + 1)
                                    .arg(on_gpu.losses[s], 0, 'g', 9)
                                    .arg(on_cpu.losses[s], 0, 'g', 9)));
        QCOMPARE(on_gpu.params.size(), on_cpu.params.size());
        for (size_t p = 0; p < on_cpu.params.size(); ++p)
            for (size_t i = 0; i < on_cpu.params[p].size(); ++i)
                QVERIFY2(std::fabs(on_gpu.params[p][i] - on_cpu.params[p][i]) <= 1e-3 + 1e-3 * std::fabs(on_cpu.params[p][i]),
                         qPrintable(QString("parameter %1 element %2: %3 on the GPU, %4 on the CPU")
                                        .arg(p)
                                        .arg(i)
                                        .arg(on_gpu.params[p][i])
                                        .arg(on_cpu.params[p][i])));
    }

    // Steps 1..3 eagerly on one backend; on another, step 1 eagerly, step 2 captured, then two
    // replays (steps 2 and 3). Same kernels, same order, deterministic reductions: equal bits,
    // including Adam's step count that the replays advance on the device.
    void graph_replay_equals_eager_steps() {
        gpu::CudaBackend eager_backend(0), graph_backend(0);
        MlpStep eager(eager_backend), graphed(graph_backend);
        for (int64_t s = 1; s <= 3; ++s) eager.run(s);
        graphed.run(1);
        graph_backend.begin_capture();
        graphed.run(2);
        graph_backend.end_capture();
        QVERIFY(graph_backend.has_graph());
        graph_backend.replay();
        graph_backend.replay();
        QCOMPARE(graphed.read_loss(), eager.read_loss());
        const int64_t n1 = MlpStep::hidden * MlpStep::in, n2 = MlpStep::classes * MlpStep::hidden;
        QVERIFY(graphed.read(graphed.w1, n1) == eager.read(eager.w1, n1));
        QVERIFY(graphed.read(graphed.w2, n2) == eager.read(eager.w2, n2));
        QVERIFY(graphed.read(graphed.state[1], n1) == eager.read(eager.state[1], n1));
    }

    void capture_refuses_host_reads() {
        gpu::CudaBackend b(0);
        MlpStep step(b);
        step.run(1);
        b.begin_capture();
        NN_EXPECT_ERROR(DeviceError, step.read_loss(), "copy_to_host", "captured");
        b.end_capture();
    }

    void capture_needs_a_warm_up_step() {
        gpu::CudaBackend b(0);
        MlpStep step(b);
        b.begin_capture();
        NN_EXPECT_ERROR(DeviceError, step.run(1), "eager");
        QVERIFY_THROWS_EXCEPTION(DeviceError, b.end_capture());
        QVERIFY(!b.has_graph());
    }
};

QTEST_GUILESS_MAIN(TstCudaTraining)
#include "tst_cuda_training.moc"

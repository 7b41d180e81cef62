// Optimizers and lr schedulers against real torch.optim: parameters and lr after each of 5 steps
// for every SGD/Adam/AdamW configuration with no scheduler, StepLR and CosineAnnealingLR; plus
// exact resume through state()/load_state() and the factories' error messages (no PyTorch needed).
#include "error.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "test_support.h"
#include "util/random.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

using namespace nnstudio;
using nlohmann::json;

namespace {

struct Config {
    std::string label, optimizer;
    json options;
    std::string scheduler;  // "" = none
    json scheduler_options;
};

std::vector<Config> configs() {
    const std::vector<std::pair<std::string, json>> optimizers = {
        {"SGD", {{"lr", 0.1}}},
        {"SGD", {{"lr", 0.1}, {"momentum", 0.9}}},
        {"SGD", {{"lr", 0.1}, {"momentum", 0.9}, {"dampening", 0.3}}},
        {"SGD", {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}}},
        {"SGD", {{"lr", 0.1}, {"weight_decay", 0.05}}},
        {"SGD", {{"lr", 0.05}, {"momentum", 0.8}, {"dampening", 0.1}, {"weight_decay", 0.02}, {"maximize", true}}},
        {"Adam", {{"lr", 0.01}}},
        {"Adam", {{"lr", 0.01}, {"weight_decay", 0.1}}},
        {"Adam", {{"lr", 0.01}, {"amsgrad", true}, {"betas", {0.8, 0.99}}}},
        {"Adam", {{"lr", 0.02}, {"eps", 1e-3}, {"maximize", true}}},
        {"AdamW", {{"lr", 0.01}}},  // default weight_decay 0.01
        {"AdamW", {{"lr", 0.01}, {"weight_decay", 0.1}, {"amsgrad", true}}},
    };
    const std::vector<std::pair<std::string, json>> schedulers = {
        {"", json::object()},
        {"StepLR", {{"step_size", 2}, {"gamma", 0.5}}},
        // T_max 3 within 5 steps: epoch 4 takes torch's "(e - 1 - T) % 2T == 0" branch.
        {"CosineAnnealingLR", {{"T_max", 3}, {"eta_min", 0.001}}},
    };
    std::vector<Config> out;
    for (const auto& [name, options] : optimizers)
        for (const auto& [sched, sched_options] : schedulers)
            out.push_back({name + " " + options.dump() + (sched.empty() ? "" : " + " + sched + " " + sched_options.dump()),
                           name, options, sched, sched_options});
    return out;
}

// Fixed initial parameters and 5 gradient steps; parameter 2 has no gradient at step 1 (skipped,
// like .grad None in PyTorch) and one gradient element is exactly 0.
struct Problem {
    std::vector<nn::Parameter> init;
    std::vector<std::vector<Tensor>> grads;  // [step][param]
};

Problem problem() {
    Rng rng(77);
    Problem p;
    const std::vector<std::pair<std::string, Shape>> shapes = {
        {"weight", {3, 4}}, {"bias", {3}}, {"other", {2, 2}}, {"scale", {1}}};
    for (const auto& [name, shape] : shapes) {
        nn::Parameter prm{name, Tensor(shape), Tensor()};
        for (int64_t i = 0; i < prm.value.numel(); ++i) prm.value[i] = rng.normal(0.0f, 1.0f);
        p.init.push_back(prm);
    }
    for (int s = 0; s < 5; ++s) {
        std::vector<Tensor> step;
        for (size_t k = 0; k < p.init.size(); ++k) {
            Tensor g(p.init[k].value.shape());
            for (int64_t i = 0; i < g.numel(); ++i) g[i] = rng.normal(0.0f, 0.5f);
            if (s == 1 && k == 2) g = Tensor();
            if (k == 0) g[3] = 0.0f;
            step.push_back(g);
        }
        p.grads.push_back(step);
    }
    return p;
}

// Our side: parameters, optimizer and optional scheduler, stepped like a training loop.
class Run {
public:
    Run(const Config& c, const std::vector<nn::Parameter>& init) : m_params(init) {
        std::vector<nn::Parameter*> ptrs;
        for (auto& p : m_params) ptrs.push_back(&p);
        opt = optim::make_optimizer(c.optimizer, ptrs, c.options);
        if (!c.scheduler.empty()) sched = optim::make_scheduler(c.scheduler, *opt, c.scheduler_options);
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    void step(const std::vector<Tensor>& grads) {
        for (size_t i = 0; i < m_params.size(); ++i) m_params[i].grad = grads[i];
        opt->step();
        if (sched) sched->step();
    }
    const std::vector<nn::Parameter>& params() const { return m_params; }

    std::unique_ptr<optim::Optimizer> opt;
    std::unique_ptr<optim::LrScheduler> sched;

private:
    std::vector<nn::Parameter> m_params;
};

json tensor_json(const Tensor& t) { return t.empty() ? json(nullptr) : json(t.to_vector()); }


}  // namespace

class TestOptimParity : public QObject {
    Q_OBJECT

private slots:
    void matches_pytorch() {
        if (!test::torch_available()) QSKIP("PyTorch not importable by " NNSTUDIO_PYTHON);
        const std::vector<Config> cs = configs();
        const Problem pb = problem();
        json req;
        for (const Config& c : cs)
            req["configs"].push_back({{"optimizer", c.optimizer}, {"options", c.options},
                                      {"scheduler", c.scheduler.empty() ? json(nullptr) : json(c.scheduler)},
                                      {"scheduler_options", c.scheduler_options}});
        for (const auto& p : pb.init) req["params"].push_back({{"shape", p.value.shape()}, {"values", p.value.to_vector()}});
        for (const auto& step : pb.grads) {
            json s = json::array();
            for (const Tensor& g : step) s.push_back(tensor_json(g));
            req["grads"].push_back(s);
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("optim_cases.json");
        std::ofstream(path.toStdString()) << req.dump();
        QString out, err;
        QVERIFY2(test::run_python(test::source_dir() + "/tests/parity/py/optim_parity.py", {path}, &out, &err),
                 qPrintable(err));
        const json reply = json::parse(out.toStdString());
        QCOMPARE(reply.size(), cs.size());

        double worst_param = 0, worst_lr_rel = 0;
        for (size_t k = 0; k < cs.size(); ++k) {
            Run run(cs[k], pb.init);
            for (int s = 0; s < 5; ++s) {
                run.step(pb.grads[size_t(s)]);
                const std::string where = cs[k].label + " step " + std::to_string(s + 1);
                const double lr_torch = reply[k]["lrs"][size_t(s)].get<double>();
                const double lr_rel = std::fabs(run.opt->lr() - lr_torch) / lr_torch;
                worst_lr_rel = std::max(worst_lr_rel, lr_rel);
                QVERIFY2(lr_rel <= 1e-12, qPrintable(QString::fromStdString(where) +
                                                     QString(": lr %1 vs PyTorch %2").arg(run.opt->lr(), 0, 'g', 17)
                                                         .arg(lr_torch, 0, 'g', 17)));
                for (size_t i = 0; i < pb.init.size(); ++i) {
                    const Tensor& mine = run.params()[i].value;
                    const Tensor theirs = Tensor::from_data(
                        mine.shape(), reply[k]["params"][size_t(s)][i].get<std::vector<float>>());
                    for (int64_t e = 0; e < mine.numel(); ++e)
                        worst_param = std::max(worst_param, double(std::fabs(mine[e] - theirs[e])));
                    NN_COMPARE_TENSORS(mine, theirs, where + " param " + std::to_string(i));
                }
            }
        }
        qInfo("%zu configs x 5 steps; worst |param - PyTorch| = %.3g, worst relative lr error = %.3g", cs.size(),
              worst_param, worst_lr_rel);
    }

    // 3 steps, save, fresh optimizer + scheduler, load, 2 steps == 5 uninterrupted steps, bit for bit.
    void resume_is_exact() {
        const Problem pb = problem();
        for (const Config& c : configs()) {
            Run full(c, pb.init);
            for (int s = 0; s < 5; ++s) full.step(pb.grads[size_t(s)]);

            Run first(c, pb.init);
            for (int s = 0; s < 3; ++s) first.step(pb.grads[size_t(s)]);
            const StateDict opt_state = first.opt->state();
            const StateDict sched_state = first.sched ? first.sched->state() : StateDict();

            Run resumed(c, first.params());
            resumed.opt->load_state(opt_state);
            if (resumed.sched) resumed.sched->load_state(sched_state);
            for (int s = 3; s < 5; ++s) resumed.step(pb.grads[size_t(s)]);

            for (size_t i = 0; i < pb.init.size(); ++i)
                QVERIFY2(resumed.params()[i].value.to_vector() == full.params()[i].value.to_vector(),
                         qPrintable(QString::fromStdString(c.label) + QString(": param %1 differs after resume").arg(i)));
            QVERIFY2(resumed.opt->lr() == full.opt->lr(), c.label.c_str());
            if (full.sched) QCOMPARE(resumed.sched->last_epoch(), full.sched->last_epoch());
        }
    }

    void state_layout() {
        const Problem pb = problem();
        Run run({"", "Adam", {{"lr", 0.01}, {"amsgrad", true}}, "", {}}, pb.init);
        const StateDict empty = run.opt->state();
        QVERIFY(empty.contains("param_groups.0.lr") && empty.contains("param_groups.0.betas"));
        QVERIFY(!empty.contains("state.0.exp_avg"));  // lazily created, as in PyTorch
        run.step(pb.grads[0]);
        const StateDict d = run.opt->state();
        QCOMPARE(d.at("state.0.exp_avg").shape, (Shape{3, 4}));
        QCOMPARE(d.at("state.3.max_exp_avg_sq").shape, (Shape{1}));
        QCOMPARE(d.at("state.1.step").element(0), 1.0);
        QCOMPARE(d.at("param_groups.0.params").numel(), int64_t(4));
    }

    void load_state_mismatch() {
        const Problem pb = problem();
        Run sgd({"", "SGD", {{"lr", 0.1}, {"momentum", 0.9}}, "StepLR", {{"step_size", 2}}}, pb.init);
        sgd.step(pb.grads[0]);
        Run adam({"", "Adam", json::object(), "CosineAnnealingLR", {{"T_max", 4}}}, pb.init);
        const double lr_before = adam.opt->lr();
        QString e = test::error_of<StateDictMismatch>([&] { adam.opt->load_state(sgd.opt->state()); });
        QVERIFY2(e.contains("Adam") && e.contains("different optimizer type"), qPrintable(e));
        QCOMPARE(adam.opt->lr(), lr_before);  // nothing changed
        e = test::error_of<StateDictMismatch>([&] { adam.sched->load_state(sgd.sched->state()); });
        QVERIFY2(e.contains("CosineAnnealingLR") && e.contains("step_size"), qPrintable(e));

        std::vector<nn::Parameter> fewer(pb.init.begin(), pb.init.begin() + 2);
        std::vector<nn::Parameter*> ptrs = {&fewer[0], &fewer[1]};
        auto small = optim::make_optimizer("SGD", ptrs, {{"lr", 0.1}, {"momentum", 0.9}});
        e = test::error_of<StateDictMismatch>([&] { small->load_state(sgd.opt->state()); });
        QVERIFY2(e.contains("has 2 parameters") && e.contains("model changed"), qPrintable(e));

        std::vector<nn::Parameter> reshaped = pb.init;
        reshaped[0].value = Tensor({4, 3});
        std::vector<nn::Parameter*> rptrs;
        for (auto& p : reshaped) rptrs.push_back(&p);
        auto other = optim::make_optimizer("SGD", rptrs, {{"lr", 0.1}, {"momentum", 0.9}});
        e = test::error_of<StateDictMismatch>([&] { other->load_state(sgd.opt->state()); });
        QVERIFY2(e.contains("state.0.momentum_buffer") && e.contains("(3, 4)") && e.contains("(4, 3)"), qPrintable(e));
    }

    void grad_shape_error() {
        nn::Parameter p{"weight", Tensor({2, 3}), Tensor({3, 2})};
        auto opt = optim::make_optimizer("SGD", {&p}, {{"lr", 0.1}});
        const QString e = test::error_of<ShapeError>([&] { opt->step(); });
        QVERIFY2(e.contains("weight") && e.contains("(3, 2)") && e.contains("(2, 3)"), qPrintable(e));
        p.grad = Tensor({2, 3}, 1.0f);
        opt->zero_grad();
        QCOMPARE(p.grad.to_vector(), std::vector<float>(6, 0.0f));
    }

    void factory_errors() {
        nn::Parameter p{"w", Tensor({2}), Tensor({2})};
        const std::vector<nn::Parameter*> ps = {&p};
        QString e = test::error_of<SpecError>([&] { optim::make_optimizer("RMSprop", ps, nullptr, "training.optimizer"); });
        QVERIFY2(e.startsWith("training.optimizer:") && e.contains("SGD, Adam, AdamW"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("SGD", ps, json::object(), "training.optimizer"); });
        QVERIFY2(e.startsWith("training.optimizer.options.lr:") && e.contains("needs a learning rate"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("SGD", ps, {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}, {"dampening", 0.1}}, "o"); });
        QVERIFY2(e.startsWith("o.options.nesterov:") && e.contains("dampening = 0"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("SGD", ps, {{"lr", 0.1}, {"momentun", 0.9}}, "o"); });
        QVERIFY2(e.startsWith("o.options.momentun:") && e.contains("lr, momentum, dampening, weight_decay, nesterov, maximize"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("Adam", ps, {{"betas", {0.9, 1.0}}}, "o"); });
        QVERIFY2(e.startsWith("o.options.betas:") && e.contains("[0, 1)"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("Adam", ps, {{"betas", {0.9}}}, "o"); });
        QVERIFY2(e.startsWith("o.options.betas:") && e.contains("two numbers"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("AdamW", ps, {{"lr", -1}}, "o"); });
        QVERIFY2(e.startsWith("o.options.lr:") && e.contains(">= 0"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_optimizer("Adam", ps, {{"amsgrad", "yes"}}, "o"); });
        QVERIFY2(e.startsWith("o.options.amsgrad:") && e.contains("true or false"), qPrintable(e));
        auto opt = optim::make_optimizer("AdamW", ps, nullptr);
        QCOMPARE(opt->lr(), 1e-3);
        QCOMPARE(opt->state().at("param_groups.0.weight_decay").element(0), 0.01);

        e = test::error_of<SpecError>([&] { optim::make_scheduler("OneCycleLR", *opt, nullptr, "training.scheduler"); });
        QVERIFY2(e.startsWith("training.scheduler:") && e.contains("StepLR, CosineAnnealingLR"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_scheduler("StepLR", *opt, {{"gamma", 0.5}}, "s"); });
        QVERIFY2(e.startsWith("s.options.step_size:") && e.contains("epochs"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_scheduler("StepLR", *opt, {{"step_size", 0}}, "s"); });
        QVERIFY2(e.startsWith("s.options.step_size:") && e.contains(">= 1"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_scheduler("CosineAnnealingLR", *opt, {{"T_max", 2.5}}, "s"); });
        QVERIFY2(e.startsWith("s.options.T_max:") && e.contains("whole number"), qPrintable(e));
        e = test::error_of<SpecError>([&] { optim::make_scheduler("CosineAnnealingLR", *opt, {{"T_max", 5}, {"eta_max", 1}}, "s"); });
        QVERIFY2(e.startsWith("s.options.eta_max:") && e.contains("T_max, eta_min"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestOptimParity)
#include "tst_optim_parity.moc"

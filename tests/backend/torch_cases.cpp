// The reference's outputs for tests/backend/reference_vs_torch.py (see torch_cases.h).
#include "torch_cases.h"

#include "activation_cases.h"

namespace nnstudio::test::ops {

nlohmann::json reference_cases_for_torch() {
    using nlohmann::json;
    Rng rng(7);
    auto draw = [&](int64_t n, double scale = 1.0) {
        Vec v(at(n));
        for (auto& e : v) e = rng.normal() * scale;
        return v;
    };
    json cases;
    Vec x = draw(40, 3.0);
    for (double special : {0.0, -0.5, 2.0, 1.0, -1.0, 0.5, 20.0, -30.0, 30.0, 1e-4}) x.push_back(special);
    const Vec g = draw(static_cast<int64_t>(x.size()));
    for (const ActivationCase& c : activation_cases()) {
        Vec y(x.size()), dx(x.size());
        for (size_t i = 0; i < x.size(); ++i) {
            y[i] = ref::activation(c.a, c.p, x[i]);
            dx[i] = ref::activation_grad(c.a, c.p, x[i], y[i], g[i]);
        }
        cases["activations"].push_back({{"name", activation_name(c.a)},
                                        {"params", {{"alpha", c.p.alpha}, {"approximate_tanh", c.p.approximate_tanh},
                                                    {"beta", c.p.beta}, {"threshold", c.p.threshold},
                                                    {"min_val", c.p.min_val}, {"max_val", c.p.max_val}}},
                                        {"x", x}, {"g", g}, {"y", y}, {"dx", dx}});
    }

    const int64_t batch = 6, classes = 4;
    const Vec logits = draw(batch * classes, 2.0), target = {0, 1, 3, 1, 2, 1};
    Vec weight(at(classes));
    for (auto& w : weight) w = 0.2 + rng.uniform01() * 2;
    Vec logp;
    ref::softmax_forward(logits, batch, classes, 1, true, logp);
    for (int mask = 0; mask < 16; ++mask) {
        const bool cross_entropy = mask & 1, weighted = mask & 2;
        const LossReduction r = mask & 4 ? LossReduction::Sum : LossReduction::Mean;
        const int64_t ignore_index = mask & 8 ? 1 : -100;
        const double smoothing = cross_entropy ? 0.2 : 0.0;
        const ref::LossResult res =
            cross_entropy ? ref::cross_entropy(logits, target, batch, classes, weighted ? &weight : nullptr, ignore_index, smoothing, r)
                          : ref::nll(logp, target, batch, classes, weighted ? &weight : nullptr, ignore_index, r);
        cases["class_losses"].push_back({{"kind", cross_entropy ? "cross_entropy" : "nll"}, {"batch", batch},
                                         {"classes", classes}, {"input", cross_entropy ? logits : logp},
                                         {"target", target}, {"weight", weighted ? weight : Vec{}},
                                         {"ignore_index", ignore_index}, {"label_smoothing", smoothing},
                                         {"reduction", r == LossReduction::Mean ? "mean" : "sum"},
                                         {"value", res.value}, {"grad", res.grad}});
    }

    Vec probs(at(batch * classes)), close = draw(batch * classes, 3.0);
    for (auto& p : probs) p = rng.uniform01();
    probs[0] = 1.0, probs[1] = 0.0;
    close[2] = logits[2];  // x = t: L1's gradient 0
    const Vec pos_weight = {0.5, 3.0, 1.0, 2.0}, one_weight = {1.7};
    for (int mask = 0; mask < 24; ++mask) {
        const int kind = mask % 3, weights = (mask / 3) % 4;  // mse, l1, bce; BCE's weight/pos_weight pairs
        const LossReduction r = mask >= 12 ? LossReduction::Sum : LossReduction::Mean;
        const Vec* w = kind != 2 || weights == 0 ? nullptr : weights == 1 ? &one_weight : &weight;
        const Vec* pw = kind != 2 || weights == 2 ? nullptr : weights == 3 ? &one_weight : &pos_weight;
        const Vec& t = kind == 2 ? probs : close;
        const ref::LossResult res = kind == 0 ? ref::mse(logits, t, r)
                                    : kind == 1 ? ref::l1(logits, t, r)
                                                : ref::bce_with_logits(logits, t, classes, w, pw, r);
        cases["elementwise_losses"].push_back({{"kind", kind == 0 ? "mse" : kind == 1 ? "l1" : "bce"},
                                               {"last_dim", classes}, {"input", logits}, {"target", t},
                                               {"weight", w ? *w : Vec{}}, {"pos_weight", pw ? *pw : Vec{}},
                                               {"reduction", r == LossReduction::Mean ? "mean" : "sum"},
                                               {"value", res.value}, {"grad", res.grad}});
    }

    for (bool log : {false, true}) {
        const int64_t outer = 2, n = 5, inner = 3;
        const Vec sx = draw(outer * n * inner, 3.0), sg = draw(outer * n * inner);
        Vec y, dx;
        ref::softmax_forward(sx, outer, n, inner, log, y);
        ref::softmax_backward(y, sg, outer, n, inner, log, dx);
        cases["softmax"].push_back({{"log", log}, {"outer", outer}, {"n", n}, {"inner", inner}, {"x", sx}, {"g", sg},
                                    {"y", y}, {"dx", dx}});
    }

    for (int64_t wsize : {1, 3}) {
        const int64_t outer = 4, channels = 3, inner = 2;
        Vec px = draw(outer * channels * inner), pg = draw(outer * channels * inner), w = draw(wsize, 0.5), y, dx;
        px[0] = 0.0;
        Vec dw(at(wsize), 0.0);
        ref::prelu_forward(px, w, outer, channels, inner, y);
        ref::prelu_backward(px, w, pg, outer, channels, inner, dx, dw);
        cases["prelu"].push_back({{"outer", outer}, {"channels", channels}, {"inner", inner}, {"weight", w}, {"x", px},
                                  {"g", pg}, {"y", y}, {"dx", dx}, {"dweight", dw}});
    }

    {
        const int64_t rows = 5, width = 7;
        const Vec lx = draw(rows * width, 2.0), lg = draw(rows * width), gamma = draw(width), beta = draw(width);
        Vec y, xhat, invstd, dx, dgamma(at(width), 0.0), dbeta(at(width), 0.0);
        ref::layer_norm_forward(lx, rows, width, 1e-5, &gamma, &beta, y, xhat, invstd);
        ref::layer_norm_backward(lg, xhat, invstd, rows, width, &gamma, dx, &dgamma, &dbeta);
        cases["layer_norm"].push_back({{"rows", rows}, {"width", width}, {"eps", 1e-5}, {"x", lx}, {"g", lg},
                                       {"gamma", gamma}, {"beta", beta}, {"y", y}, {"dx", dx}, {"dgamma", dgamma},
                                       {"dbeta", dbeta}});
    }

    for (bool batch_stats : {true, false}) {
        const int64_t n = 6, c = 3;
        const double eps = 1e-3, momentum = 0.3;
        Vec bx = draw(n * c, 2.0), bg = draw(n * c), gamma = draw(c), beta = draw(c), rm0 = draw(c), rv0(at(c));
        for (auto& v : rv0) v = 0.5 + rng.uniform01();
        Vec mean = rm0, var = rv0, rm = rm0, rv = rv0;
        if (batch_stats) {
            ref::batch_norm_statistics(bx, n, c, mean, var);
            ref::batch_norm_update_running(mean, var, n, momentum, rm, rv);
        }
        const Vec invstd = ref::batch_norm_invstd(var, eps);
        Vec y, xhat, dx, dgamma(at(c), 0.0), dbeta(at(c), 0.0);
        ref::batch_norm_apply(bx, n, c, mean, invstd, &gamma, &beta, y, xhat);
        ref::batch_norm_backward(bg, xhat, invstd, &gamma, n, c, batch_stats, dx, &dgamma, &dbeta);
        cases["batch_norm"].push_back({{"n", n}, {"c", c}, {"eps", eps}, {"momentum", momentum},
                                       {"batch_stats", batch_stats}, {"x", bx}, {"g", bg}, {"gamma", gamma},
                                       {"beta", beta}, {"running_mean0", rm0}, {"running_var0", rv0}, {"y", y},
                                       {"dx", dx}, {"dgamma", dgamma}, {"dbeta", dbeta}, {"running_mean", rm},
                                       {"running_var", rv}});
    }

    // Three steps each (the first one sets SGD's buffer, Adam's bias corrections move), the
    // second with a gradient of the other sign.
    const Vec param0 = draw(9);
    const std::vector<Vec> grads = {draw(9), draw(9), draw(9)};
    for (int mask = 0; mask < 8; ++mask) {
        SgdStepDesc d;
        d.lr = 0.1, d.momentum = mask & 1 ? 0.9 : 0.0, d.dampening = mask & 2 ? 0.3 : 0.0;
        d.nesterov = (mask & 1) && !(mask & 2) && (mask & 4), d.weight_decay = mask & 4 ? 0.05 : 0.0;
        d.maximize = mask == 6 || mask == 3;
        Vec p = param0, buf(p.size(), 0.0);
        for (size_t s = 0; s < grads.size(); ++s) {
            d.first_step = s == 0;
            ref::sgd_step(d, p, grads[s], buf);
        }
        cases["optimizers"].push_back({{"kind", "sgd"}, {"param0", param0}, {"grads", grads}, {"param", p},
                                       {"options", {{"lr", d.lr}, {"momentum", d.momentum}, {"dampening", d.dampening},
                                                    {"weight_decay", d.weight_decay}, {"nesterov", d.nesterov},
                                                    {"maximize", d.maximize}}}});
    }
    for (int mask = 0; mask < 16; ++mask) {
        AdamStepDesc d;
        d.lr = 0.01, d.beta1 = mask & 8 ? 0.5 : 0.9, d.beta2 = mask & 8 ? 0.9 : 0.999, d.eps = 1e-8;
        d.weight_decay = 0.05, d.amsgrad = mask & 1, d.maximize = mask & 2, d.decoupled_weight_decay = mask & 4;
        Vec p = param0, m(p.size(), 0.0), v(p.size(), 0.0), vmax(p.size(), 0.0);
        for (size_t s = 0; s < grads.size(); ++s) {
            d.step = static_cast<int64_t>(s) + 1;
            ref::adam_step(d, p, grads[s], m, v, vmax);
        }
        cases["optimizers"].push_back({{"kind", "adam"}, {"param0", param0}, {"grads", grads}, {"param", p},
                                       {"options", {{"lr", d.lr}, {"beta1", d.beta1}, {"beta2", d.beta2}, {"eps", d.eps},
                                                    {"weight_decay", d.weight_decay}, {"amsgrad", d.amsgrad},
                                                    {"maximize", d.maximize},
                                                    {"decoupled_weight_decay", d.decoupled_weight_decay}}}});
    }
    return cases;
}

}  // namespace nnstudio::test::ops

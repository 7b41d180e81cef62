// Pitfall checker: each pitfall is found on a model that has it (with the JSON path of the node
// at fault), its fix removes it, and the seed's models — and the init lab's — have no finding.
#include "error.h"
#include "teach/pitfall_fix.h"
#include "test_support.h"

#include <QDir>
#include <QProcess>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using nlohmann::json;

namespace {

// A 784-input MLP whose root children are `layers`, with optional init and training sections.
spec::ModelSpec mlp(json layers, json init = nullptr, json training = nullptr) {
    json doc = {{"format", "nnstudio.model"}, {"version", 1}, {"name", "Probe"}, {"input", {{"shape", {784}}}},
                {"root", {{"type", "Sequential"}, {"children", std::move(layers)}}}};
    if (!init.is_null()) doc["init"] = {{"default", init}};
    if (!training.is_null()) doc["training"] = training;
    return spec::parse_model_spec(doc);
}

json linear(int out) { return {{"type", "Linear"}, {"out_features", out}}; }
json layer(const char* type) { return {{"type", type}}; }

std::vector<teach::Finding> check(const spec::ModelSpec& s) { return teach::check_pitfalls(s, teach::training_setup_of(s)); }

std::vector<std::string> ids(const std::vector<teach::Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.id);
    return out;
}

// The finding `id` is present, at `json_path`; applying its fix leaves a model that builds and
// no longer has it. The finding goes to *found.
void expect_and_fix(spec::ModelSpec& s, const std::string& id, const std::string& json_path,
                    teach::Finding* found = nullptr) {
    const auto fs = check(s);
    const auto it = std::find_if(fs.begin(), fs.end(), [&](const teach::Finding& f) { return f.id == id; });
    QVERIFY2(it != fs.end(), ("missing finding " + id).c_str());
    QCOMPARE(it->json_path, json_path);
    if (found) *found = *it;
    QVERIFY_THROWS_NO_EXCEPTION(teach::apply_fix(s, *it));
    QVERIFY_THROWS_NO_EXCEPTION(spec::build_model(s));
    const auto after = ids(check(s));
    QVERIFY2(std::find(after.begin(), after.end(), id) == after.end(), ("still there after the fix: " + id).c_str());
}

}  // namespace

class TestPitfalls : public QObject {
    Q_OBJECT

private slots:
    void no_finding_on_the_example_models() {
        const QDir dir(test::source_dir() + "/resources/models");
        const QStringList files = dir.entryList({"*.json"}, QDir::Files);
        QVERIFY(files.size() >= 8);
        for (const QString& f : files) {
            const spec::ModelSpec s = spec::load_model_spec(dir.filePath(f).toStdString());
            const auto fs = check(s);
            QVERIFY2(fs.empty(), qPrintable(f + ": " + QString::fromStdString(fs.empty() ? "" : fs.front().id)));
            for (const auto& [flag, on] : s.flags)
                QVERIFY(teach::check_pitfalls(s, teach::training_setup_of(s), {{flag, !on}}).empty());
        }
    }

    void softmax_before_cross_entropy() {
        spec::ModelSpec s = mlp({linear(128), layer("ReLU"), linear(10), layer("Softmax")});
        teach::Finding f;
        expect_and_fix(s, "softmax_before_logits_loss", "/root/children/3", &f);
        QCOMPARE(f.severity, teach::Severity::Warning);
        QCOMPARE(f.layer_path, std::string("3"));
        QVERIFY(f.message.find("applied twice") != std::string::npos);
        QCOMPARE(s.root.children.size(), size_t{3});
        QCOMPARE(s.root.children.back().type, std::string("Linear"));
    }

    void sigmoid_before_bce_with_logits_and_log_softmax_before_ce() {
        spec::ModelSpec s = mlp({linear(1), layer("Sigmoid")}, nullptr, {{"loss", {{"name", "BCEWithLogitsLoss"}}}});
        teach::Finding f;
        expect_and_fix(s, "softmax_before_logits_loss", "/root/children/1", &f);
        QCOMPARE(f.severity, teach::Severity::Warning);
        spec::ModelSpec l = mlp({linear(10), layer("LogSoftmax")});
        expect_and_fix(l, "softmax_before_logits_loss", "/root/children/1", &f);
        QCOMPARE(f.severity, teach::Severity::Info);
    }

    void nll_loss_without_log_softmax() {
        spec::ModelSpec s = mlp({linear(10)}, nullptr, {{"loss", {{"name", "NLLLoss"}, {"options", {{"ignore_index", 3}}}}}});
        expect_and_fix(s, "nll_without_log_softmax", "/root/children/0");
        const train::TrainSetup setup = teach::training_setup_of(s);
        QCOMPARE(setup.loss.name, std::string("CrossEntropyLoss"));
        QCOMPARE(setup.loss.options["ignore_index"].get<int>(), 3);
        QVERIFY(check(mlp({linear(10), layer("LogSoftmax")}, nullptr, {{"loss", {{"name", "NLLLoss"}}}})).empty());
    }

    void activation_before_batchnorm_is_swapped() {
        spec::ModelSpec s = mlp({linear(128), layer("ReLU"), layer("BatchNorm1d"), layer("Dropout"), linear(10)});
        expect_and_fix(s, "activation_before_batchnorm", "/root/children/1");
        QCOMPARE(s.root.children[1].type, std::string("BatchNorm1d"));
        QCOMPARE(s.root.children[2].type, std::string("ReLU"));
    }

    void dropout_or_batchnorm_on_the_output() {
        spec::ModelSpec d = mlp({linear(128), layer("ReLU"), linear(10), layer("Dropout")});
        expect_and_fix(d, "regularizer_on_output", "/root/children/3");
        spec::ModelSpec b = mlp({linear(128), layer("ReLU"), linear(10), layer("BatchNorm1d")});
        expect_and_fix(b, "regularizer_on_output", "/root/children/3");
        QCOMPARE(b.root.children.size(), size_t{3});
    }

    void residual_width_change_without_projection() {
        const json block = {{"name", "block"}, {"type", "Residual"}, {"after_add", "ReLU"},
                            {"children", {linear(128), layer("BatchNorm1d"), layer("ReLU")}}};
        spec::ModelSpec s = mlp({linear(256), layer("BatchNorm1d"), layer("ReLU"), block, linear(10)});
        NN_EXPECT_ERROR(SpecError, spec::build_model(s), "Residual");  // the engine cannot build it
        teach::Finding f;
        expect_and_fix(s, "residual_width_mismatch", "/root/children/3", &f);
        QCOMPARE(f.severity, teach::Severity::Error);
        QVERIFY(f.message.find("(256,) into (128,)") != std::string::npos);
        QVERIFY(s.root.children[3].options.contains("projection"));
    }

    void initializer_that_does_not_fit_the_activation() {
        spec::ModelSpec k = mlp({linear(128), layer("Tanh"), linear(10)}, {{"scheme", "kaiming_uniform"}, {"nonlinearity", "relu"}});
        expect_and_fix(k, "init_activation_mismatch", "/init/default");
        QCOMPARE(k.init["default"]["scheme"].get<std::string>(), std::string("xavier_uniform"));

        json deep = json::array();
        for (int i = 0; i < 5; ++i) {
            deep.push_back(linear(128));
            deep.push_back(layer("ReLU"));
        }
        deep.push_back(linear(10));
        spec::ModelSpec x = mlp(deep, {{"scheme", "xavier_normal"}});
        expect_and_fix(x, "init_activation_mismatch", "/init/default");
        QCOMPARE(x.init["default"]["scheme"].get<std::string>(), std::string("kaiming_uniform"));
        // Xavier on a shallow ReLU net is fine (the seed's advice is about deep nets).
        QVERIFY(check(mlp({linear(128), layer("ReLU"), linear(10)}, {{"scheme", "xavier_uniform"}})).empty());
        // A per-layer override is reported at the layer.
        json tanh_net = {linear(128), layer("Tanh"), linear(10)};
        tanh_net[0]["init"] = {{"scheme", "kaiming_normal"}, {"nonlinearity", "relu"}};
        spec::ModelSpec o = mlp(tanh_net);
        expect_and_fix(o, "init_activation_mismatch", "/root/children/0/init");
    }

    void zeros_initializer_is_symmetric() {
        spec::ModelSpec s = mlp({linear(128), layer("ReLU"), linear(10)}, {{"scheme", "zeros"}});
        teach::Finding f;
        expect_and_fix(s, "symmetric_init", "/init/default", &f);
        QCOMPARE(f.severity, teach::Severity::Error);
        QCOMPARE(s.init["default"]["nonlinearity"].get<std::string>(), std::string("relu"));
    }

    void batchnorm_with_batches_of_one() {
        spec::ModelSpec s = mlp({linear(128), layer("BatchNorm1d"), layer("ReLU"), linear(10)}, nullptr,
                                {{"batch_size", 1}, {"data", "fashion-mnist"}});
        teach::Finding f;
        expect_and_fix(s, "batchnorm_batch_of_one", "/training/batch_size", &f);
        QCOMPARE(f.layer_path, std::string("1"));
        QCOMPARE(teach::training_setup_of(s).batch_size, int64_t{32});
        QVERIFY(check(mlp({linear(10)}, nullptr, {{"batch_size", 1}})).empty());  // no BatchNorm: fine
    }

    void batchnorm_momentum_in_tensorflow_convention() {
        // Keras' BatchNormalization(momentum=0.99) is PyTorch's BatchNorm1d(momentum=0.01).
        json bn = layer("BatchNorm1d");
        bn["momentum"] = 0.99;
        spec::ModelSpec s = mlp({linear(128), bn, layer("ReLU"), linear(10)});
        teach::Finding f;
        expect_and_fix(s, "batchnorm_tensorflow_momentum", "/root/children/1/momentum", &f);
        QVERIFY2(f.message.find("PyTorch's 0.01") != std::string::npos, f.message.c_str());
        QVERIFY(std::fabs(s.root.children[1].options["momentum"].get<double>() - 0.01) < 1e-12);
        bn["momentum"] = 0.5;  // unusual but PyTorch's own convention: no finding
        QVERIFY(check(mlp({linear(128), bn, layer("ReLU"), linear(10)})).empty());
        bn["momentum"] = nullptr;  // cumulative average
        QVERIFY(check(mlp({linear(128), bn, layer("ReLU"), linear(10)})).empty());
    }

    void loss_on_class_labels_is_named() {
        // MSELoss trains on one-hot rows of the labels (loss/loss_target.h); check says so.
        spec::ModelSpec s = mlp({linear(128), layer("ReLU"), linear(10)}, nullptr, {{"loss", "MSELoss"}});
        teach::Finding f;
        expect_and_fix(s, "loss_on_class_labels", "/training/loss", &f);
        QCOMPARE(f.severity, teach::Severity::Info);
        QVERIFY2(f.message.find("one-hot") != std::string::npos, f.message.c_str());
        QCOMPARE(teach::training_setup_of(s).loss.name, std::string("CrossEntropyLoss"));
    }

    void batchnorm_without_running_stats_in_eval() {
        json bn = layer("BatchNorm1d");
        bn["track_running_stats"] = false;
        spec::ModelSpec s = mlp({linear(128), bn, layer("ReLU"), linear(10)});
        teach::Finding f;
        expect_and_fix(s, "batchnorm_without_running_stats", "/root/children/1/track_running_stats", &f);
        QVERIFY2(f.message.find("Expected more than 1 value per channel") != std::string::npos, f.message.c_str());
    }

    void findings_follow_flags_and_templates() {
        // A conditional activation before BatchNorm only exists with its flag on.
        json doc = {{"format", "nnstudio.model"}, {"version", 1}, {"name", "Flags"}, {"input", {{"shape", {784}}}},
                    {"flags", {{"act_first", false}}},
                    {"root", {{"type", "Sequential"}, {"children", {linear(64), {{"type", "ReLU"}, {"when", "act_first"}},
                                                                    layer("BatchNorm1d"), layer("ReLU"), linear(10)}}}}};
        const spec::ModelSpec s = spec::parse_model_spec(doc);
        QVERIFY(check(s).empty());
        QCOMPARE(ids(teach::check_pitfalls(s, {}, {{"act_first", true}})), std::vector<std::string>{"activation_before_batchnorm"});
        NN_EXPECT_ERROR(SpecError, teach::check_pitfalls(s, {}, {{"nope", true}}), "unknown flag 'nope'");
        // A template repeated 3 times is reported once, by its JSON path.
        json t = {{"format", "nnstudio.model"}, {"version", 1}, {"name", "T"}, {"input", {{"shape", {784}}}},
                  {"root", {{"type", "Sequential"}, {"children", {
                      {{"name", "blocks"}, {"type", "ModuleList"}, {"repeat", 3}, {"template",
                          {{"type", "Sequential"}, {"children", {linear(64), layer("ReLU"), layer("BatchNorm1d")}}}}},
                      linear(10)}}}}};
        spec::ModelSpec ts = spec::parse_model_spec(t);
        const auto fs = check(ts);
        QCOMPARE(ids(fs), std::vector<std::string>{"activation_before_batchnorm"});
        QCOMPARE(fs[0].layer_path, std::string("blocks.0.1"));
        expect_and_fix(ts, "activation_before_batchnorm", "/root/children/0/template/children/1");
    }

    void a_finding_without_fix_is_refused() {
        teach::Finding f{"x", teach::Severity::Info, "/root", "", "m", "do it by hand", std::nullopt};
        spec::ModelSpec s = mlp({linear(10)});
        NN_EXPECT_ERROR(SpecError, teach::apply_fix(s, f), "no automatic fix", "do it by hand");
    }

    void cli_check_prints_findings_and_writes_the_fixed_model() {
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.json"), fixed = dir.filePath("fixed.json");
        std::ofstream(bad.toStdString()) << spec::to_json(mlp({linear(128), layer("ReLU"), layer("BatchNorm1d"), linear(10),
                                                               layer("Softmax")})).dump();
        const auto run = [](const QStringList& args) {
            QProcess p;
            p.start(test::cli_path(), args);
            p.waitForFinished(60000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()) + QString::fromUtf8(p.readAllStandardError()));
        };
        auto [code, out] = run({"check", bad, "--fix", fixed});
        QCOMPARE(code, 0);
        QVERIFY2(out.contains("[warning] softmax_before_logits_loss at /root/children/4 (4)") &&
                     out.contains("[warning] activation_before_batchnorm at /root/children/1 (1)") &&
                     out.contains("2 finding(s)") && out.contains("wrote"),
                 qPrintable(out));
        std::tie(code, out) = run({"check", fixed});
        QCOMPARE(code, 0);
        QVERIFY2(out.trimmed() == "no pitfalls found", qPrintable(out));
        std::tie(code, out) = run({"check", bad, "--json"});
        const json j = json::parse(out.toStdString());
        QCOMPARE(j.size(), size_t{2});
        QCOMPARE(j[0]["fix"]["kind"].get<std::string>(), std::string("remove_node"));
        std::tie(code, out) = run({"check", test::source_dir() + "/resources/models/residual_network.json"});
        QCOMPARE(code, 0);
        QCOMPARE(out.trimmed(), QString("no pitfalls found"));
        std::tie(code, out) = run({"check", dir.filePath("missing.json")});
        QCOMPARE(code, 1);
    }
};

QTEST_GUILESS_MAIN(TestPitfalls)
#include "tst_pitfalls.moc"

// The model file: the seed models' state_dict layout equals PyTorch's (MANIFEST.json), parameter
// totals, conditional flags, validation messages that name the JSON path, save/load round trip.
#include "error.h"
#include "nn/model.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "spec/model_spec.h"
#include "spec/summary.h"
#include "test_support.h"

#include <QtTest>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using nlohmann::json;

namespace {

std::string model_path(const char* file) { return test::source_dir().toStdString() + "/resources/models/" + file; }

json manifest() {
    std::ifstream in(test::fixtures_dir().toStdString() + "/torch-2.11/MANIFEST.json");
    return json::parse(in);
}

// Expects parse or build of `doc` to fail with a message containing every fragment.
void expect_spec_error(const json& doc, const std::vector<std::string>& fragments) {
    try {
        spec::build_model(spec::parse_model_spec(doc));
    } catch (const SpecError& e) {
        const std::string msg = e.what();
        for (const auto& f : fragments)
            QVERIFY2(msg.find(f) != std::string::npos, qPrintable(QString::fromStdString("'" + f + "' not in: " + msg)));
        return;
    }
    QFAIL(qPrintable(QString::fromStdString("no error for " + doc.dump())));
}

json minimal() {
    return json::parse(R"({"format": "nnstudio.model", "version": 1, "name": "M", "input": {"shape": [8]},
        "flags": {"use_bn": true},
        "root": {"type": "Sequential", "children": [{"name": "fc1", "type": "Linear", "out_features": 4}]}})");
}

}  // namespace

class TestModelSpec : public QObject {
    Q_OBJECT

private slots:
    void seed_models_match_pytorch_state_dicts_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("flags");
        QTest::newRow("SimpleNet") << "simple_net.json" << "simple_net.pth" << "";
        QTest::newRow("ShallowMLP") << "shallow_mlp.json" << "shallow_mlp.pth" << "";
        QTest::newRow("DeepMLP") << "deep_mlp.json" << "deep_mlp.pth" << "";
        QTest::newRow("ResidualNetwork") << "residual_network.json" << "residual_network.pth" << "";
        QTest::newRow("ConditionalNet bn+dropout") << "conditional_net.json" << "conditional_net_bn_dropout.pth" << "";
        QTest::newRow("ConditionalNet plain") << "conditional_net.json" << "conditional_net_plain.pth"
                                              << "use_batch_norm=false,use_dropout=false";
    }
    void seed_models_match_pytorch_state_dicts() {
        QFETCH(QString, model);
        QFETCH(QString, fixture);
        QFETCH(QString, flags);
        spec::FlagValues values;
        for (const QString& f : flags.split(',', Qt::SkipEmptyParts)) values.insert(spec::parse_flag_assignment(f.toStdString()));
        nn::Model m = spec::build_model(spec::load_model_spec(model_path(qPrintable(model))), values);
        const StateDict sd = m.state_dict();
        const json all = manifest();
        const json& expected = all["files"][fixture.toStdString()]["tensors"];
        QCOMPARE(sd.size(), expected.size());
        size_t i = 0;
        for (const auto& [key, t] : sd) {
            const json& e = expected[i++];
            QCOMPARE(key, e["key"].get<std::string>());
            QCOMPARE(dtype_name(t.dtype), e["dtype"].get<std::string>());
            QCOMPARE(t.shape, e["shape"].get<Shape>());
        }
    }

    void parameter_totals_as_pytorch_counts_them() {
        const std::vector<std::pair<const char*, int64_t>> totals = {
            {"residual_network.json", 470794}, {"deep_mlp.json", 569226},
            {"shallow_mlp.json", 101770},      {"simple_net.json", 101770}};
        for (const auto& [file, total] : totals) {
            nn::Model m = spec::build_model(spec::load_model_spec(model_path(file)));
            QCOMPARE(m.parameter_count(), total);
        }
        nn::Model res = spec::build_model(spec::load_model_spec(model_path("residual_network.json")));
        const std::string text = spec::format_summary(spec::summarize(res));
        QVERIFY(text.find("Total params: 470,794") != std::string::npos);
        QVERIFY(text.find("fc1 (Linear)") != std::string::npos);
        QVERIFY(text.find("[-1, 10]") != std::string::npos);
    }

    void conditional_flags_remove_layers() {
        const auto spec = spec::load_model_spec(model_path("conditional_net.json"));
        nn::Model on = spec::build_model(spec);
        nn::Model off = spec::build_model(spec, {{"use_batch_norm", false}});
        QVERIFY(on.state_dict().contains("bn1.running_mean"));
        QVERIFY(!off.state_dict().contains("bn1.running_mean"));
        QCOMPARE(on.parameter_count() - off.parameter_count(), int64_t{512});
        QVERIFY_THROWS_EXCEPTION(SpecError, spec::build_model(spec, {{"use_batchnorm", false}}));
    }

    void linear_batchnorm_projection_has_pytorch_keys() {
        json doc = minimal();
        doc["root"]["children"].push_back(json::parse(R"({"name": "block", "type": "Residual",
            "projection": {"bias": false, "batch_norm": {"eps": 0.001}},
            "children": [{"name": "fc", "type": "Linear", "out_features": 6}]})"));
        nn::Model m = spec::build_model(spec::parse_model_spec(doc));
        // nn.Sequential(nn.Linear(4, 6, bias=False), nn.BatchNorm1d(6, eps=0.001)).state_dict(), after the body.
        const std::vector<std::string> expected = {
            "fc1.weight", "fc1.bias", "block.fc.weight", "block.fc.bias", "block.projection.0.weight",
            "block.projection.1.weight", "block.projection.1.bias", "block.projection.1.running_mean",
            "block.projection.1.running_var", "block.projection.1.num_batches_tracked"};
        std::vector<std::string> keys;
        for (const auto& [key, t] : m.state_dict()) keys.push_back(key);
        QCOMPARE(keys, expected);

        doc["root"]["children"][1]["projection"] = json::parse(R"({"batch_norm": false})");
        nn::Model plain = spec::build_model(spec::parse_model_spec(doc));
        QVERIFY(plain.state_dict().contains("block.projection.weight"));
        QVERIFY(plain.state_dict().contains("block.projection.bias"));
        QVERIFY(!plain.state_dict().contains("block.projection.0.weight"));

        doc["root"]["children"][1]["projection"] = json::parse(R"({"batch_norm": {"epsilon": 0.1}})");
        expect_spec_error(doc, {"/root/children/1/projection/batch_norm/epsilon", "eps"});
        doc["root"]["children"][1]["projection"] = json::parse(R"({"batch_norm": "yes"})");
        expect_spec_error(doc, {"/root/children/1/projection/batch_norm", "true, false or an object"});
    }

    void shape_errors_name_the_block_and_the_fix() {
        json doc = minimal();
        doc["root"]["children"].push_back(json::parse(R"({"name": "block", "type": "Residual", "children": [
            {"name": "fc", "type": "Linear", "out_features": 6}]})"));
        expect_spec_error(doc, {"/root/children/1", "block", "(6,)", "(4,)", "projection"});
        doc["root"]["children"][1]["projection"] = json::object();
        nn::Model fixed = spec::build_model(spec::parse_model_spec(doc));
        QVERIFY(fixed.state_dict().contains("block.projection.weight"));
        QCOMPARE(fixed.output_shape(), Shape{6});

        json bn = minimal();
        bn["input"]["shape"] = {2, 4};
        bn["root"]["children"] = json::parse(R"([{"type": "BatchNorm1d"}])");
        expect_spec_error(bn, {"/root/children/0", "BatchNorm1d", "Flatten"});
    }

    void partial_build_stops_at_the_first_shape_error() {
        // 8 -> fc1 (4) -> block: body 4 -> 6 with an identity skip (the error) -> head (3).
        json doc = minimal();
        doc["root"]["children"].push_back(json::parse(R"({"name": "block", "type": "Residual", "children": [
            {"name": "fc", "type": "Linear", "out_features": 6}, {"name": "act", "type": "ReLU"}]})"));
        doc["root"]["children"].push_back(json::parse(R"({"name": "head", "type": "Linear", "out_features": 3})"));
        const spec::ModelSpec s = spec::parse_model_spec(doc);
        spec::PartialModel partial = spec::build_model_until_error(s);
        QVERIFY(partial.error.has_value());
        QCOMPARE(partial.error->json_path, std::string("/root/children/1"));
        QCOMPARE(partial.error->path, std::string("block"));
        QCOMPARE(partial.error->type, std::string("Residual"));
        // The same words build_model throws.
        QCOMPARE(QString::fromStdString(partial.error->message), test::error_of<SpecError>([&] { spec::build_model(s); }));
        std::map<std::string, const nn::LayerInfo*> built;
        for (const nn::LayerInfo& info : partial.model.layers()) built[info.path] = &info;
        QCOMPARE(built.count("head"), size_t{0});  // after the error: not built
        QCOMPARE(built.at("fc1")->output_shape, Shape{4});
        QCOMPARE(built.at("fc1")->module->parameter_count(), int64_t{8 * 4 + 4});
        QCOMPARE(built.at("block.fc")->output_shape, Shape{6});
        QCOMPARE(built.at("block.fc")->module->parameter_count(), int64_t{4 * 6 + 6});
        QCOMPARE(built.at("block.act")->output_shape, Shape{6});
        QCOMPARE(partial.unknown_shape, (std::set<std::string>{"", "block"}));  // the node at fault and the root
        QCOMPARE(partial.model.parameter_count(), int64_t{36 + 30});

        // A leaf at fault is left out; the layers before it stay.
        json leaf = minimal();
        leaf["input"]["shape"] = {2, 8};  // fc1 keeps the leading 2: BatchNorm1d wants (features,)
        leaf["root"]["children"].push_back(json::parse(R"({"name": "bn", "type": "BatchNorm1d"})"));
        leaf["root"]["children"].push_back(json::parse(R"({"name": "head", "type": "Linear", "out_features": 3})"));
        partial = spec::build_model_until_error(spec::parse_model_spec(leaf));
        QVERIFY(partial.error.has_value());
        QCOMPARE(partial.error->path, std::string("bn"));
        QCOMPARE(partial.model.layers().size(), size_t{2});  // the root and fc1
        QCOMPARE(partial.model.layers()[1].path, std::string("fc1"));
        QCOMPARE(partial.model.layers()[1].output_shape, (Shape{2, 4}));

        doc["root"]["children"][1]["projection"] = json::object();  // fixed: the whole model, as build_model
        partial = spec::build_model_until_error(spec::parse_model_spec(doc));
        QVERIFY(!partial.error);
        QVERIFY(partial.unknown_shape.empty());
        QCOMPARE(partial.model.output_shape(), Shape{3});
        QCOMPARE(partial.model.parameter_count(), spec::build_model(spec::parse_model_spec(doc)).parameter_count());
    }

    void validation_messages_name_the_json_path() {
        json doc = minimal();
        doc["root"]["children"][0]["out_feature"] = 3;
        expect_spec_error(doc, {"/root/children/0/out_feature", "did you mean 'out_features'"});

        doc = minimal();
        doc["root"]["children"][0]["name"] = "2fc";
        expect_spec_error(doc, {"/root/children/0/name", "Python identifier"});

        doc = minimal();
        doc["root"]["children"].push_back(doc["root"]["children"][0]);
        expect_spec_error(doc, {"/root/children/1/name", "unique"});

        doc = minimal();
        doc["root"]["children"][0]["when"] = "use_bnn";
        expect_spec_error(doc, {"/root/children/0/when", "did you mean 'use_bn'"});

        doc = minimal();
        doc["root"]["children"][0]["type"] = "Linaer";
        expect_spec_error(doc, {"/root/children/0/type", "did you mean 'Linear'"});

        doc = minimal();
        doc["root"]["children"][0].erase("out_features");
        expect_spec_error(doc, {"/root/children/0", "out_features"});

        doc = minimal();
        doc["root"]["children"][0]["out_features"] = -3;
        expect_spec_error(doc, {"/root/children/0/out_features", "positive integer"});

        doc = minimal();
        doc["version"] = 7;
        expect_spec_error(doc, {"/version", "update NN Studio"});

        doc = minimal();
        doc["root"]["children"][0]["init"] = {{"scheme", "kaiming_uniformm"}};
        try {
            nn::Model m = spec::build_model(spec::parse_model_spec(doc));
            spec::initialize_model(m, 0);
            QFAIL("an unknown init scheme was accepted");
        } catch (const SpecError& e) {
            QVERIFY2(std::string(e.what()).find("/root/children/0/init") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(SpecError, spec::parse_model_spec_text("{\"format\": "));
        // Found by fuzz_model_spec: a number too large for a double is a JSON error too, not a crash.
        QVERIFY_THROWS_EXCEPTION(SpecError, spec::parse_model_spec_text("91111e0000000000730999990000000730+9s"));
    }

    void save_and_load_round_trip() {
        const auto spec = spec::load_model_spec(model_path("residual_network.json"));
        QTemporaryDir dir;
        const std::string path = dir.filePath("copy.json").toStdString();
        spec::save_model_spec(path, spec);
        const auto again = spec::load_model_spec(path);
        QCOMPARE(spec::to_json(again).dump(), spec::to_json(spec).dump());
        std::ifstream original(model_path("residual_network.json"));
        json a = json::parse(original);
        QCOMPARE(spec::to_json(again)["root"].dump(), a["root"].dump());
    }

    void initialization_is_seeded_and_uses_the_file_scheme() {
        const auto spec = spec::load_model_spec(model_path("deep_mlp.json"));
        nn::Model a = spec::build_model(spec), b = spec::build_model(spec);
        spec::initialize_model(a, 42);
        spec::initialize_model(b, 42);
        const Tensor wa = a.state_dict().at("net.0.weight").to_float();
        QCOMPARE(wa.to_vector(), b.state_dict().at("net.0.weight").to_float().to_vector());
        // kaiming_uniform(relu): bound = sqrt(6 / fan_in); bias zeros.
        const float bound = std::sqrt(6.0f / 784.0f);
        float max_abs = 0;
        for (float v : wa.to_vector()) max_abs = std::max(max_abs, std::fabs(v));
        QVERIFY(max_abs <= bound && max_abs > 0.98f * bound);
        QCOMPARE(a.state_dict().at("net.0.bias").sum(), 0.0);
        QCOMPARE(a.state_dict().at("net.1.weight").sum(), 512.0);
    }
};

QTEST_APPLESS_MAIN(TestModelSpec)
#include "tst_model_spec.moc"

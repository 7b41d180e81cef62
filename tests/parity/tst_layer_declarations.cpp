// The layer declarations (nn/layer_registry.h) against the modules they build and against real
// PyTorch: each declared state_dict (names, order, shapes) is what the built module registers
// and what PyTorch's class registers for the declared constructor text; each declared default
// passes the declared checks; a value outside an option's range is refused naming its JSON path.
#include "error.h"
#include "nn/layer_registry.h"
#include "spec/model_builder.h"
#include "spec/model_spec.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <set>

using namespace nnstudio;
using nlohmann::json;

namespace {

// Options that exercise each declaration beyond its defaults (with the input they need).
struct Variant {
    std::string type;
    json options;
    Shape in;
};

std::vector<Variant> variants() {
    std::vector<Variant> v;
    for (const nn::LayerDeclaration* d : nn::layer_declarations()) {
        json options = json::object();
        for (const nn::OptionDeclaration& o : d->options)
            if (!o.initial.is_null()) options[o.name] = o.initial;
        v.push_back({d->type, options, {4}});
    }
    v.push_back({"Linear", {{"out_features", 3}, {"bias", false}}, {5}});
    v.push_back({"BatchNorm1d", {{"affine", false}, {"momentum", nullptr}}, {6}});
    v.push_back({"BatchNorm1d", {{"track_running_stats", false}, {"eps", 1e-3}}, {6}});
    v.push_back({"PReLU", {{"num_parameters", 3}, {"init", 0.1}}, {3, 7}});
    v.push_back({"LayerNorm", {{"normalized_shape", {3, 7}}, {"eps", 1e-3}}, {3, 7}});
    v.push_back({"LayerNorm", {{"elementwise_affine", false}}, {3, 7}});
    v.push_back({"ELU", {{"alpha", 0.5}}, {4}});
    v.push_back({"Softplus", {{"beta", 2.0}, {"threshold", 5.0}}, {4}});
    v.push_back({"Hardtanh", {{"min_val", -2.0}, {"max_val", 3.0}}, {4}});
    v.push_back({"LeakyReLU", {{"negative_slope", 0.2}}, {4}});
    v.push_back({"GELU", {{"approximate", "tanh"}}, {4}});
    v.push_back({"Flatten", {{"start_dim", 2}}, {2, 3, 4}});
    return v;
}

}  // namespace

class TestLayerDeclarations : public QObject {
    Q_OBJECT

private slots:
    void every_type_is_declared_once() {
        std::set<std::string> seen;
        for (const nn::LayerDeclaration* d : nn::layer_declarations()) {
            QVERIFY2(seen.insert(d->type).second, d->type.c_str());
            QVERIFY2(d->output_shape && d->state && d->make && !d->palette_text.empty(), d->type.c_str());
            for (const nn::OptionDeclaration& o : d->options) {
                const std::string label = d->type + "." + o.name;
                QVERIFY2(!o.label.empty() && !o.doc.empty(), label.c_str());
                std::string why;
                if (!o.default_value.is_null()) QVERIFY2(o.accepts(o.default_value, &why), (label + ": " + why).c_str());
                if (!o.initial.is_null()) QVERIFY2(o.accepts(o.initial, &why), (label + ": " + why).c_str());
                if (o.required) QVERIFY2(!o.initial.is_null(), (label + ": a required option needs an initial value").c_str());
            }
        }
        QCOMPARE(seen.size() + 3, spec::layer_types().size());  // + Sequential, ModuleList, Residual
    }

    void declared_state_is_what_the_module_registers() {
        for (const Variant& v : variants()) {
            const nn::LayerDeclaration& d = *nn::find_layer_declaration(v.type);
            const nn::LayerOptions o(d, v.options);
            const std::string label = v.type + v.options.dump();
            d.output_shape(o, v.in);
            const auto module = d.make(o, v.in);
            const StateDict sd = module->state_dict();
            const std::vector<nn::TensorDeclaration> declared = d.state(o, v.in);
            QCOMPARE(sd.size(), declared.size());
            size_t i = 0;
            for (const auto& [name, tensor] : sd) {
                QVERIFY2(name == declared[i].name, (label + ": " + name + " vs " + declared[i].name).c_str());
                QVERIFY2(tensor.shape == declared[i].shape, (label + ": shape of " + name).c_str());
                ++i;
            }
            int64_t parameters = 0;
            for (const nn::TensorDeclaration& t : declared)
                if (t.parameter) parameters += shape_numel(t.shape);
            QCOMPARE(module->parameter_count(), parameters);
        }
    }

    void constructor_text_builds_the_declared_state_in_pytorch() {
        if (!test::torch_available()) QSKIP("PyTorch is not importable by the test Python; install python3-torch");
        json cases = json::array();
        for (const Variant& v : variants()) {
            const nn::LayerDeclaration& d = *nn::find_layer_declaration(v.type);
            json state = json::array();
            for (const nn::TensorDeclaration& t : d.state(nn::LayerOptions(d, v.options), v.in))
                state.push_back({t.name, t.shape});
            cases.push_back({{"text", d.constructor_text(v.options, v.in)}, {"state", state}});
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("cases.json");
        std::ofstream(path.toStdString()) << cases.dump();
        QString out, err;
        QVERIFY2(test::run_python(test::source_dir() + "/tests/parity/py/check_declarations.py", {path}, &out, &err),
                 qPrintable(err));
    }

    void constructor_text_omits_defaults_like_pytorch_repr() {
        const auto text = [](const std::string& type, const json& options, const Shape& in) {
            return nn::find_layer_declaration(type)->constructor_text(options, in);
        };
        QCOMPARE(text("Linear", {{"out_features", 10}}, {784}), std::string("nn.Linear(784, 10)"));
        QCOMPARE(text("Linear", {{"out_features", 10}, {"bias", false}}, {784}), std::string("nn.Linear(784, 10, bias=False)"));
        QCOMPARE(text("LeakyReLU", {{"negative_slope", 0.2}}, {4}), std::string("nn.LeakyReLU(negative_slope=0.2)"));
        QCOMPARE(text("BatchNorm1d", json::object(), {16}), std::string("nn.BatchNorm1d(16)"));
        QCOMPARE(text("BatchNorm1d", {{"momentum", nullptr}}, {16}), std::string("nn.BatchNorm1d(16, momentum=None)"));
        QCOMPARE(text("PReLU", {{"num_parameters", 3}}, {3, 4}), std::string("nn.PReLU(num_parameters=3)"));
        QCOMPARE(text("LayerNorm", json::object(), {3, 8}), std::string("nn.LayerNorm([8])"));
        QCOMPARE(text("SELU", json::object(), {4}), std::string("nn.SELU()"));
    }

    void out_of_range_options_are_refused_with_their_path() {
        const auto refused = [](const json& layer, const std::vector<std::string>& fragments) {
            json doc = {{"format", "nnstudio.model"}, {"version", 1}, {"input", {{"shape", {4}}}},
                        {"root", {{"type", "Sequential"}, {"children", {layer}}}}};
            try {
                spec::build_model(spec::parse_model_spec(doc));
            } catch (const SpecError& e) {
                for (const std::string& f : fragments)
                    QVERIFY2(std::string(e.what()).find(f) != std::string::npos, e.what());
                return;
            }
            QFAIL(("accepted " + layer.dump()).c_str());
        };
        refused({{"type", "Dropout"}, {"p", 1.5}}, {"/root/children/0/p", "probability"});
        refused({{"type", "ELU"}, {"alpha", "big"}}, {"/root/children/0/alpha", "expected a number"});
        refused({{"type", "Softplus"}, {"beta", 0}}, {"/root/children/0/beta", "from 1e-06"});
        refused({{"type", "PReLU"}, {"num_parameters", 0}}, {"/root/children/0/num_parameters", "integer from 1"});
        refused({{"type", "PReLU"}, {"num_parameters", 3}}, {"/root/children/0", "PReLU", "num_parameters to 4 or 1"});
        refused({{"type", "LayerNorm"}, {"normalized_shape", {5}}}, {"/root/children/0", "LayerNorm", "(4,)"});
        refused({{"type", "LayerNorm"}, {"normalized_shape", {0}}}, {"/root/children/0/normalized_shape", "positive"});
        refused({{"type", "Hardtanh"}, {"min_val", 1.0}, {"max_val", -1.0}}, {"/root/children/0", "min_val < max_val"});
        refused({{"type", "GELU"}, {"approximate", "fast"}}, {"/root/children/0/approximate", "\"none\" or \"tanh\""});
        refused({{"type", "SiLU"}, {"inplace", true}}, {"/root/children/0/inplace", "unknown key"});
        refused({{"type", "LayerNorm"}, {"normalized_shape", "8"}},
                {"/root/children/0/normalized_shape", "a positive integer or a list of them"});
    }

    void layer_norm_takes_an_int_as_pytorch_does() {
        // nn.LayerNorm(8) == nn.LayerNorm([8]): the same state_dict and constructor text.
        const auto build = [](const json& shape) {
            json doc = {{"format", "nnstudio.model"}, {"version", 1}, {"input", {{"shape", {3, 8}}}},
                        {"root", {{"type", "Sequential"}, {"children", {{{"type", "LayerNorm"}, {"normalized_shape", shape}}}}}}};
            return spec::build_model(spec::parse_model_spec(doc));
        };
        nn::Model as_int = build(8), as_list = build(json::array({8}));
        QCOMPARE(as_int.state_dict().size(), as_list.state_dict().size());
        for (const auto& [key, t] : as_list.state_dict()) QCOMPARE(as_int.state_dict().at(key).shape, t.shape);
        const nn::LayerDeclaration* d = nn::find_layer_declaration("LayerNorm");
        QCOMPARE(d->constructor_text({{"normalized_shape", 8}}, {3, 8}), std::string("nn.LayerNorm([8])"));
        NN_EXPECT_ERROR(SpecError, build(5), "/root/children/0", "(3, 8)");
    }

    void build_errors_start_with_the_file_and_the_node() {
        // Errors found while building (a module's own checks) read as those found while reading:
        // "FILE: /json/path (...): reason", numbers the shortest way, the node named once.
        QTemporaryDir dir;
        const auto error_of = [&](const json& layer, const json& input_shape) {
            const std::string path = dir.filePath("m.json").toStdString();
            json doc = {{"format", "nnstudio.model"}, {"version", 1}, {"input", {{"shape", input_shape}}},
                        {"root", {{"type", "Sequential"}, {"children", {{{"type", "Sequential"}, {"children", {layer}}}}}}}};
            std::ofstream(path) << doc.dump();
            return test::error_of<SpecError>([&] { spec::build_model(spec::load_model_spec(path)); });
        };
        const QString file = dir.filePath("m.json") + ": /root/children/0/children/0 (";
        QString msg = error_of({{"type", "Hardtanh"}, {"min_val", 2}, {"max_val", 0.5}}, {4});
        QVERIFY2(msg.startsWith(file) && msg.contains("min_val=2 and max_val=0.5") && !msg.contains("000"), qPrintable(msg));
        QCOMPARE(msg.count("/root/children/0"), 1);
        msg = error_of({{"type", "PReLU"}, {"num_parameters", 3}}, {4});
        QVERIFY2(msg.startsWith(file) && msg.contains("num_parameters to 4 or 1"), qPrintable(msg));
        msg = error_of({{"type", "LayerNorm"}, {"normalized_shape", 5}}, {4});
        QVERIFY2(msg.startsWith(file) && msg.contains("LayerNorm"), qPrintable(msg));
    }
};

QTEST_APPLESS_MAIN(TestLayerDeclarations)
#include "tst_layer_declarations.moc"

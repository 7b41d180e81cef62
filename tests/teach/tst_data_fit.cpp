// Data-aware pitfalls: the shape peek_data_shape reports is the one load_data loads; a model whose
// input or output does not fit the chosen data is found while editing (before the Trainer refuses
// it), its fix makes the Trainer accept the model, and `nnstudio-cli check --data` reports the same.
#include "data/data_error.h"
#include "data/data_shape.h"
#include "data/fashion_mnist.h"
#include "error.h"
#include "teach/pitfall_fix.h"
#include "test_support.h"
#include "train/trainer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using nlohmann::json;

namespace {

// An MLP with `input` features: Linear(hidden) -> ReLU -> Linear(outputs), trained with `loss` on `data`.
spec::ModelSpec mlp(int64_t input, int64_t outputs, const std::string& data, const std::string& loss = "CrossEntropyLoss") {
    return spec::parse_model_spec(json{
        {"format", "nnstudio.model"}, {"version", 1}, {"name", "Probe"}, {"input", {{"shape", {input}}}},
        {"root", {{"type", "Sequential"}, {"children", {{{"type", "Linear"}, {"out_features", 16}}, {{"type", "ReLU"}},
                                                        {{"type", "Linear"}, {"out_features", outputs}}}}}},
        {"training", {{"data", data}, {"loss", loss}}}});
}

std::vector<teach::Finding> check(const spec::ModelSpec& s) {
    const train::TrainSetup setup = teach::training_setup_of(s);
    return teach::check_pitfalls(s, setup, {}, teach::data_shape_of(setup));
}

const teach::Finding* find(const std::vector<teach::Finding>& fs, const std::string& id) {
    for (const auto& f : fs)
        if (f.id == id) return &f;
    return nullptr;
}

// The Trainer's own check of the model against the loaded data: "" when it accepts the model.
QString trainer_refusal(const spec::ModelSpec& s) {
    const train::TrainSetup setup = teach::training_setup_of(s);
    const data::LoadedData loaded = data::load_data(data::parse_data_source(setup.data), train::data_options_for(setup));
    nn::Model model = spec::build_model(s);
    try {
        train::Trainer trainer(model, setup, loaded);
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

// `id` is found on `s` (the Trainer refuses it too); its fix leaves a model the Trainer accepts
// and no finding of the kind.
void expect_and_fix(spec::ModelSpec s, const std::string& id, const std::string& json_path, const QString& says) {
    QVERIFY(!trainer_refusal(s).isEmpty());
    const auto fs = check(s);
    const teach::Finding* f = find(fs, id);
    QVERIFY2(f, ("missing finding " + id).c_str());
    QCOMPARE(f->json_path, json_path);
    QCOMPARE(f->severity, teach::Severity::Error);
    QVERIFY2(QString::fromStdString(f->message).contains(says), f->message.c_str());
    QVERIFY(f->fix.has_value());
    teach::apply_fix(s, *f);
    QVERIFY(!find(check(s), id));
    QCOMPARE(trainer_refusal(s), QString());
}

}  // namespace

class TestDataFit : public QObject {
    Q_OBJECT

private slots:
    void peeked_shape_is_the_loaded_shape() {
        for (const std::string name : {"moons", "circles", "xor", "spirals", "blobs"}) {
            for (const int64_t classes : {0, 5}) {
                if (classes && (name == "moons" || name == "circles" || name == "xor")) continue;  // always 2
                train::TrainSetup setup;
                setup.data = name;
                setup.synthetic.classes = classes;
                const auto peeked = teach::data_shape_of(setup);
                const data::LoadedData loaded = data::load_data(data::parse_data_source(name), train::data_options_for(setup));
                QVERIFY(peeked.has_value());
                QCOMPARE(peeked->input_shape, loaded.input_shape);
                QCOMPARE(peeked->num_classes, loaded.num_classes);
            }
        }
        train::TrainSetup fashion;
        const auto f = teach::data_shape_of(fashion);  // known without its files
        QCOMPARE(f->input_shape, (Shape{784}));
        QCOMPARE(f->num_classes, int64_t{10});
        if (data::fashion_mnist_available()) {
            const data::LoadedData loaded = data::load_data(data::parse_data_source("fashion-mnist"));
            QCOMPARE(f->input_shape, loaded.input_shape);
            QCOMPARE(f->num_classes, loaded.num_classes);
        }
        QTemporaryDir dir;
        const std::string csv = dir.filePath("three.csv").toStdString();
        std::ofstream(csv) << "a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,2\n1,1,1,0\n2,2,2,1\n";
        train::TrainSetup table;
        table.data = csv;
        const auto c = teach::data_shape_of(table);
        QCOMPARE(c->input_shape, data::load_data(data::parse_data_source(csv), train::data_options_for(table)).input_shape);
        QCOMPARE(c->num_classes, int64_t{0});  // unknown without reading every row: only the input is checked
        table.data = dir.filePath("missing.csv").toStdString();
        QVERIFY_THROWS_EXCEPTION(data::DataError, teach::data_shape_of(table));
    }

    void three_outputs_for_two_moons() {
        expect_and_fix(mlp(2, 3, "moons"), "data_output_mismatch", "/root/children/2", "2 classes");
    }

    void a_784_wide_input_for_2d_data() {
        expect_and_fix(mlp(784, 2, "moons"), "data_input_mismatch", "/input/shape", "(2,)");
    }

    void a_128_wide_output_for_10_classes() {
        spec::ModelSpec s = mlp(784, 128, "fashion-mnist");
        const auto fs = check(s);
        const teach::Finding* f = find(fs, "data_output_mismatch");
        QVERIFY(f);
        QVERIFY2(QString::fromStdString(f->message).contains("(128,)") && QString::fromStdString(f->message).contains("10 classes"),
                 f->message.c_str());
        teach::apply_fix(s, *f);
        QCOMPARE(spec::build_model(s).output_shape(), (Shape{10}));
        QVERIFY(check(s).empty());
        // The same on data that is always at hand: ten Gaussian blobs.
        spec::ModelSpec blobs = mlp(2, 128, "blobs");
        blobs.extra["training"]["classes"] = 10;
        blobs = spec::parse_model_spec(spec::to_json(blobs));
        expect_and_fix(blobs, "data_output_mismatch", "/root/children/2", "10 classes");
    }

    void the_message_names_the_loss() {
        const auto fs = check(mlp(2, 3, "moons", "MSELoss"));
        const teach::Finding* f = find(fs, "data_output_mismatch");
        QVERIFY(f);
        QVERIFY2(QString::fromStdString(f->message).contains("MSELoss compares the output with one-hot rows of 2 columns"),
                 f->message.c_str());
        QVERIFY(!find(check(mlp(2, 2, "moons")), "data_output_mismatch"));
        QVERIFY(teach::check_pitfalls(mlp(2, 3, "moons"), {}, {}).empty());  // without data: not checked
    }

    void cli_check_with_data() {
        QTemporaryDir dir;
        const QString model = dir.filePath("moons3.json"), fixed = dir.filePath("fixed.json");
        std::ofstream(model.toStdString()) << spec::to_json(mlp(784, 3, "fashion-mnist")).dump();
        test::CliResult r = test::run_cli({"check", model, "--data", "moons", "--fix", fixed});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("[error] data_input_mismatch at /input/shape") &&
                     r.out.contains("[error] data_output_mismatch at /root/children/2 (2)") && r.out.contains("wrote"),
                 qPrintable(r.out + r.err));
        r = test::run_cli({"check", fixed, "--data", "moons"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.trimmed() == "no pitfalls found", qPrintable(r.out + r.err));
        const spec::ModelSpec s = spec::load_model_spec(fixed.toStdString());
        QCOMPARE(s.input_shape, (Shape{2}));
        QCOMPARE(s.root.children[2].options["out_features"].get<int64_t>(), int64_t{2});
        r = test::run_cli({"check", model});  // without --data the widths are not checked
        QVERIFY2(!r.out.contains("data_"), qPrintable(r.out));
        r = test::run_cli({"check", model, "--data", "nosuchdata"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("nosuchdata"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestDataFit)
#include "tst_data_fit.moc"

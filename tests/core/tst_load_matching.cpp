// Importing weights that only partly fit: the fitting tensors are loaded bit-exactly, the
// missing/unexpected/mismatched keys are reported, and the others keep their values.
#include "nn/load_matching.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"

#include <QtTest>

using namespace nnstudio;

class TestLoadMatching : public QObject {
    Q_OBJECT

private slots:
    void loads_what_fits_and_reports_the_rest() {
        const spec::ModelSpec spec =
            spec::load_model_spec((test::source_dir() + "/resources/models/deep_mlp.json").toStdString());
        nn::Model source = spec::build_model(spec);
        spec::initialize_model(source, 1);
        nn::Model target = spec::build_model(spec);
        spec::initialize_model(target, 2);
        const StateDict before = target.state_dict();

        StateDict file;
        std::string dropped, reshaped;
        for (const auto& [key, t] : source.state_dict()) {
            if (dropped.empty() && key.find("bias") != std::string::npos) {
                dropped = key;  // missing from the file
                continue;
            }
            if (reshaped.empty() && key.find("weight") != std::string::npos && t.shape.size() == 2) {
                reshaped = key;  // wrong shape in the file
                TypedTensor wrong = t;
                wrong.shape = {t.shape[1], t.shape[0]};
                file.insert(key, wrong);
                continue;
            }
            file.insert(key, t);
        }
        file.insert("extra.weight", source.state_dict().entries().front().second);

        const nn::LoadReport r = nn::load_matching(target, file);
        QCOMPARE(r.missing, std::vector<std::string>{dropped});
        QCOMPARE(r.unexpected, std::vector<std::string>{"extra.weight"});
        QCOMPARE(r.mismatched.size(), size_t{1});
        QVERIFY(r.mismatched[0].find(reshaped) != std::string::npos);

        const StateDict after = target.state_dict();
        const StateDict src = source.state_dict();
        for (const auto& [key, t] : after) {
            const bool kept = key == dropped || key == reshaped;
            QVERIFY2(t.bytes == (kept ? before.find(key)->bytes : src.find(key)->bytes), key.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestLoadMatching)
#include "tst_load_matching.moc"

// Project files: a model + training setup + runs + weights path round trip exactly; a plain
// model file opens as a project (its "training" becomes the setup); bad files give errors that
// name the file and JSON path; nnstudio-cli reads a project wherever it takes a model.
#include "error.h"
#include "project/project.h"
#include "spec/model_spec.h"
#include "test_support.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace nnstudio;

namespace {

std::string model_path(const char* file) { return (test::source_dir() + "/resources/models/" + file).toStdString(); }

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

class TestProject : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void round_trip_keeps_everything() {
        project::Project p = project::load_project(model_path("deep_mlp.json"));
        QCOMPARE(p.training.epochs, 5);  // from deep_mlp.json's "training"
        QVERIFY(!p.model.extra.contains("training"));
        p.training.batch_size = 64;
        p.training.optimizer = {"SGD", {{"lr", 0.05}, {"momentum", 0.9}}};
        p.runs.push_back({"runs/a", "SGD lr 0.05", "completed", 3, 0.41, 0.853, 12.5});
        p.weights = "deep.weights.pth";
        project::save_project(path("p.nnsproj"), p);
        QVERIFY(project::is_project_file(path("p.nnsproj")));
        QVERIFY(!project::is_project_file(model_path("deep_mlp.json")));

        const project::Project q = project::load_project(path("p.nnsproj"));
        QCOMPARE(project::to_json(q), project::to_json(p));
        QCOMPARE(q.runs.size(), size_t{1});
        QCOMPARE(q.runs[0].test_accuracy, 0.853);
        QCOMPARE(q.training.batch_size, int64_t{64});
        QCOMPARE(q.weights, std::string("deep.weights.pth"));
        // The model file it stands for carries the setup under "training".
        const spec::ModelSpec m = project::model_with_training(q);
        QCOMPARE(m.extra["training"]["batch_size"].get<int64_t>(), int64_t{64});
    }

    void bad_files_name_file_and_path() {
        const auto load_error = [&](const std::string& text) {
            write_text(path("bad.nnsproj"), text);
            return test::error_of<SpecError>([&] { project::load_project(path("bad.nnsproj")); });
        };
        const std::string model = spec::to_json(spec::load_model_spec(model_path("simple_net.json"))).dump();
        QString e = load_error(R"({"format": "nnstudio.project", "version": 1, "model": )" + model + R"(, "extras": 1})");
        QVERIFY2(e.contains("bad.nnsproj") && e.contains("/extras") && e.contains("unknown key"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": 7, "model": )" + model + "}");
        QVERIFY2(e.contains("/version"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": "1", "model": )" + model + "}");
        QVERIFY2(e.contains("/version"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": 1})");
        QVERIFY2(e.contains("/model") && e.contains("missing"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": 1, "model": )" + model + R"(, "runs": [{"label": "x"}]})");
        QVERIFY2(e.contains("/runs/0/path"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": 1, "model": )" + model + R"(, "runs": [{"path": 3}]})");
        QVERIFY2(e.contains("/runs/0") && e.contains("type"), qPrintable(e));
        e = load_error(R"({"format": "nnstudio.project", "version": 1, "model": )" + model +
                       R"(, "training": {"epochs": "five"}})");
        QVERIFY2(e.contains("/training") && e.contains("epochs"), qPrintable(e));
        e = load_error("{\"format\": \"nnstudio.project\", ");
        QVERIFY2(e.contains("not valid JSON"), qPrintable(e));
        e = test::error_of<Error>([&] { project::load_project(path("missing.nnsproj")); });
        QVERIFY2(e.contains("missing.nnsproj") && e.contains("cannot open"), qPrintable(e));
    }

    void cli_reads_projects() {
        project::Project p = project::load_project(model_path("residual_network.json"));
        project::save_project(path("res.nnsproj"), p);
        QProcess cli;
        cli.start(test::cli_path(), {"summary", QString::fromStdString(path("res.nnsproj"))});
        QVERIFY(cli.waitForFinished(60000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY2(out.contains("Total params: 470,794"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"

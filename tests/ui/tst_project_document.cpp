// ProjectDocument: open -> edit the setup -> save -> reopen gives the same project (runs, weights
// and their origin too); each edit emits its signal once and the dirty state follows; edits that
// change the model's layout drop the weights; the setup panel and the main window edit and show the
// document; and nnstudio-cli reads the project file the document wrote.
#include "app/main_window.h"
#include "document/model_document.h"
#include "document/project_document.h"
#include "error.h"
#include "io/tensor_file.h"
#include "project/project.h"
#include "spec/model_builder.h"
#include "spec/model_init.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "training/training_setup_panel.h"

#include <QFile>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnstudio;
using namespace nnstudio::ui;

namespace {

QString spiral_model() { return test::source_dir() + "/resources/models/spiral_mlp.json"; }

StateDict initialised_weights(const spec::ModelSpec& spec, uint64_t seed) {
    nn::Model model = spec::build_model(spec);
    spec::initialize_model(model, seed);
    return model.state_dict();
}

project::RunRecord a_run() { return {"runs/SpiralMLP-1", "Adam lr 0.02", "completed", 7, 0.25, 0.91, 3.5}; }

}  // namespace

class TestProjectDocument : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void open_edit_save_reopen_round_trip() {
        ProjectDocument doc;
        QVERIFY(doc.open(spiral_model()).isEmpty());
        QCOMPARE(doc.filePath(), QFileInfo(spiral_model()).absoluteFilePath());
        QVERIFY(!doc.isModified());
        QCOMPARE(doc.setup().epochs, 60);  // the model file's "training" became the project's setup

        train::TrainSetup setup = doc.setup();
        setup.epochs = 7;
        setup.seed = 11;
        setup.optimizer = {"SGD", {{"lr", 0.0123}, {"momentum", 0.9}}};
        doc.setSetup(setup);
        doc.addRun(a_run());
        const StateDict weights = initialised_weights(doc.model()->spec(), 5);
        doc.setWeights(weights, "trained in SpiralMLP-1");
        QVERIFY(doc.isModified());

        const QString path = m_dir.filePath("spirals.nnsproj");
        doc.save(path);
        QVERIFY(!doc.isModified());
        QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(QFile::exists(m_dir.filePath("spirals.weights.pth")));
        // The file is core's project format, read by core's reader.
        QVERIFY(project::is_project_file(path.toStdString()));
        const project::Project onDisk = project::load_project(path.toStdString());
        QCOMPARE(onDisk.weights, std::string("spirals.weights.pth"));

        ProjectDocument reopened;
        QVERIFY(reopened.open(path).isEmpty());
        QVERIFY(!reopened.isModified());
        QCOMPARE(project::to_json(reopened.toProject()).dump(), project::to_json(doc.toProject()).dump());
        QCOMPARE(reopened.setup().epochs, 7);
        QCOMPARE(reopened.setup().optimizer.options.value("lr", 0.0), 0.0123);
        QCOMPARE(reopened.runs().size(), size_t{1});
        QCOMPARE(reopened.runs().front().label, a_run().label);
        QCOMPARE(reopened.runs().front().test_accuracy, 0.91);
        QVERIFY(reopened.weights().has_value());
        QVERIFY(test::same_tensors(*reopened.weights(), weights));
        QCOMPARE(reopened.weightsOrigin(), QString("loaded with the project"));

        // A model file keeps the model and the setup, not the runs or the weights.
        const QString modelPath = m_dir.filePath("spirals_model.json");
        reopened.save(modelPath);
        ProjectDocument model;
        QVERIFY(model.open(modelPath).isEmpty());
        QCOMPARE(train::to_json(model.setup()).dump(), train::to_json(doc.setup()).dump());
        QVERIFY(model.runs().empty());
        QVERIFY(!model.weights().has_value());
    }

    void signals_fire_once_per_change() {
        ProjectDocument doc;
        QVERIFY(doc.open(spiral_model()).isEmpty());
        QSignalSpy setup(&doc, &ProjectDocument::setupChanged);
        QSignalSpy runs(&doc, &ProjectDocument::runsChanged);
        QSignalSpy weights(&doc, &ProjectDocument::weightsChanged);
        QSignalSpy dropped(&doc, &ProjectDocument::weightsDropped);
        QSignalSpy file(&doc, &ProjectDocument::filePathChanged);
        QSignalSpy modified(&doc, &ProjectDocument::modifiedChanged);

        train::TrainSetup s = doc.setup();
        s.batch_size = 64;
        doc.setSetup(s);
        QCOMPARE(setup.count(), 1);
        QCOMPARE(modified.count(), 1);
        QCOMPARE(modified.last().first().toBool(), true);
        doc.setSetup(s);  // the same setup again: no change
        QCOMPARE(setup.count(), 1);

        doc.addRun(a_run());
        QCOMPARE(runs.count(), 1);
        doc.setWeights(initialised_weights(doc.model()->spec(), 1), "imported from w.pth");
        QCOMPARE(weights.count(), 1);
        QCOMPARE(modified.count(), 1);  // already modified
        QCOMPARE(setup.count(), 1);
        QCOMPARE(file.count(), 0);

        // An edit that keeps the state_dict's layout keeps the weights; one that changes it drops them once.
        QVERIFY(doc.model()->setNodeName({1}, "relu1"));
        QCOMPARE(weights.count(), 1);
        QVERIFY(doc.weights().has_value());
        QVERIFY(doc.model()->setNodeOption({0}, "out_features", 32));
        QCOMPARE(weights.count(), 2);
        QCOMPARE(dropped.count(), 1);
        QVERIFY(!doc.weights().has_value());
        QVERIFY(doc.weightsOrigin().isEmpty());
        QVERIFY(doc.model()->setNodeOption({0}, "out_features", 16));
        QCOMPARE(dropped.count(), 1);  // nothing left to drop

        // Save: one modifiedChanged(false) and one filePathChanged.
        doc.save(m_dir.filePath("signals.nnsproj"));
        QCOMPARE(file.count(), 1);
        QCOMPARE(modified.count(), 2);
        QCOMPARE(modified.last().first().toBool(), false);

        // A model edit alone makes it modified; undoing it makes it clean again.
        doc.model()->undoStack()->undo();
        QCOMPARE(modified.count(), 3);
        QVERIFY(doc.isModified());
        doc.model()->undoStack()->redo();
        QCOMPARE(modified.count(), 4);
        QVERIFY(!doc.isModified());

        // Replacing the project: each part announces itself once; nothing is modified after.
        const int s0 = setup.count(), r0 = runs.count(), w0 = weights.count(), f0 = file.count();
        doc.setSetup(train::TrainSetup{});
        const int m0 = modified.count();
        doc.reset(project::Project{ModelDocument::emptyModel(), train::TrainSetup{}, {}, {}});
        QCOMPARE(setup.count(), s0 + 2);
        QCOMPARE(runs.count(), r0 + 1);
        QCOMPARE(weights.count(), w0 + 1);
        QCOMPARE(file.count(), f0 + 1);
        QCOMPARE(modified.count(), m0 + 1);
        QVERIFY(!doc.isModified());
        QVERIFY(doc.filePath().isEmpty());
        QVERIFY(doc.runs().empty());
    }

    void a_file_that_cannot_be_read_changes_nothing() {
        ProjectDocument doc;
        QVERIFY(doc.open(spiral_model()).isEmpty());
        const std::string before = project::to_json(doc.toProject()).dump();
        const QString bad = m_dir.filePath("bad.nnsproj");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "nnstudio.project", "version": 1, "model": 3})");
        f.close();
        QVERIFY_THROWS_EXCEPTION(Error, doc.open(bad));
        QCOMPARE(project::to_json(doc.toProject()).dump(), before);
        QCOMPARE(doc.filePath(), QFileInfo(spiral_model()).absoluteFilePath());

        // Weights that cannot be read: the project opens without them and says why.
        doc.setWeights(initialised_weights(doc.model()->spec(), 2), "imported");
        const QString path = m_dir.filePath("lost_weights.nnsproj");
        doc.save(path);
        QVERIFY(QFile::remove(m_dir.filePath("lost_weights.weights.pth")));
        ProjectDocument reopened;
        const QString problem = reopened.open(path);
        QVERIFY2(problem.contains("lost_weights.weights.pth"), qPrintable(problem));
        QVERIFY(!reopened.weights().has_value());
        QCOMPARE(reopened.model()->spec().name, std::string("SpiralMLP"));
    }

    void setup_panel_edits_the_document() {
        ProjectDocument doc;
        QVERIFY(doc.open(spiral_model()).isEmpty());
        TrainingSetupPanel panel(&doc);
        QSignalSpy setup(&doc, &ProjectDocument::setupChanged);
        QSpinBox* epochs = nullptr;  // the form's epochs: the spin box that goes up to 100000
        for (QSpinBox* box : panel.findChildren<QSpinBox*>())
            if (box->maximum() == 100000) epochs = box;
        QVERIFY(epochs);
        QCOMPARE(epochs->value(), 60);
        epochs->setValue(9);
        QCOMPARE(setup.count(), 1);
        QCOMPARE(doc.setup().epochs, 9);
        QVERIFY(doc.isModified());

        // An edit of the document elsewhere (a pitfall fix, Open) shows in the form.
        train::TrainSetup s = doc.setup();
        s.epochs = 4;
        doc.setSetup(s);
        QCOMPARE(epochs->value(), 4);
        QCOMPARE(setup.count(), 2);
        QCOMPARE(train::to_json(panel.setup()).dump(), train::to_json(doc.setup()).dump());
    }

    void the_window_shows_the_document() {
        QStandardPaths::setTestModeEnabled(true);  // autosave goes to a test location
        MainWindow w;
        w.openExample("spiral_mlp.json");
        QCOMPARE(w.project()->model(), w.document());
        QVERIFY(!w.isWindowModified());
        train::TrainSetup s = w.project()->setup();
        s.batch_size = 16;
        w.setupPanel()->setSetup(s);
        QCOMPARE(w.project()->setup().batch_size, int64_t{16});
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.currentProject().training.batch_size, int64_t{16});  // what Save writes and autosave keeps
        const QString path = m_dir.filePath("window.nnsproj");
        QString error;
        QVERIFY2(w.saveTo(path, &error), qPrintable(error));
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.currentFile(), QFileInfo(path).absoluteFilePath());
        QVERIFY(w.windowTitle().startsWith("window.nnsproj"));
        // A setup edited through the document (as a pitfall fix does) reaches the form and the title.
        s.epochs = 2;
        w.project()->setSetup(s);
        QVERIFY(w.isWindowModified());
        QCOMPARE(train::to_json(w.setupPanel()->setup()).dump(), train::to_json(s).dump());
    }

    void cli_reads_the_project_the_gui_wrote() {
        ProjectDocument doc;
        QVERIFY(doc.open(spiral_model()).isEmpty());
        train::TrainSetup setup = doc.setup();
        setup.epochs = 13;
        setup.batch_size = 48;
        setup.optimizer = {"SGD", {{"lr", 0.0375}, {"momentum", 0.5}}};
        doc.setSetup(setup);
        QVERIFY(doc.model()->setNodeOption({0}, "out_features", 40));
        doc.addRun(a_run());
        doc.setWeights(initialised_weights(doc.model()->spec(), 3), "imported");
        const QString path = m_dir.filePath("for_cli.nnsproj");
        doc.save(path);

        const test::CliResult summary = test::run_cli({"summary", path});
        QVERIFY2(summary.code == 0, qPrintable(summary.err));
        QVERIFY2(summary.out.contains("SpiralMLP"), qPrintable(summary.out));
        // The edited model: fc1 2->40, fc2 40->64, fc3 64->3: 80+40 + 2560+64 + 192+3 parameters.
        QVERIFY2(summary.out.contains("Total params: 2,939"), qPrintable(summary.out));

        const QString modelPy = m_dir.filePath("model.py"), trainPy = m_dir.filePath("train.py");
        const test::CliResult exported = test::run_cli({"export", path, "--to", modelPy, "--train-script", trainPy});
        QVERIFY2(exported.code == 0, qPrintable(exported.err));
        QFile script(trainPy);
        QVERIFY(script.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(script.readAll());
        QVERIFY2(text.contains("0.0375"), "train.py lacks the project's learning rate");
        QVERIFY2(text.contains("SGD"), "train.py lacks the project's optimizer");
        QVERIFY2(text.contains("13"), "train.py lacks the project's epochs");
        QFile module(modelPy);
        QVERIFY(module.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(module.readAll()).contains("nn.Linear(2, 40)"));
    }
};

QTEST_MAIN(TestProjectDocument)
#include "tst_project_document.moc"

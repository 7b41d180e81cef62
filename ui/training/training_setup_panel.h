// TrainingSetupPanel: the training dock's form — data, loss, optimizer and schedule,
// initializer, device, epochs/batch/seed/validation split — and the Start, Pause/Resume and Stop
// buttons. It edits the project's setup (ProjectDocument) and shows it; while the setup is not one
// the engine accepts, the reason is shown under the form and Start is disabled.
#pragma once
#include "train/train_setup.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace nnstudio::ui {

class CompactDoubleSpinBox;
class DataSourceEditor;
class InitEditor;
class OptimizerEditor;
class ProjectDocument;

class TrainingSetupPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingSetupPanel(ProjectDocument* project, QWidget* parent = nullptr);

    // The project's setup; setSetup() edits it (the form follows, as it does any edit of the setup).
    void setSetup(const train::TrainSetup& setup);
    const train::TrainSetup& setup() const;
    QString problem() const;  // empty when the setup is valid (as far as the form can tell)

    // Locks the form while a run is going; the middle button reads Pause or Resume.
    void setRunning(bool running, bool paused);

    DataSourceEditor* dataEditor() const { return m_data; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stopButton() const { return m_stop; }

signals:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stopRequested();

private:
    QWidget* buildForm();
    void showSetup(const train::TrainSetup& setup);
    train::TrainSetup formSetup() const;
    void revalidate();
    void onEdited();

    ProjectDocument* m_project;
    bool m_editing = false;    // the project's setup is changing because of this form's edit
    train::TrainSetup m_base;  // the setup last shown: fields the form does not show come from it
    DataSourceEditor* m_data;
    QComboBox* m_loss;
    CompactDoubleSpinBox* m_labelSmoothing;
    OptimizerEditor* m_optimizer;
    InitEditor* m_init;
    QComboBox* m_device;
    QSpinBox* m_epochs;
    QSpinBox* m_batchSize;
    QSpinBox* m_seed;
    CompactDoubleSpinBox* m_valSplit;
    QWidget* m_form;
    QLabel* m_problem;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_stop;
    bool m_running = false, m_paused = false;
};

}  // namespace nnstudio::ui

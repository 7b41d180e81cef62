// TrainingSetupPanel: layout of the training form, validation through the engine's own parser,
// and the run buttons.
#include "training/training_setup_panel.h"

#include "backend/registry.h"
#include "document/project_document.h"
#include "train/training_session.h"
#include "training/compact_spin_box.h"
#include "training/data_source_editor.h"
#include "training/init_editor.h"
#include "training/optimizer_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QVBoxLayout>
#include <exception>

namespace nnstudio::ui {
namespace {

QGroupBox* group(const QString& title, QWidget* content) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

QGroupBox* group(const QString& title, QLayout* content) {
    auto* box = new QGroupBox(title);
    box->setLayout(content);
    return box;
}

}  // namespace

TrainingSetupPanel::TrainingSetupPanel(ProjectDocument* project, QWidget* parent)
    : QWidget(parent),
      m_project(project),
      m_data(new DataSourceEditor),
      m_loss(new QComboBox),
      m_labelSmoothing(new CompactDoubleSpinBox(0, 0.99, 0)),
      m_optimizer(new OptimizerEditor),
      m_init(new InitEditor),
      m_device(new QComboBox),
      m_epochs(new QSpinBox),
      m_batchSize(new QSpinBox),
      m_seed(new QSpinBox),
      m_valSplit(new CompactDoubleSpinBox(0, 0.9, 0.1)),
      m_problem(new QLabel),
      m_start(new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Start"))),
      m_pause(new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"))),
      m_stop(new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"))) {
    m_form = buildForm();
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #b00020;");
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_start->setToolTip(tr("Train the current model with this setup"));
    m_pause->setToolTip(tr("Pause between two steps; Resume continues exactly where it paused"));
    m_stop->setToolTip(tr("Stop after the current step (the last finished epoch is checkpointed)"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_problem);
    layout->addLayout(buttons);

    connect(m_start, &QPushButton::clicked, this, &TrainingSetupPanel::startRequested);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_paused) emit resumeRequested();
        else emit pauseRequested();
    });
    connect(m_stop, &QPushButton::clicked, this, &TrainingSetupPanel::stopRequested);
    connect(m_data, &DataSourceEditor::changed, this, &TrainingSetupPanel::onEdited);
    connect(m_data, &DataSourceEditor::problemChanged, this, &TrainingSetupPanel::revalidate);
    connect(m_optimizer, &OptimizerEditor::changed, this, &TrainingSetupPanel::onEdited);
    connect(m_init, &InitEditor::changed, this, &TrainingSetupPanel::onEdited);
    connect(m_loss, &QComboBox::currentIndexChanged, this, [this] {
        m_labelSmoothing->setEnabled(m_loss->currentText() == "CrossEntropyLoss");
        onEdited();
    });
    connect(m_labelSmoothing, &QDoubleSpinBox::valueChanged, this, &TrainingSetupPanel::onEdited);
    for (QSpinBox* box : {m_epochs, m_batchSize, m_seed}) connect(box, &QSpinBox::valueChanged, this, &TrainingSetupPanel::onEdited);
    connect(m_valSplit, &QDoubleSpinBox::valueChanged, this, &TrainingSetupPanel::onEdited);
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainingSetupPanel::onEdited);

    connect(m_project, &ProjectDocument::setupChanged, this, [this] {
        if (!m_editing) showSetup(m_project->setup());  // an edit elsewhere: a pitfall fix, Open, New
    });
    showSetup(m_project->setup());
    setRunning(false, false);
}

QWidget* TrainingSetupPanel::buildForm() {
    m_loss->addItems({"CrossEntropyLoss", "NLLLoss", "MSELoss", "L1Loss", "BCEWithLogitsLoss"});
    m_loss->setToolTip(tr("NLLLoss expects log-probabilities (a LogSoftmax last layer); the others take raw outputs"));
    m_labelSmoothing->setToolTip(tr("CrossEntropyLoss only: share of the target spread over all classes"));
    auto* lossForm = new QFormLayout;
    lossForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    lossForm->addRow(tr("Loss"), m_loss);
    lossForm->addRow(tr("Label smoothing"), m_labelSmoothing);

    // The registry's devices (as `nnstudio-cli devices` lists them); one it lists but refuses is
    // shown disabled with the reason.
    const std::vector<DeviceInfo> devices = available_devices();
    for (const DeviceInfo& d : devices) {
        m_device->addItem(QString::fromStdString(d.device.str() + "  " + d.name), QString::fromStdString(d.device.str()));
        if (!d.usable)
            if (auto* model = qobject_cast<QStandardItemModel*>(m_device->model())) {
                QStandardItem* item = model->item(m_device->count() - 1);
                item->setEnabled(false);
                item->setToolTip(QString::fromStdString(d.note));
            }
    }
    m_device->setToolTip(devices.size() > 1 ? tr("Where the training computes")
                                            : tr("This build found no GPU to train on (see nnstudio-cli devices): NN Studio trains on the CPU"));
    m_epochs->setRange(1, 100000);
    m_batchSize->setRange(1, 1 << 20);
    m_batchSize->setToolTip(tr("Samples per optimizer step"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seeds the initial weights, the shuffling and the train/validation/test splits"));
    m_valSplit->setToolTip(tr("Share of the training set held out for validation (0 to 0.9)"));
    auto* runForm = new QFormLayout;
    runForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    runForm->addRow(tr("Device"), m_device);
    runForm->addRow(tr("Epochs"), m_epochs);
    runForm->addRow(tr("Batch size"), m_batchSize);
    runForm->addRow(tr("Seed"), m_seed);
    runForm->addRow(tr("Validation split"), m_valSplit);

    auto* form = new QWidget;
    auto* layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(group(tr("Data"), m_data));
    layout->addWidget(group(tr("Loss"), lossForm));
    layout->addWidget(group(tr("Optimizer"), m_optimizer));
    layout->addWidget(group(tr("Initialization"), m_init));
    layout->addWidget(group(tr("Run"), runForm));
    layout->addStretch(1);
    // Compact rows and group margins: the whole form, data preview included, fits the Training
    // dock of a 1080p screen without scrolling.
    for (QFormLayout* rows : form->findChildren<QFormLayout*>()) rows->setVerticalSpacing(3);
    for (QGroupBox* box : form->findChildren<QGroupBox*>()) box->layout()->setContentsMargins(8, 4, 8, 4);
    return form;
}

void TrainingSetupPanel::setSetup(const train::TrainSetup& setup) { m_project->setSetup(setup); }

const train::TrainSetup& TrainingSetupPanel::setup() const { return m_project->setup(); }

void TrainingSetupPanel::showSetup(const train::TrainSetup& setup) {
    m_base = setup;
    const QSignalBlocker blockers[] = {QSignalBlocker(m_loss), QSignalBlocker(m_labelSmoothing), QSignalBlocker(m_device),
                                       QSignalBlocker(m_epochs), QSignalBlocker(m_batchSize), QSignalBlocker(m_seed),
                                       QSignalBlocker(m_valSplit), QSignalBlocker(m_data), QSignalBlocker(m_optimizer),
                                       QSignalBlocker(m_init)};
    m_data->setSetup(setup);
    m_optimizer->setSetup(setup);
    m_init->setSetup(setup);
    m_loss->setCurrentText(QString::fromStdString(setup.loss.name));
    m_labelSmoothing->setValue(setup.loss.options.value("label_smoothing", 0.0));
    m_labelSmoothing->setEnabled(m_loss->currentText() == "CrossEntropyLoss");
    const int device = m_device->findData(QString::fromStdString(setup.device == "cuda" ? "cuda:0" : setup.device));
    m_device->setCurrentIndex(device >= 0 ? device : 0);  // a device this machine lacks: the CPU
    m_epochs->setValue(setup.epochs);
    m_batchSize->setValue(static_cast<int>(std::clamp<int64_t>(setup.batch_size, 1, 1 << 20)));
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(setup.seed, std::numeric_limits<int>::max())));
    m_valSplit->setValue(setup.val_split);
    revalidate();
}

train::TrainSetup TrainingSetupPanel::formSetup() const {
    train::TrainSetup s = m_base;
    m_data->applyTo(s);
    m_optimizer->applyTo(s);
    m_init->applyTo(s);
    const std::string loss = m_loss->currentText().toStdString();
    nlohmann::json lossOptions = loss == m_base.loss.name ? m_base.loss.options : nlohmann::json::object();
    if (loss == "CrossEntropyLoss" && (m_labelSmoothing->value() > 0 || lossOptions.contains("label_smoothing")))
        lossOptions["label_smoothing"] = m_labelSmoothing->value();
    s.loss = {loss, lossOptions};
    s.device = m_device->currentData().toString().toStdString();
    s.epochs = m_epochs->value();
    s.batch_size = m_batchSize->value();
    s.seed = static_cast<uint64_t>(m_seed->value());
    s.val_split = m_valSplit->value();
    return s;
}

QString TrainingSetupPanel::problem() const { return m_problem->text(); }

void TrainingSetupPanel::onEdited() {
    m_editing = true;
    m_project->setSetup(formSetup());
    m_editing = false;
    revalidate();
}

// The engine's parser is the one source of truth for valid options (SGD's nesterov needs
// momentum, ranges, ...); the data editor adds what only the file system can tell.
void TrainingSetupPanel::revalidate() {
    QString problem = m_data->problem();
    if (problem.isEmpty()) {
        try {
            train::check_train_setup(setup());
        } catch (const std::exception& e) {
            problem = QString::fromStdString(e.what());
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    setRunning(m_running, m_paused);
}

void TrainingSetupPanel::setRunning(bool running, bool paused) {
    m_running = running;
    m_paused = running && paused;
    m_form->setEnabled(!running);
    m_start->setEnabled(!running && m_problem->text().isEmpty());
    m_pause->setEnabled(running);
    m_pause->setText(m_paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(style()->standardIcon(m_paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_stop->setEnabled(running);
}

}  // namespace nnstudio::ui

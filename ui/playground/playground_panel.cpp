// PlaygroundPanel: lays out the pictures and controls, forwards the controls to the session and
// polls its mailbox on a timer (the worker never calls into the GUI thread).
#include "playground/playground_panel.h"

#include "error.h"
#include "playground/decision_boundary_view.h"
#include "playground/neuron_pictures_view.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>
#include <cmath>

namespace nnstudio::ui {
namespace {

QComboBox* numberBox(const std::vector<double>& values, const QString& zeroText = {}) {
    auto* box = new QComboBox;
    for (double v : values) box->addItem(v == 0 && !zeroText.isEmpty() ? zeroText : QString::number(v), v);
    return box;
}

// Selects `value` in `box`, adding it in order when the list does not have it (a setup's own lr).
void selectNumber(QComboBox* box, double value) {
    const QSignalBlocker block(box);
    int insert_at = box->count();
    for (int i = 0; i < box->count(); ++i) {
        const double v = box->itemData(i).toDouble();
        if (std::abs(v - value) <= 1e-12 * std::max(1.0, std::abs(value))) {
            box->setCurrentIndex(i);
            return;
        }
        if (v > value && v > 0 && insert_at == box->count()) insert_at = i;
    }
    box->insertItem(insert_at, QString::number(value), value);
    box->setCurrentIndex(insert_at);
}

}  // namespace

PlaygroundPanel::PlaygroundPanel(QWidget* parent) : QWidget(parent) {
    m_boundary = new DecisionBoundaryView;
    m_neurons = new NeuronPicturesView;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_neurons);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_play = new QPushButton(tr("Play"));
    m_step = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"));
    m_reset = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
    m_play->setToolTip(tr("Train continuously at the chosen speed; again to pause"));
    m_step->setToolTip(tr("One optimizer step on the next mini-batch"));
    m_reset->setToolTip(tr("New random weights and a fresh optimizer"));
    m_speed = new QComboBox;
    for (double v : {1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0}) m_speed->addItem(tr("%1 steps/s").arg(v), v);
    m_speed->addItem(tr("as fast as possible"), 0.0);
    m_speed->setCurrentIndex(4);
    m_lr = numberBox({1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10});
    m_weightDecay = numberBox({0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1}, tr("none"));
    m_noise = new QDoubleSpinBox;
    m_noise->setRange(0, 5);
    m_noise->setSingleStep(0.05);
    m_noise->setDecimals(2);
    m_noise->setKeyboardTracking(false);
    m_lr->setToolTip(tr("The optimizer's lr, changed between two steps"));
    m_weightDecay->setToolTip(tr("The optimizer's weight_decay (L2 regularisation), changed between two steps"));
    m_noise->setToolTip(tr("The data set's noise: the same samples, regenerated"));
    m_stats = new QLabel;
    m_stats->setWordWrap(true);
    m_stats->setTextFormat(Qt::RichText);
    m_stats->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    for (QPushButton* b : {m_play, m_step, m_reset}) buttons->addWidget(b);
    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Speed"), m_speed);
    form->addRow(tr("Learning rate"), m_lr);
    form->addRow(tr("Weight decay"), m_weightDecay);
    form->addRow(tr("Noise"), m_noise);
    auto* controls = new QWidget;
    auto* column = new QVBoxLayout(controls);
    column->setContentsMargins(0, 0, 0, 0);
    column->addLayout(buttons);
    column->addLayout(form);
    column->addWidget(m_stats, 1);
    controls->setFixedWidth(250);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_boundary, 3);
    layout->addWidget(scroll, 4);
    layout->addWidget(controls);

    connect(m_play, &QPushButton::clicked, this, [this] {
        if (!m_session) return;
        if (m_session->isPlaying()) m_session->pause();
        else m_session->play();
        updatePlayButton();
    });
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (!m_session) return;
        m_session->singleStep();
        updatePlayButton();
    });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        if (!m_session) return;
        m_session->reset();
        updatePlayButton();
    });
    applyComboNumber(m_speed, [this](double v) { m_session->setSpeed(v); });
    applyComboNumber(m_lr, [this](double v) { m_session->setLearningRate(v); });
    applyComboNumber(m_weightDecay, [this](double v) { m_session->setWeightDecay(v); });
    connect(m_noise, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (m_session) m_session->setNoise(v);
    });

    m_poll.setInterval(30);
    connect(&m_poll, &QTimer::timeout, this, &PlaygroundPanel::pollFrame);
    clear(tr("Choose a 2-D data set (spirals, moons, circles, xor, blobs) in the Training setup"));
}

PlaygroundPanel::~PlaygroundPanel() = default;

void PlaygroundPanel::applyComboNumber(QComboBox* box, const std::function<void(double)>& apply) {
    connect(box, &QComboBox::currentIndexChanged, this, [this, box, apply](int i) {
        if (m_session && i >= 0) apply(box->itemData(i).toDouble());
    });
}

void PlaygroundPanel::setSource(const spec::ModelSpec& spec, const spec::FlagValues& flags, const train::TrainSetup& setup) {
    std::string key = spec::to_json(spec).dump() + train::to_json(setup).dump();
    for (const auto& [name, on] : flags) key += name + (on ? "1" : "0");
    if (key == m_sourceKey && m_session) return;
    m_session.reset();
    m_frame.reset();
    try {
        m_session = std::make_unique<PlaygroundSession>(spec, flags, setup);
    } catch (const std::exception& e) {
        clear(tr("The playground cannot run this model and setup:\n%1").arg(QString::fromStdString(e.what())));
        m_sourceKey = key;
        return;
    }
    m_sourceKey = key;
    m_session->setSpeed(m_speed->currentData().toDouble());
    m_neurons->setFrame(nullptr);
    m_boundary->setMessage(tr("Evaluating the grid…"));
    syncControls();
    for (QWidget* w : std::initializer_list<QWidget*>{m_play, m_step, m_reset, m_speed, m_lr, m_weightDecay, m_noise}) w->setEnabled(true);
    updatePlayButton();
    m_poll.start();
}

void PlaygroundPanel::clear(const QString& message) {
    m_poll.stop();
    m_session.reset();
    m_sourceKey.clear();
    m_frame.reset();
    m_boundary->setMessage(message);
    m_neurons->setFrame(nullptr);
    m_stats->clear();
    for (QWidget* w : std::initializer_list<QWidget*>{m_play, m_step, m_reset, m_speed, m_lr, m_weightDecay, m_noise}) w->setEnabled(false);
    updatePlayButton();
}

void PlaygroundPanel::syncControls() {
    selectNumber(m_lr, m_session->learningRate());
    selectNumber(m_weightDecay, m_session->weightDecay());
    const QSignalBlocker block(m_noise);
    m_noise->setValue(m_session->noise());
}

void PlaygroundPanel::updatePlayButton() {
    const bool playing = m_session && m_session->isPlaying();
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void PlaygroundPanel::hideEvent(QHideEvent* event) {
    if (m_session) m_session->pause();
    updatePlayButton();
    QWidget::hideEvent(event);
}

void PlaygroundPanel::pollFrame() {
    if (!m_session) return;
    std::optional<PlaygroundFrame> f = m_session->takeFrame();
    if (!f) return;
    m_frame = std::make_shared<const PlaygroundFrame>(std::move(*f));
    if (m_frame->boundary.isNull()) m_boundary->setMessage(QString::fromStdString(m_frame->error));
    else m_boundary->setFrame(m_frame);
    m_neurons->setFrame(m_frame);
    const auto percent = [](double a) { return QString::number(100 * a, 'f', 1) + "%"; };
    QString text = tr("<b>Step %1</b> · epoch %2<br>Train: loss %3 · accuracy %4<br>Test: loss %5 · accuracy %6")
                       .arg(m_frame->step)
                       .arg(m_frame->epoch + 1)
                       .arg(m_frame->train_loss, 0, 'f', 4)
                       .arg(percent(m_frame->train_accuracy))
                       .arg(m_frame->test_loss, 0, 'f', 4)
                       .arg(percent(m_frame->test_accuracy));
    if (m_frame->steps_per_s > 0) text += tr("<br>%1 steps/s").arg(m_frame->steps_per_s, 0, 'f', 0);
    text += tr("<br><small>%1 training points (filled), %2 test points (ringed). Play trains this "
               "playground's own copy of the model; a run started in the Training dock is separate.</small>")
                .arg(m_frame->train_labels.size())
                .arg(m_frame->test_labels.size());
    if (!m_frame->error.empty()) text += "<br><font color='#c0392b'>" + QString::fromStdString(m_frame->error).toHtmlEscaped() + "</font>";
    m_stats->setText(text);
    updatePlayButton();
    emit frameShown();
}

}  // namespace nnstudio::ui

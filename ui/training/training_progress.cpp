// TrainingProgress: progress bar and one line of run status.
#include "training/training_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <cmath>

namespace nnstudio::ui {

TrainingProgress::TrainingProgress(QWidget* parent) : QWidget(parent), m_bar(new QProgressBar), m_label(new QLabel) {
    m_bar->setRange(0, 1000);
    m_bar->setFixedWidth(160);
    m_bar->setTextVisible(false);
    m_label->setMinimumWidth(260);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    reset();
}

QString TrainingProgress::formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "–";
    const qint64 s = std::llround(seconds);
    if (s >= 3600) return QString("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QString TrainingProgress::formatRate(double perSecond) {
    if (!std::isfinite(perSecond) || perSecond < 0) return "–";
    if (perSecond >= 1e6) return QString::number(perSecond / 1e6, 'f', 1) + "M";
    if (perSecond >= 1e3) return QString::number(perSecond / 1e3, 'f', 1) + "k";
    return QString::number(perSecond, 'f', 0);
}

void TrainingProgress::addSnapshot(const train::MetricsSnapshot& s) {
    const int64_t total = s.steps_per_epoch * s.epochs;
    if (total > 0) m_bar->setValue(static_cast<int>(1000 * std::min<int64_t>(s.step, total) / total));
    m_bar->setVisible(true);
    switch (s.kind) {
    case train::SnapshotKind::Step:
    case train::SnapshotKind::Epoch:
        if (!m_paused) m_eta.add(s.step, s.wall_s);
        m_latest = Latest{s.epoch, s.epochs, s.steps_per_epoch * s.epochs, s.samples_per_s};
        showRunning();
        break;
    case train::SnapshotKind::Finished:
        m_latest.reset();
        m_paused = false;
        if (s.status == train::RunStatus::Completed)
            m_label->setText((s.epochs == 1 ? tr("completed · 1 epoch in %1") : tr("completed · %1 epochs in %2").arg(s.epochs))
                                 .arg(formatDuration(s.wall_s)));
        else
            m_label->setText(tr("%1 · %2").arg(QString::fromStdString(train::to_string(s.status)), formatDuration(s.wall_s)));
        break;
    }
}

void TrainingProgress::showRunning() {
    if (!m_latest) {  // no step yet (loading data, or paused before the first step)
        if (m_paused) m_label->setText(tr("Paused before the first step (Resume starts the run)"));
        return;
    }
    const Latest& s = *m_latest;
    const QString epoch = tr("epoch %1/%2").arg(s.epoch + 1).arg(s.epochs);
    if (m_paused) {
        m_label->setText(tr("Paused · %1 (Resume continues the run)").arg(epoch));
        return;
    }
    QString text = tr("%1 · %2 samples/s").arg(epoch, formatRate(s.samples_per_s));
    const std::optional<double> left = m_eta.secondsLeft(s.totalSteps);
    text += left ? tr(" · ETA %1").arg(formatDuration(*left)) : tr(" · ETA estimating…");
    m_label->setText(text);
}

void TrainingProgress::setPaused(bool paused) {
    if (paused == m_paused) return;
    m_paused = paused;
    if (paused) m_eta.pause();
    showRunning();
}

void TrainingProgress::reset() {
    m_bar->setValue(0);
    m_bar->setVisible(false);
    m_label->clear();
    m_label->setToolTip({});
    m_eta.reset();
    m_latest.reset();
    m_paused = false;
}

void TrainingProgress::showMessage(const QString& text) {
    m_label->setText(text);
    m_label->setToolTip(text);
}

QString TrainingProgress::text() const { return m_label->text(); }

int TrainingProgress::percent() const { return m_bar->value() / 10; }

}  // namespace nnstudio::ui

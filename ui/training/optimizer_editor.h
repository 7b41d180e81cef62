// OptimizerEditor: optimizer (SGD, Adam, AdamW) with learning rate, momentum, nesterov, weight
// decay and betas, and the learning-rate schedule (none, StepLR, CosineAnnealingLR). Options the
// form does not show (eps, amsgrad, dampening, ...) are kept while the same optimizer stays chosen.
#pragma once
#include "train/train_setup.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QSpinBox;

namespace nnstudio::ui {

class CompactDoubleSpinBox;

class OptimizerEditor : public QWidget {
    Q_OBJECT
public:
    explicit OptimizerEditor(QWidget* parent = nullptr);

    void setSetup(const train::TrainSetup& setup);
    void applyTo(train::TrainSetup& setup) const;  // optimizer and scheduler

signals:
    void changed();

private:
    void updateVisibility();
    void onOptimizerChanged();

    QComboBox* m_optimizer;
    CompactDoubleSpinBox* m_lr;
    CompactDoubleSpinBox* m_momentum;
    QCheckBox* m_nesterov;
    CompactDoubleSpinBox* m_weightDecay;
    CompactDoubleSpinBox* m_beta1;
    CompactDoubleSpinBox* m_beta2;
    QComboBox* m_scheduler;
    QSpinBox* m_stepSize;
    CompactDoubleSpinBox* m_gamma;
    QSpinBox* m_tMax;
    CompactDoubleSpinBox* m_etaMin;
    QFormLayout* m_form;
    train::NamedOptions m_loadedOptimizer;  // as last set: its hidden options survive edits
};

}  // namespace nnstudio::ui

// OptimizerEditor: optimizer and scheduler widgets <-> TrainSetup.
#include "training/optimizer_editor.h"

#include "training/compact_spin_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

namespace nnstudio::ui {
namespace {

constexpr double kAdamWDefaultDecay = 0.01;  // torch.optim.AdamW's default

}  // namespace

OptimizerEditor::OptimizerEditor(QWidget* parent)
    : QWidget(parent),
      m_optimizer(new QComboBox),
      m_lr(new CompactDoubleSpinBox(1e-8, 10, 1e-3)),
      m_momentum(new CompactDoubleSpinBox(0, 0.9999, 0)),
      m_nesterov(new QCheckBox(tr("Nesterov momentum"))),
      m_weightDecay(new CompactDoubleSpinBox(0, 1, 0)),
      m_beta1(new CompactDoubleSpinBox(0, 0.9999, 0.9)),
      m_beta2(new CompactDoubleSpinBox(0, 0.999999, 0.999)),
      m_scheduler(new QComboBox),
      m_stepSize(new QSpinBox),
      m_gamma(new CompactDoubleSpinBox(0, 1, 0.1)),
      m_tMax(new QSpinBox),
      m_etaMin(new CompactDoubleSpinBox(0, 10, 0)),
      m_form(new QFormLayout(this)) {
    m_optimizer->addItems({"SGD", "Adam", "AdamW"});
    m_lr->setToolTip(tr("Learning rate"));
    m_nesterov->setToolTip(tr("Needs a momentum above 0"));
    m_weightDecay->setToolTip(tr("L2 penalty (SGD, Adam) or decoupled weight decay (AdamW)"));
    m_scheduler->addItem(tr("None (constant)"), "");
    m_scheduler->addItem("StepLR", "StepLR");
    m_scheduler->addItem("CosineAnnealingLR", "CosineAnnealingLR");
    m_stepSize->setRange(1, 100000);
    m_stepSize->setValue(10);
    m_stepSize->setSuffix(tr(" epochs"));
    m_gamma->setToolTip(tr("Factor applied to the learning rate every step size"));
    m_tMax->setRange(1, 100000);
    m_tMax->setValue(10);
    m_tMax->setSuffix(tr(" epochs"));
    m_etaMin->setToolTip(tr("Smallest learning rate of the cosine"));

    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Optimizer"), m_optimizer);
    m_form->addRow(tr("Learning rate"), m_lr);
    m_form->addRow(tr("Momentum"), m_momentum);
    m_form->addRow(QString(), m_nesterov);
    m_form->addRow(tr("Beta 1"), m_beta1);
    m_form->addRow(tr("Beta 2"), m_beta2);
    m_form->addRow(tr("Weight decay"), m_weightDecay);
    m_form->addRow(tr("LR schedule"), m_scheduler);
    m_form->addRow(tr("Step size"), m_stepSize);
    m_form->addRow(tr("Gamma"), m_gamma);
    m_form->addRow(tr("T_max"), m_tMax);
    m_form->addRow(tr("Minimum LR"), m_etaMin);

    connect(m_optimizer, &QComboBox::currentIndexChanged, this, &OptimizerEditor::onOptimizerChanged);
    connect(m_scheduler, &QComboBox::currentIndexChanged, this, [this] {
        updateVisibility();
        emit changed();
    });
    for (QDoubleSpinBox* box : {static_cast<QDoubleSpinBox*>(m_lr), static_cast<QDoubleSpinBox*>(m_momentum),
                                static_cast<QDoubleSpinBox*>(m_weightDecay), static_cast<QDoubleSpinBox*>(m_beta1),
                                static_cast<QDoubleSpinBox*>(m_beta2), static_cast<QDoubleSpinBox*>(m_gamma),
                                static_cast<QDoubleSpinBox*>(m_etaMin)})
        connect(box, &QDoubleSpinBox::valueChanged, this, &OptimizerEditor::changed);
    connect(m_stepSize, &QSpinBox::valueChanged, this, &OptimizerEditor::changed);
    connect(m_tMax, &QSpinBox::valueChanged, this, &OptimizerEditor::changed);
    connect(m_nesterov, &QCheckBox::toggled, this, &OptimizerEditor::changed);
    updateVisibility();
}

void OptimizerEditor::setSetup(const train::TrainSetup& setup) {
    const QSignalBlocker b1(m_optimizer), b2(m_scheduler);
    m_loadedOptimizer = setup.optimizer;
    const nlohmann::json& o = setup.optimizer.options;
    m_optimizer->setCurrentText(QString::fromStdString(setup.optimizer.name));
    m_lr->setValue(o.value("lr", 1e-3));
    m_momentum->setValue(o.value("momentum", 0.0));
    m_nesterov->setChecked(o.value("nesterov", false));
    m_weightDecay->setValue(o.value("weight_decay", setup.optimizer.name == "AdamW" ? kAdamWDefaultDecay : 0.0));
    const std::vector<double> betas = o.contains("betas") && o["betas"].is_array() && o["betas"].size() == 2
                                          ? o["betas"].get<std::vector<double>>()
                                          : std::vector<double>{0.9, 0.999};
    m_beta1->setValue(betas[0]);
    m_beta2->setValue(betas[1]);
    const std::string scheduler = setup.scheduler ? setup.scheduler->name : "";
    m_scheduler->setCurrentIndex(std::max(0, m_scheduler->findData(QString::fromStdString(scheduler))));
    if (setup.scheduler) {
        const nlohmann::json& s = setup.scheduler->options;
        m_stepSize->setValue(s.value("step_size", 10));
        m_gamma->setValue(s.value("gamma", 0.1));
        m_tMax->setValue(s.value("T_max", std::max(1, setup.epochs)));
        m_etaMin->setValue(s.value("eta_min", 0.0));
    }
    updateVisibility();
}

void OptimizerEditor::applyTo(train::TrainSetup& setup) const {
    const std::string name = m_optimizer->currentText().toStdString();
    nlohmann::json o = name == m_loadedOptimizer.name ? m_loadedOptimizer.options : nlohmann::json::object();
    o["lr"] = m_lr->value();
    o["weight_decay"] = m_weightDecay->value();
    if (name == "SGD") {
        o["momentum"] = m_momentum->value();
        o["nesterov"] = m_nesterov->isChecked();
    } else {
        o["betas"] = {m_beta1->value(), m_beta2->value()};
    }
    setup.optimizer = {name, o};
    const std::string scheduler = m_scheduler->currentData().toString().toStdString();
    if (scheduler.empty()) setup.scheduler.reset();
    else if (scheduler == "StepLR") setup.scheduler = train::NamedOptions{scheduler, {{"step_size", m_stepSize->value()}, {"gamma", m_gamma->value()}}};
    else setup.scheduler = train::NamedOptions{scheduler, {{"T_max", m_tMax->value()}, {"eta_min", m_etaMin->value()}}};
}

void OptimizerEditor::onOptimizerChanged() {
    // AdamW decays by default; SGD and Adam do not (PyTorch's defaults).
    const bool adamW = m_optimizer->currentText() == "AdamW";
    if (adamW && m_weightDecay->value() == 0) m_weightDecay->setValue(kAdamWDefaultDecay);
    if (!adamW && m_weightDecay->value() == kAdamWDefaultDecay) m_weightDecay->setValue(0);
    updateVisibility();
    emit changed();
}

void OptimizerEditor::updateVisibility() {
    const bool sgd = m_optimizer->currentText() == "SGD";
    m_form->setRowVisible(m_momentum, sgd);
    m_form->setRowVisible(m_nesterov, sgd);
    m_form->setRowVisible(m_beta1, !sgd);
    m_form->setRowVisible(m_beta2, !sgd);
    const QString scheduler = m_scheduler->currentData().toString();
    m_form->setRowVisible(m_stepSize, scheduler == "StepLR");
    m_form->setRowVisible(m_gamma, scheduler == "StepLR");
    m_form->setRowVisible(m_tMax, scheduler == "CosineAnnealingLR");
    m_form->setRowVisible(m_etaMin, scheduler == "CosineAnnealingLR");
}

}  // namespace nnstudio::ui

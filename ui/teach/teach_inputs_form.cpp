// TeachInputsForm: a compact QFormLayout of the three inputs.
#include "teach/teach_inputs_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>
#include <algorithm>

namespace nnstudio::ui {

TeachInputsForm::TeachInputsForm(QWidget* parent)
    : QWidget(parent), m_data(new QComboBox(this)), m_batch(new QSpinBox(this)), m_seed(new QSpinBox(this)) {
    m_data->addItem(tr("Random N(0,1) inputs"));
    m_data->setToolTip(tr("Run on batches of the training setup's data, or on N(0,1) inputs with random labels"));
    m_batch->setRange(1, 4096);
    m_batch->setValue(64);
    m_batch->setToolTip(tr("Samples in the batch"));
    m_seed->setRange(0, 1'000'000);
    m_seed->setToolTip(tr("Seed of the initialisation, Dropout and the batch"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Data"), m_data);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Seed"), m_seed);
}

void TeachInputsForm::setSetup(const train::TrainSetup& setup) {
    m_setupData = setup.data;
    const bool wasRandom = m_data->currentIndex() == 0;
    while (m_data->count() > 1) m_data->removeItem(1);
    if (!m_setupData.empty()) m_data->addItem(tr("Setup's data: %1").arg(QString::fromStdString(m_setupData)));
    m_data->setCurrentIndex(wasRandom || m_data->count() == 1 ? 0 : 1);
    m_batch->setValue(static_cast<int>(std::clamp<int64_t>(setup.batch_size, 1, m_batch->maximum())));
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(setup.seed, m_seed->maximum())));
}

void TeachInputsForm::setRandomInputs(bool random) { m_data->setCurrentIndex(random || m_data->count() == 1 ? 0 : 1); }
void TeachInputsForm::setBatchSize(int64_t batchSize) { m_batch->setValue(static_cast<int>(batchSize)); }
void TeachInputsForm::setSeed(uint64_t seed) { m_seed->setValue(static_cast<int>(seed)); }

std::string TeachInputsForm::dataSpec() const { return m_data->currentIndex() == 0 ? std::string() : m_setupData; }
int64_t TeachInputsForm::batchSize() const { return m_batch->value(); }
uint64_t TeachInputsForm::seed() const { return static_cast<uint64_t>(m_seed->value()); }

}  // namespace nnstudio::ui

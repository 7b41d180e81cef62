// TeachInputsForm: a compact QFormLayout of the three inputs.
#include "teach/teach_inputs_form.h"

#include "data/fashion_mnist.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>
#include <algorithm>

namespace nnstudio::ui {
namespace {

const QString kFashionMnist = "fashion-mnist";  // a data source spec (data/data_source.h)

}  // namespace

TeachInputsForm::TeachInputsForm(QWidget* parent)
    : QWidget(parent), m_data(new QComboBox(this)), m_batch(new QSpinBox(this)), m_seed(new QSpinBox(this)) {
    m_data->addItem(tr("N(0,1) noise, random labels"), QString());
    m_data->setToolTip(tr("Run on batches of real labelled data (the training setup's, or a Fashion-MNIST sample), or on "
                          "N(0,1) inputs with random labels: there is nothing to learn in those, training only memorises them"));
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
    connect(m_data, &QComboBox::activated, this, [this] { m_userChose = true; });
}

void TeachInputsForm::setSetup(const train::TrainSetup& setup) {
    m_setupData = setup.data;
    rebuildSources();
    m_batch->setValue(static_cast<int>(std::clamp<int64_t>(setup.batch_size, 1, m_batch->maximum())));
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(setup.seed, m_seed->maximum())));
}

void TeachInputsForm::setModelInputShape(const Shape& shape) {
    m_sampleFits = shape_numel(shape) == 28 * 28;
    rebuildSources();
}

// Random inputs, then the setup's data, then the Fashion-MNIST sample when the data set is
// installed and fits the model; keeps the chosen source when it is still offered.
void TeachInputsForm::rebuildSources() {
    const QString chosen = m_data->currentData().toString();
    while (m_data->count() > 1) m_data->removeItem(1);
    if (!m_setupData.empty())
        m_data->addItem(tr("Setup's data: %1").arg(QString::fromStdString(m_setupData)), QString::fromStdString(m_setupData));
    if (m_sampleFits && m_data->findData(kFashionMnist) < 0 && data::fashion_mnist_available())
        m_data->addItem(tr("Fashion-MNIST sample (real labels)"), kFashionMnist);
    if (m_preferLabelled && !m_userChose) selectLabelled();
    else m_data->setCurrentIndex(std::max(0, m_data->findData(chosen)));
}

void TeachInputsForm::setPreferLabelled(bool prefer) {
    m_preferLabelled = prefer;
    if (prefer && !m_userChose) selectLabelled();
}

// The setup's data when it has some (item 1), else the Fashion-MNIST sample, else random inputs.
void TeachInputsForm::selectLabelled() { m_data->setCurrentIndex(m_data->count() > 1 ? 1 : 0); }

void TeachInputsForm::setRandomInputs(bool random) {
    m_userChose = true;
    if (random) m_data->setCurrentIndex(0);
    else selectLabelled();
}
void TeachInputsForm::setBatchSize(int64_t batchSize) { m_batch->setValue(static_cast<int>(batchSize)); }
void TeachInputsForm::setSeed(uint64_t seed) { m_seed->setValue(static_cast<int>(seed)); }

std::string TeachInputsForm::dataSpec() const { return m_data->currentData().toString().toStdString(); }
int64_t TeachInputsForm::batchSize() const { return m_batch->value(); }
uint64_t TeachInputsForm::seed() const { return static_cast<uint64_t>(m_seed->value()); }

}  // namespace nnstudio::ui

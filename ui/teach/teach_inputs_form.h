// TeachInputsForm: the data source (the training setup's data, a Fashion-MNIST sample when the
// data set is installed, or random N(0,1) inputs with random labels), batch size and seed fields
// the teaching views share.
#pragma once
#include "teach/teach_inputs.h"
#include "train/train_setup.h"

#include <QWidget>

class QComboBox;
class QSpinBox;

namespace nnstudio::ui {

class TeachInputsForm : public QWidget {
    Q_OBJECT
public:
    explicit TeachInputsForm(QWidget* parent = nullptr);

    void setSetup(const train::TrainSetup& setup);  // its data source, batch size and seed
    // x: (B, *shape): the Fashion-MNIST sample is offered for 784 features (the data set installed).
    void setModelInputShape(const Shape& shape);
    void setRandomInputs(bool random);  // false: the labelled source setPreferLabelled picks
    // Until the user picks a source: labelled data (the setup's, else the Fashion-MNIST sample)
    // rather than random inputs, whose random labels teach nothing when training (the init lab).
    void setPreferLabelled(bool prefer);
    void setBatchSize(int64_t batchSize);
    void setSeed(uint64_t seed);

    std::string dataSpec() const;  // empty for random inputs
    int64_t batchSize() const;
    uint64_t seed() const;

private:
    void selectLabelled();
    void rebuildSources();

    QComboBox* m_data;  // item data: the data source spec ("" = random inputs)
    QSpinBox* m_batch;
    QSpinBox* m_seed;
    std::string m_setupData;  // "" when the setup has none
    bool m_sampleFits = false;
    bool m_preferLabelled = false;
    bool m_userChose = false;
};

}  // namespace nnstudio::ui

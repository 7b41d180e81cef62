// TeachInputsForm: the data source (the training setup's data or random N(0,1) inputs), batch
// size and seed fields the teaching views share.
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
    void setRandomInputs(bool random);
    void setBatchSize(int64_t batchSize);
    void setSeed(uint64_t seed);

    std::string dataSpec() const;  // empty for random inputs
    int64_t batchSize() const;
    uint64_t seed() const;

private:
    QComboBox* m_data;
    QSpinBox* m_batch;
    QSpinBox* m_seed;
    std::string m_setupData;
};

}  // namespace nnstudio::ui

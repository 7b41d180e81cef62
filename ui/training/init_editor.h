// InitEditor: the global initializer of a run — "as in the model file" or one torch.nn.init
// scheme (PyTorch default, xavier, kaiming, orthogonal, normal, uniform, constant, zeros, ones)
// with only the options that scheme takes.
#pragma once
#include "train/train_setup.h"

#include <QWidget>

class QComboBox;
class QFormLayout;

namespace nnstudio::ui {

class CompactDoubleSpinBox;

class InitEditor : public QWidget {
    Q_OBJECT
public:
    explicit InitEditor(QWidget* parent = nullptr);

    void setSetup(const train::TrainSetup& setup);
    void applyTo(train::TrainSetup& setup) const;  // setup.init (null: the model file's)

signals:
    void changed();

private:
    void updateVisibility();

    QComboBox* m_scheme;
    CompactDoubleSpinBox* m_gain;
    QComboBox* m_nonlinearity;
    QComboBox* m_mode;
    CompactDoubleSpinBox* m_slope;
    CompactDoubleSpinBox* m_mean;
    CompactDoubleSpinBox* m_std;
    CompactDoubleSpinBox* m_low;
    CompactDoubleSpinBox* m_high;
    CompactDoubleSpinBox* m_value;
    QComboBox* m_bias;
    QFormLayout* m_form;
};

}  // namespace nnstudio::ui

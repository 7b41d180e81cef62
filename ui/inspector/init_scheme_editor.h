// InitSchemeEditor: picks an initializer as the model file stores it — a scheme from
// init::init_scheme_names() with the options that scheme takes (gain; a, mode, nonlinearity;
// low/high; mean/std; value; bias init). The first entry means "no initializer here" (the
// model's default for a layer, PyTorch's default for the model).
#pragma once
#include <QWidget>
#include <functional>
#include <nlohmann/json.hpp>

class QComboBox;
class QFormLayout;

namespace nnstudio::ui {

class NumberSpinBox;

class InitSchemeEditor : public QWidget {
    Q_OBJECT
public:
    InitSchemeEditor(const QString& noSchemeLabel, QWidget* parent = nullptr);

    // Shows `scheme` (null: the first entry) without emitting schemeEdited.
    void setScheme(const nlohmann::json& scheme);

signals:
    // {"scheme": ..., options that differ from torch.nn.init's defaults}, or null.
    void schemeEdited(const nlohmann::json& scheme);

private:
    nlohmann::json currentScheme() const;
    void showRowsFor(const QString& scheme);

    QComboBox* m_scheme;
    QFormLayout* m_form;
    NumberSpinBox *m_gain, *m_a, *m_low, *m_high, *m_mean, *m_std, *m_value;
    QComboBox *m_mode, *m_nonlinearity, *m_bias;
};

}  // namespace nnstudio::ui

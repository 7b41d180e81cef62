// Short texts the canvas writes on a node: its key hyperparameters ("→ 128", "p 0.2"), shapes
// and parameter counts.
#pragma once
#include "spec/model_spec.h"

#include <QString>

namespace nnstudio::ui {

QString hyperparameterText(const spec::NodeSpec& node);  // "" when the node has none worth showing
QString shapeText(const Shape& shape);                    // "(256)"
QString parameterText(int64_t count);                     // "33,024 params"

}  // namespace nnstudio::ui

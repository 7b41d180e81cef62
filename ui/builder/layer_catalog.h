// LayerCatalog: every node type the builder offers, its category (palette group and colour) and
// the node a new one starts as (Linear out_features 128, Dropout p 0.5, a Residual with an empty
// body and ReLU after the add, a ModuleList repeating a Sequential twice, ...).
#pragma once
#include "spec/model_spec.h"

#include <QColor>
#include <QString>
#include <QStringList>

namespace nnstudio::ui {

enum class LayerCategory { Linear, Normalization, Activation, Regularization, Reshape, Block };

LayerCategory categoryOf(const QString& type);
QString categoryTitle(LayerCategory category);  // "Layers", "Activations", "Blocks"
// The palette's groups, in order, and the types in each.
QStringList paletteGroups();
QStringList typesInGroup(const QString& group);

// A fresh node of `type` with sensible defaults (unnamed: PyTorch numbers it).
spec::NodeSpec defaultNode(const QString& type);

// The category's accent colour (saturated; blended with the palette for fills).
QColor categoryColor(LayerCategory category);
// One line on what the type does, for tooltips.
QString typeDescription(const QString& type);

}  // namespace nnstudio::ui

// Pictures of a GridField, made where the field is (the playground's worker thread: QImage, unlike
// QPixmap, may be painted off the GUI thread): the decision map and one small map per neuron.
#pragma once
#include "playground/grid_field.h"

#include <QColor>
#include <QImage>

namespace nnstudio::ui {

// Class c's colour, the same as in the dataset preview and the per-class plots.
QColor classColor(int c);

// resolution x resolution, top row = highest y. A cell is its predicted class's colour, washed
// towards white as the confidence falls to chance (1/classes): a pale band is the boundary.
QImage decisionImage(const GridField& field);

// Neuron `neuron` of `layer` over the grid, on a diverging scale centred on 0 and scaled by the
// neuron's largest |activation|: orange below 0, white at 0, blue above (TensorFlow Playground's).
QImage neuronImage(const GridField& field, const HiddenField& layer, int64_t neuron);

}  // namespace nnstudio::ui

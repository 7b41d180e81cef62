// PlaygroundFrame: one picture of the playground's run, made on its worker thread and handed to
// the GUI thread whole — the grid, the points, the numbers and the weights it was computed from.
#pragma once
#include "data/normalization.h"
#include "playground/grid_field.h"
#include "tensor/typed_tensor.h"

#include <QImage>

#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio::ui {

struct PlaygroundFrame {
    int64_t step = 0;    // optimizer steps since the last reset
    int64_t epoch = 0;
    double train_loss = 0, test_loss = 0;  // over the whole training split / test set (eval mode)
    double train_accuracy = 0, test_accuracy = 0;
    double steps_per_s = 0;  // measured over the last second of play; 0 when paused
    GridField field;
    QImage boundary;                          // decisionImage(field)
    std::vector<std::vector<QImage>> neurons;  // [hidden layer][neuron]: neuronImage(field, ...)
    std::vector<float> train_points, test_points;  // (N, 2) row-major, data coordinates
    std::vector<int32_t> train_labels, test_labels;
    StateDict weights;   // the model the field was computed with
    data::Normalization normalization;  // what the model's inputs (points and grid) go through
    std::string error;   // a step that failed (non-finite loss): the run paused with this message
};

}  // namespace nnstudio::ui

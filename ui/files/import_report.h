// ImportReport: what File ▸ Import weights did, key by key — a heading that says truthfully how
// much was imported, which checkpoint entry and prefix were used, and one row per key.
#pragma once
#include "io/tensor_file.h"
#include "nn/import_weights.h"

#include <QString>
#include <vector>

namespace nnstudio::ui {

struct ImportRow {
    enum class Status { Matched, Missing, Unexpected, ShapeMismatch };
    Status status;
    QString key;         // the model's state_dict key (the file's, after the prefix was removed)
    QString modelShape;  // "float32 (64, 784)"; empty for an unexpected key
    QString fileShape;   // empty for a missing key
};
QString statusName(ImportRow::Status status);  // "matched", "missing", "unexpected", "shape mismatch"

struct ImportReport {
    QString fileName;
    QString source;  // the weight finder's note (entry, prefix); empty: a bare state_dict as it is
    int modelTensors = 0;
    int imported = 0;             // model tensors that took the file's values
    std::vector<ImportRow> rows;  // the model's keys in state_dict order, then the file's extra keys

    int count(ImportRow::Status status) const;
    // "Imported 9 of 9 tensors", "Imported 3 of 9 tensors: 6 keep their values",
    // "Nothing was imported: no key matched" or "... every matching key has another shape".
    QString heading() const;
};

// Rows of an import that happened: `model_after` is the model's state_dict after it (shapes are
// unchanged by importing), `done` what nn::import_weights returned.
ImportReport importReport(const nn::WeightImport& done, const StateDict& model_after, const QString& fileName);

// Rows of an import that nn::import_weights refused because no key of the file is the model's:
// every model key missing, every key of the weights the finder picked unexpected.
ImportReport noMatchReport(const StateDict& model, const io::TensorFile& file, const QString& fileName);

}  // namespace nnstudio::ui

// ImportReport: rows and heading from the weight finder's choice and load_matching's report.
#include "files/import_report.h"

#include "io/weight_finder.h"

#include <algorithm>

namespace nnstudio::ui {
namespace {

QString describe(const TypedTensor& t) {
    return QString::fromStdString(dtype_name(t.dtype) + " " + shape_to_string(t.shape));
}

bool contains(const std::vector<std::string>& items, const std::string& key) {
    return std::find(items.begin(), items.end(), key) != items.end();
}

// load_matching names a mismatch "mismatch for <key>: ...".
bool isMismatched(const nn::LoadReport& r, const std::string& key) {
    const std::string head = "mismatch for " + key + ":";
    return std::any_of(r.mismatched.begin(), r.mismatched.end(), [&](const std::string& m) { return m.starts_with(head); });
}

}  // namespace

QString statusName(ImportRow::Status status) {
    switch (status) {
    case ImportRow::Status::Matched: return "matched";
    case ImportRow::Status::Missing: return "missing";
    case ImportRow::Status::Unexpected: return "unexpected";
    case ImportRow::Status::ShapeMismatch: return "shape mismatch";
    }
    return {};
}

int ImportReport::count(ImportRow::Status status) const {
    return static_cast<int>(std::count_if(rows.begin(), rows.end(), [&](const ImportRow& r) { return r.status == status; }));
}

QString ImportReport::heading() const {
    if (imported == 0)
        return count(ImportRow::Status::ShapeMismatch) > 0 ? QString("Nothing was imported: every matching key has another shape")
                                                           : QString("Nothing was imported: no key matched");
    const QString done = QString("Imported %1 of %2 tensors").arg(imported).arg(modelTensors);
    const int kept = modelTensors - imported;
    if (kept == 0) return done;
    return done + (kept == 1 ? QString(": 1 keeps its value") : QString(": %1 keep their values").arg(kept));
}

ImportReport importReport(const nn::WeightImport& done, const StateDict& model_after, const QString& fileName) {
    ImportReport out;
    out.fileName = fileName;
    out.source = QString::fromStdString(done.found.note(fileName.toStdString()));
    out.modelTensors = static_cast<int>(done.model_tensors);
    out.imported = static_cast<int>(done.imported);
    const nn::LoadReport& r = done.report;
    for (const auto& [key, mine] : model_after) {
        const TypedTensor* theirs = done.found.tensors.find(key);
        ImportRow row{ImportRow::Status::Matched, QString::fromStdString(key), describe(mine),
                      theirs ? describe(*theirs) : QString()};
        if (contains(r.missing, key)) row.status = ImportRow::Status::Missing;
        else if (isMismatched(r, key)) row.status = ImportRow::Status::ShapeMismatch;
        // A BatchNorm counter the file lacks is set by PyTorch's load rule (load_rules.h): matched.
        else if (!theirs) row.fileShape = "(set by the load rule)";
        out.rows.push_back(std::move(row));
    }
    for (const std::string& key : r.unexpected) {
        const TypedTensor* theirs = done.found.tensors.find(key);
        out.rows.push_back({ImportRow::Status::Unexpected, QString::fromStdString(key), QString(),
                            theirs ? describe(*theirs) : QString()});
    }
    return out;
}

ImportReport noMatchReport(const StateDict& model, const io::TensorFile& file, const QString& fileName) {
    std::vector<std::string> keys;
    for (const auto& [key, t] : model) keys.push_back(key);
    const io::FoundWeights found = io::find_weights(file, keys, {}, fileName.toStdString());
    ImportReport out;
    out.fileName = fileName;
    out.source = QString::fromStdString(found.note(fileName.toStdString()));
    out.modelTensors = static_cast<int>(keys.size());
    for (const auto& [key, mine] : model)
        out.rows.push_back({ImportRow::Status::Missing, QString::fromStdString(key), describe(mine), QString()});
    for (const auto& [key, theirs] : found.tensors)
        out.rows.push_back({ImportRow::Status::Unexpected, QString::fromStdString(key), QString(), describe(theirs)});
    return out;
}

}  // namespace nnstudio::ui

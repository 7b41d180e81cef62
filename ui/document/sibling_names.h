// Rules for node names: PyTorch attribute names (Python identifiers), unique among siblings
// (a Residual's projection counts as a sibling of its body).
#pragma once
#include "spec/model_spec.h"

#include <QSet>
#include <QString>
#include <optional>

namespace nnstudio::ui {

// Names used by the children of `parent`, leaving out the child at `exceptIndex`.
QSet<QString> siblingNames(const spec::NodeSpec& parent, std::optional<int> exceptIndex = std::nullopt);

// Why `name` cannot be used among `taken`, or "" when it can ("" itself means unnamed: fine).
QString nameProblem(const QString& name, const QSet<QString>& taken);

// `name` when free, else name_2, name_3, ... ("" stays "").
QString uniqueName(const QString& name, const QSet<QString>& taken);

}  // namespace nnstudio::ui

// Maps engine error messages back to the node at fault. SpecError messages start with the JSON
// path of the node in the model file ("/root/children/3/template (blocks.0, Residual): ...",
// "/root/children/0/out_features: expected ..."); this turns that path into a NodePath and keeps
// the reason a user reads under the node.
#pragma once
#include "document/node_path.h"

#include <QString>
#include <optional>
#include <string>

namespace nnstudio::ui {

// A JSON path split into the node it lies in and what follows inside that node.
struct JsonPathTarget {
    NodePath node;
    QString key;  // "" for the node itself; e.g. "out_features", "projection", "init.mode"
};

// "/root/children/3/template/children/0/p" -> {{3, 0, 0}, "p"}; nullopt outside "/root".
std::optional<JsonPathTarget> targetOfJsonPath(const QString& jsonPath);

struct ErrorLocation {
    std::optional<NodePath> node;  // nullopt: the error is about the model, not one node
    QString reason;                // the message without the node's JSON path
};

ErrorLocation locateError(const std::string& message);

}  // namespace nnstudio::ui

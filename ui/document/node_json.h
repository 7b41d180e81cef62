// One node (and its subtree) as model-file JSON: what the clipboard and drag and drop carry
// (MIME type kNodeMimeType) and what the palette's drags hold.
#pragma once
#include "spec/model_spec.h"

#include <QByteArray>
#include <nlohmann/json.hpp>

class QMimeData;

namespace nnstudio::ui {

inline constexpr const char* kNodeMimeType = "application/x-nnstudio-node";

nlohmann::json nodeToJson(const spec::NodeSpec& node);

// Parses a node as the model file would inside `context` (whose flags its `when` may name).
// Throws SpecError with a readable message.
spec::NodeSpec nodeFromJson(const nlohmann::json& json, const spec::ModelSpec& context);

// The node as kNodeMimeType (and its JSON as plain text, for pasting into an editor).
QMimeData* nodeMimeData(const spec::NodeSpec& node);
// The node JSON carried by `mime`, or null JSON when it carries none that parses as JSON.
nlohmann::json nodeJsonFromMime(const QMimeData* mime);

}  // namespace nnstudio::ui

// Validates a ModelSpec the way opening and training it would (parse, initializers, build with
// shape inference) and collects what the canvas shows per node: the error at fault, the
// inferred output shape and the parameter count — for every node before a shape error too.
#pragma once
#include "document/node_path.h"

#include <QMap>
#include <QString>

namespace nnstudio::ui {

struct NodeFacts {
    Shape outputShape;       // per sample
    int64_t parameters = 0;  // of one copy (a template counts once)
};

struct ValidationResult {
    QMap<NodePath, QString> nodeErrors;  // node -> reason
    QString modelError;                  // an error not tied to one node
    QMap<NodePath, NodeFacts> facts;     // nodes that exist with the flags' defaults and built (those before a shape error)
    bool ok() const { return nodeErrors.isEmpty() && modelError.isEmpty(); }
};

ValidationResult validateModel(const spec::ModelSpec& model);

}  // namespace nnstudio::ui

// NodeSelection: the node the user works on, shared by the canvas, the inspector and the palette.
// The root path {} means "the model itself" (nothing in it selected). After an edit or an undo
// the selection moves to the nearest node that still exists.
#pragma once
#include "document/node_path.h"

#include <QObject>

namespace nnstudio::ui {

class ModelDocument;

class NodeSelection : public QObject {
    Q_OBJECT
public:
    explicit NodeSelection(ModelDocument* document, QObject* parent = nullptr);

    const NodePath& path() const { return m_path; }
    void setPath(const NodePath& path);  // a path that does not exist selects its nearest existing node
    ModelDocument* document() const { return m_document; }

signals:
    void pathChanged(const NodePath& path);

private:
    NodePath nearestExisting(NodePath path) const;

    ModelDocument* m_document;
    NodePath m_path;
};

}  // namespace nnstudio::ui

// NodeSelection: follows the document so it never points at a node that is gone.
#include "document/node_selection.h"

#include "document/model_document.h"

namespace nnstudio::ui {

NodeSelection::NodeSelection(ModelDocument* document, QObject* parent) : QObject(parent), m_document(document) {
    connect(document, &ModelDocument::changed, this, [this] { setPath(m_path); });
}

void NodeSelection::setPath(const NodePath& path) {
    const NodePath existing = nearestExisting(path);
    if (existing == m_path) return;
    m_path = existing;
    emit pathChanged(m_path);
}

NodePath NodeSelection::nearestExisting(NodePath path) const {
    // Walk down as far as the path exists; a too-large last index becomes the parent's last child.
    NodePath result;
    const spec::NodeSpec* node = &m_document->spec().root;
    for (int index : path) {
        const auto& children = childrenOf(*node);
        if (children.empty() || index < 0) break;
        const int clamped = std::min(index, static_cast<int>(children.size()) - 1);
        result << clamped;
        node = &children[static_cast<size_t>(clamped)];
        if (clamped != index) break;
    }
    return result;
}

}  // namespace nnstudio::ui

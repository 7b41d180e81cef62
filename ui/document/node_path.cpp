// NodePath resolution in a ModelSpec tree.
#include "document/node_path.h"

#include <QStringList>

namespace nnstudio::ui {

bool isTemplateList(const spec::NodeSpec& node) {
    return node.type == "ModuleList" && !node.templ.empty();
}

bool acceptsChildren(const spec::NodeSpec& node) {
    return spec::is_container(node.type) && !isTemplateList(node);
}

const std::vector<spec::NodeSpec>& childrenOf(const spec::NodeSpec& node) {
    return isTemplateList(node) ? node.templ : node.children;
}

std::vector<spec::NodeSpec>& childrenOf(spec::NodeSpec& node) {
    return isTemplateList(node) ? node.templ : node.children;
}

const spec::NodeSpec* nodeAt(const spec::ModelSpec& model, const NodePath& path) {
    const spec::NodeSpec* node = &model.root;
    for (int index : path) {
        const auto& children = childrenOf(*node);
        if (index < 0 || index >= static_cast<int>(children.size())) return nullptr;
        node = &children[static_cast<size_t>(index)];
    }
    return node;
}

spec::NodeSpec* nodeAt(spec::ModelSpec& model, const NodePath& path) {
    return const_cast<spec::NodeSpec*>(nodeAt(static_cast<const spec::ModelSpec&>(model), path));
}

std::optional<NodePath> parentPath(const NodePath& path) {
    if (path.isEmpty()) return std::nullopt;
    return path.first(path.size() - 1);
}

bool isWithin(const NodePath& path, const NodePath& ancestor) {
    return path.size() >= ancestor.size() && path.first(ancestor.size()) == ancestor;
}

QString pathToString(const NodePath& path) {
    QStringList parts;
    for (int index : path) parts << QString::number(index);
    return parts.join('/');
}

std::optional<NodePath> pathFromString(const QString& text) {
    NodePath path;
    if (text.isEmpty()) return path;
    for (const QString& part : text.split('/')) {
        bool ok = false;
        const int index = part.toInt(&ok);
        if (!ok || index < 0) return std::nullopt;
        path << index;
    }
    return path;
}

}  // namespace nnstudio::ui

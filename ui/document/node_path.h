// NodePath: how the UI addresses a node of a spec::ModelSpec — the child indices walked from the
// root (the empty path is the root itself). A node's children are its `children`, except for a
// ModuleList with a template ("repeat N copies of one block"): that ModuleList has exactly one
// child, its template, at index 0 (so {3, 0, 2} is the third layer of the template of the root's
// fourth child).
#pragma once
#include "spec/model_spec.h"

#include <QString>
#include <QVector>
#include <optional>

namespace nnstudio::ui {

using NodePath = QVector<int>;

// True for a ModuleList that repeats a template (its only child is that template).
bool isTemplateList(const spec::NodeSpec& node);
// True when layers can be inserted among the node's children (Sequential, Residual, a ModuleList
// with explicit children); a template ModuleList holds exactly its one template.
bool acceptsChildren(const spec::NodeSpec& node);

// The node's children as addressed by NodePath (the template list for a template ModuleList).
const std::vector<spec::NodeSpec>& childrenOf(const spec::NodeSpec& node);
std::vector<spec::NodeSpec>& childrenOf(spec::NodeSpec& node);

// The node at `path`, or nullptr when the path does not exist in `model`.
const spec::NodeSpec* nodeAt(const spec::ModelSpec& model, const NodePath& path);
spec::NodeSpec* nodeAt(spec::ModelSpec& model, const NodePath& path);

// The parent's path; the root has none.
std::optional<NodePath> parentPath(const NodePath& path);
// True when `path` is `ancestor` or lies inside it.
bool isWithin(const NodePath& path, const NodePath& ancestor);

// "3/0/2" ("" for the root) and back; fromString returns nullopt for malformed text.
QString pathToString(const NodePath& path);
std::optional<NodePath> pathFromString(const QString& text);

}  // namespace nnstudio::ui

// ModelDocument: edits as whole-model snapshots on a QUndoStack, validated after every change.
#include "document/model_document.h"

#include "document/node_json.h"
#include "document/sibling_names.h"
#include "document/spec_edit_command.h"
#include "error.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <algorithm>

namespace nnstudio::ui {
namespace {

QString displayName(const spec::NodeSpec& node) {
    return QString::fromStdString(node.name.empty() ? node.type : node.name);
}

// The first `when` in the subtree that names a flag `model` does not declare ("" if none).
QString undeclaredFlag(const spec::NodeSpec& node, const spec::ModelSpec& model) {
    const std::string flag = !node.when.empty() && node.when[0] == '!' ? node.when.substr(1) : node.when;
    if (!flag.empty() && !model.has_flag(flag)) return QString::fromStdString(flag);
    for (const auto& child : childrenOf(node))
        if (QString missing = undeclaredFlag(child, model); !missing.isEmpty()) return missing;
    return {};
}

void dropFlagFromWhen(spec::NodeSpec& node, const std::string& flag) {
    if (node.when == flag || node.when == "!" + flag) node.when.clear();
    for (auto& child : childrenOf(node)) dropFlagFromWhen(child, flag);
}

// A node's own keys must still parse after an option edit (types, ranges, required keys).
QString optionProblem(const spec::NodeSpec& node, const spec::ModelSpec& model) {
    try {
        nodeFromJson(nodeToJson(node), model);
        return {};
    } catch (const std::exception& e) {
        QString message = QString::fromUtf8(e.what());
        message.remove("not a layer NN Studio can insert: ");
        return message;
    }
}

// Edits build nodes without a json_path (inserted) or keep the one they were read with (moved):
// the pitfall checker addresses nodes and fixes by it, so every change renumbers them from the tree.
void copyJsonPaths(spec::NodeSpec& to, const spec::NodeSpec& from) {
    to.json_path = from.json_path;
    for (size_t i = 0; i < to.children.size() && i < from.children.size(); ++i) copyJsonPaths(to.children[i], from.children[i]);
    for (size_t i = 0; i < to.templ.size() && i < from.templ.size(); ++i) copyJsonPaths(to.templ[i], from.templ[i]);
}

}  // namespace

ModelDocument::ModelDocument(QObject* parent) : QObject(parent), m_spec(emptyModel()) {
    m_undoStack.setUndoLimit(1000);
    m_undoAction = m_undoStack.createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_undoStack.createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    // Connected after the actions' own enabling, so read-only wins.
    connect(&m_undoStack, &QUndoStack::canUndoChanged, this, &ModelDocument::updateUndoActions);
    connect(&m_undoStack, &QUndoStack::canRedoChanged, this, &ModelDocument::updateUndoActions);
    connect(&m_undoStack, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
    replaceSpec(m_spec);  // validated, with fresh json paths
}

spec::ModelSpec ModelDocument::emptyModel() {
    spec::ModelSpec model;
    model.name = "Model";
    model.input_shape = {784};
    model.root.type = "Sequential";
    return model;
}

void ModelDocument::resetTo(const spec::ModelSpec& model) {
    m_undoStack.clear();
    replaceSpec(model);
    m_undoStack.setClean();
}

void ModelDocument::replaceSpec(const spec::ModelSpec& model) {
    m_spec = model;
    try {
        copyJsonPaths(m_spec.root, spec::parse_model_spec(spec::to_json(m_spec)).root);
    } catch (const std::exception&) {
        // A model that does not parse keeps its paths: validateModel reports why.
    }
    m_validation = validateModel(m_spec);
    emit changed();
}

void ModelDocument::setReadOnly(bool readOnly) {
    if (readOnly == m_readOnly) return;
    m_readOnly = readOnly;
    updateUndoActions();
    emit readOnlyChanged(readOnly);
}

void ModelDocument::updateUndoActions() {
    m_undoAction->setEnabled(!m_readOnly && m_undoStack.canUndo());
    m_redoAction->setEnabled(!m_readOnly && m_undoStack.canRedo());
}

bool ModelDocument::commit(const QString& text, spec::ModelSpec after, const QString& mergeKey) {
    m_undoStack.push(new SpecEditCommand(this, text, m_spec, std::move(after), mergeKey));
    return true;
}

bool ModelDocument::refuse(const QString& message, QString* error) {
    if (error) *error = message;
    emit editRefused(message);
    return false;
}

bool ModelDocument::refuseWhenReadOnly(QString* error) {
    if (!m_readOnly) return false;
    refuse(tr("The model is read-only while training runs: stop the training to edit it."), error);
    return true;
}

bool ModelDocument::insertNode(const NodePath& parent, int index, const spec::NodeSpec& node, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* target = nodeAt(m_spec, parent);
    if (!target) return refuse(tr("There is no block at %1 to insert into.").arg(pathToString(parent)), error);
    if (!acceptsChildren(*target))
        return refuse(spec::is_container(target->type)
                          ? tr("A ModuleList with a template repeats exactly one block: add layers inside "
                               "the template instead.")
                          : tr("A %1 has no children: layers go into Sequential, Residual or ModuleList blocks.")
                                .arg(QString::fromStdString(target->type)),
                      error);
    if (index < 0 || index > static_cast<int>(target->children.size()))
        return refuse(tr("Position %1 does not exist in that block.").arg(index), error);
    if (QString problem = nameProblem(QString::fromStdString(node.name), siblingNames(*target)); !problem.isEmpty())
        return refuse(problem, error);
    if (QString flag = undeclaredFlag(node, m_spec); !flag.isEmpty())
        return refuse(tr("The layer depends on the flag '%1', which this model does not declare: add the flag "
                         "first.").arg(flag),
                      error);
    spec::ModelSpec after = m_spec;
    auto& children = nodeAt(after, parent)->children;
    children.insert(children.begin() + index, node);
    return commit(tr("Insert %1").arg(displayName(node)), std::move(after));
}

bool ModelDocument::removeNode(const NodePath& path, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node) return refuse(tr("There is no layer at %1.").arg(pathToString(path)), error);
    if (path.isEmpty()) return refuse(tr("The root block cannot be removed."), error);
    const NodePath parent = *parentPath(path);
    if (isTemplateList(*nodeAt(m_spec, parent)))
        return refuse(tr("A ModuleList needs its template: remove the ModuleList itself, or convert the template."),
                      error);
    const QString name = displayName(*node);
    spec::ModelSpec after = m_spec;
    auto& children = nodeAt(after, parent)->children;
    children.erase(children.begin() + path.last());
    return commit(tr("Remove %1").arg(name), std::move(after));
}

bool ModelDocument::moveNode(const NodePath& from, const NodePath& toParent, int index, QString* error,
                             NodePath* movedTo) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, from);
    const spec::NodeSpec* target = nodeAt(m_spec, toParent);
    if (!node || !target) return refuse(tr("There is no layer or block at that place."), error);
    if (from.isEmpty()) return refuse(tr("The root block cannot be moved."), error);
    if (isWithin(toParent, from)) return refuse(tr("A block cannot be moved into itself."), error);
    const NodePath oldParent = *parentPath(from);
    if (isTemplateList(*nodeAt(m_spec, oldParent)))
        return refuse(tr("A ModuleList's template stays in its ModuleList: move the ModuleList instead."), error);
    if (!acceptsChildren(*target))
        return refuse(tr("Layers can only be moved into Sequential, Residual or explicit ModuleList blocks."), error);
    if (index < 0 || index > static_cast<int>(target->children.size()))
        return refuse(tr("Position %1 does not exist in that block.").arg(index), error);
    const bool sameParent = oldParent == toParent;
    if (sameParent && (index == from.last() || index == from.last() + 1)) {  // already there
        if (movedTo) *movedTo = from;
        return true;
    }
    const std::optional<int> self = sameParent ? std::optional<int>(from.last()) : std::nullopt;
    if (QString problem = nameProblem(QString::fromStdString(node->name), siblingNames(*target, self));
        !problem.isEmpty())
        return refuse(problem, error);

    spec::ModelSpec after = m_spec;
    auto& source = nodeAt(after, oldParent)->children;
    spec::NodeSpec moved = std::move(source[static_cast<size_t>(from.last())]);
    // Take the node out without invalidating `toParent`: a later sibling's path shifts by one.
    NodePath destination = toParent;
    if (destination.size() > oldParent.size() && isWithin(destination, oldParent) &&
        destination[oldParent.size()] > from.last())
        --destination[oldParent.size()];
    source.erase(source.begin() + from.last());
    if (sameParent && index > from.last()) --index;
    auto& children = nodeAt(after, destination)->children;
    children.insert(children.begin() + index, std::move(moved));
    if (movedTo) *movedTo = NodePath(destination) << index;
    return commit(tr("Move %1").arg(displayName(*node)), std::move(after));
}

bool ModelDocument::setNodeName(const NodePath& path, const QString& name, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node) return refuse(tr("There is no layer at %1.").arg(pathToString(path)), error);
    if (path.isEmpty() && !name.isEmpty())
        return refuse(tr("The root block is the model itself: rename the model instead."), error);
    const spec::NodeSpec& parent = path.isEmpty() ? *node : *nodeAt(m_spec, *parentPath(path));
    if (!path.isEmpty() && isTemplateList(parent) && !name.isEmpty())
        return refuse(tr("Template copies are named 0, 1, ... by PyTorch: a template has no name."), error);
    if (QString problem = nameProblem(name, path.isEmpty() ? QSet<QString>{} : siblingNames(parent, path.last()));
        !problem.isEmpty())
        return refuse(problem, error);
    if (node->name == name.toStdString()) return true;
    spec::ModelSpec after = m_spec;
    nodeAt(after, path)->name = name.toStdString();
    return commit(tr("Rename %1").arg(displayName(*node)), std::move(after), "name:" + pathToString(path));
}

bool ModelDocument::setNodeOption(const NodePath& path, const QString& key, const nlohmann::json& value,
                                  QString* error) {
    return editOption(path, key, value.is_null() ? std::nullopt : std::optional(value), error);
}

bool ModelDocument::setNodeOptionToNone(const NodePath& path, const QString& key, QString* error) {
    return editOption(path, key, nlohmann::json(), error);
}

bool ModelDocument::editOption(const NodePath& path, const QString& key, const std::optional<nlohmann::json>& value,
                               QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node) return refuse(tr("There is no layer at %1.").arg(pathToString(path)), error);
    static const QStringList structural = {"name", "type", "when", "children", "template", "repeat", "comment"};
    if (structural.contains(key)) return refuse(tr("'%1' is not a layer option.").arg(key), error);
    const std::string k = key.toStdString();
    spec::ModelSpec after = m_spec;
    spec::NodeSpec& edited = *nodeAt(after, path);
    if (value) edited.options[k] = *value;
    else edited.options.erase(k);
    if (edited.options == node->options) return true;
    if (QString problem = optionProblem(edited, m_spec); !problem.isEmpty()) return refuse(problem, error);
    return commit(tr("Set %1 of %2").arg(key, displayName(*node)), std::move(after),
                  "option:" + pathToString(path) + ":" + key);
}

bool ModelDocument::setNodeWhen(const NodePath& path, const QString& when, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node) return refuse(tr("There is no layer at %1.").arg(pathToString(path)), error);
    if (!when.isEmpty()) {
        if (path.isEmpty()) return refuse(tr("The root block always exists: it cannot be conditional."), error);
        if (isTemplateList(*nodeAt(m_spec, *parentPath(path))))
            return refuse(tr("A template always exists in its ModuleList: make the ModuleList conditional instead."),
                          error);
        const QString flag = when.startsWith('!') ? when.mid(1) : when;
        if (!m_spec.has_flag(flag.toStdString()))
            return refuse(tr("The flag '%1' is not declared: add it in the flags panel first.").arg(flag), error);
    }
    if (node->when == when.toStdString()) return true;
    spec::ModelSpec after = m_spec;
    nodeAt(after, path)->when = when.toStdString();
    return commit(when.isEmpty() ? tr("Make %1 unconditional").arg(displayName(*node))
                                 : tr("Make %1 depend on %2").arg(displayName(*node), when),
                  std::move(after));
}

bool ModelDocument::setRepeat(const NodePath& path, int64_t copies, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node || !isTemplateList(*node))
        return refuse(tr("Only a ModuleList with a template repeats (×N)."), error);
    if (copies < 0 || copies > 100000) return refuse(tr("A ModuleList repeats its template 0 to 100000 times."), error);
    if (node->repeat == copies) return true;
    spec::ModelSpec after = m_spec;
    nodeAt(after, path)->repeat = copies;
    return commit(tr("Repeat %1 × %2").arg(displayName(*node)).arg(copies), std::move(after),
                  "repeat:" + pathToString(path));
}

bool ModelDocument::convertContainer(const NodePath& path, const QString& type, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    static const QStringList convertible = {"Sequential", "Residual", "ModuleList"};
    if (!node || !acceptsChildren(*node) || !convertible.contains(type))
        return refuse(tr("Only Sequential, Residual and ModuleList blocks with children convert into one another."),
                      error);
    if (node->type == type.toStdString()) return true;
    spec::ModelSpec after = m_spec;
    spec::NodeSpec& edited = *nodeAt(after, path);
    edited.type = type.toStdString();
    edited.options.erase("after_add");  // Residual-only keys
    edited.options.erase("projection");
    return commit(tr("Convert %1 to %2").arg(displayName(*node), type), std::move(after));
}

bool ModelDocument::setFlagDefault(const QString& name, bool value, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    spec::ModelSpec after = m_spec;
    for (auto& [flag, current] : after.flags) {
        if (flag != name.toStdString()) continue;
        if (current == value) return true;
        current = value;
        return commit(tr("Set %1 to %2").arg(name, value ? "true" : "false"), std::move(after));
    }
    return refuse(tr("The model has no flag '%1'.").arg(name), error);
}

bool ModelDocument::addFlag(const QString& name, bool defaultValue, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    if (!spec::is_python_identifier(name.toStdString()))
        return refuse(tr("'%1' is not a Python identifier: flags become constructor arguments of the exported "
                         "class.").arg(name),
                      error);
    if (m_spec.has_flag(name.toStdString())) return refuse(tr("The flag '%1' already exists.").arg(name), error);
    spec::ModelSpec after = m_spec;
    after.flags.emplace_back(name.toStdString(), defaultValue);
    return commit(tr("Add flag %1").arg(name), std::move(after));
}

bool ModelDocument::removeFlag(const QString& name, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    if (!m_spec.has_flag(name.toStdString())) return refuse(tr("The model has no flag '%1'.").arg(name), error);
    spec::ModelSpec after = m_spec;
    std::erase_if(after.flags, [&](const auto& flag) { return flag.first == name.toStdString(); });
    dropFlagFromWhen(after.root, name.toStdString());
    return commit(tr("Remove flag %1").arg(name), std::move(after));
}

bool ModelDocument::setModelName(const QString& name, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    if (!spec::is_python_identifier(name.toStdString()))
        return refuse(tr("'%1' is not a Python identifier: the name becomes the exported PyTorch class.").arg(name),
                      error);
    if (m_spec.name == name.toStdString()) return true;
    spec::ModelSpec after = m_spec;
    after.name = name.toStdString();
    return commit(tr("Rename model to %1").arg(name), std::move(after), "model-name");
}

bool ModelDocument::setInputShape(const Shape& shape, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    if (shape.empty() || std::any_of(shape.begin(), shape.end(), [](int64_t d) { return d <= 0; }))
        return refuse(tr("The input shape needs at least one dimension, each a positive size (e.g. 784)."), error);
    if (m_spec.input_shape == shape) return true;
    spec::ModelSpec after = m_spec;
    after.input_shape = shape;
    return commit(tr("Set input shape"), std::move(after), "input-shape");
}

bool ModelDocument::setDefaultInit(const nlohmann::json& scheme, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    spec::ModelSpec after = m_spec;
    if (scheme.is_null()) after.init.erase("default");
    else if (scheme.is_object() || scheme.is_string()) after.init["default"] = scheme;
    else return refuse(tr("An initializer is a scheme name or {\"scheme\": ...}."), error);
    if (after.init == m_spec.init) return true;
    return commit(tr("Set default initializer"), std::move(after), "default-init");
}

bool ModelDocument::applySpec(const spec::ModelSpec& model, const QString& undoText, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    return commit(undoText, model);
}

ModelDocument::InsertionPoint ModelDocument::insertionPointAt(const NodePath& selection) const {
    const spec::NodeSpec* node = nodeAt(m_spec, selection);
    if (!node) return {{}, static_cast<int>(m_spec.root.children.size())};
    if (acceptsChildren(*node)) return {selection, static_cast<int>(node->children.size())};
    if (selection.isEmpty()) return {{}, 0};  // a root that takes no children: nothing can be inserted
    const NodePath parent = *parentPath(selection);
    if (isTemplateList(*nodeAt(m_spec, parent))) return insertionPointAt(parent);  // after the ModuleList
    return {parent, selection.last() + 1};
}

std::optional<NodePath> ModelDocument::insertRenamed(const NodePath& parent, int index, spec::NodeSpec node,
                                                     QString* error) {
    if (const spec::NodeSpec* target = nodeAt(m_spec, parent); target && !isTemplateList(*target))
        node.name = uniqueName(QString::fromStdString(node.name), siblingNames(*target)).toStdString();
    if (!insertNode(parent, index, node, error)) return std::nullopt;
    return NodePath(parent) << index;
}

std::optional<NodePath> ModelDocument::insertAtSelection(const NodePath& selection, spec::NodeSpec node,
                                                         QString* error) {
    const InsertionPoint point = insertionPointAt(selection);
    return insertRenamed(point.parent, point.index, std::move(node), error);
}

bool ModelDocument::copyNode(const NodePath& path, QString* error) {
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node || path.isEmpty()) return refuse(tr("Select a layer or block to copy."), error);
    QGuiApplication::clipboard()->setMimeData(nodeMimeData(*node));
    return true;
}

bool ModelDocument::cutNode(const NodePath& path, QString* error) {
    if (refuseWhenReadOnly(error)) return false;
    const spec::NodeSpec* node = nodeAt(m_spec, path);
    if (!node || path.isEmpty()) return refuse(tr("Select a layer or block to cut."), error);
    const spec::NodeSpec copy = *node;
    if (!removeNode(path, error)) return false;
    QGuiApplication::clipboard()->setMimeData(nodeMimeData(copy));
    return true;
}

std::optional<NodePath> ModelDocument::paste(const NodePath& selection, QString* error) {
    if (refuseWhenReadOnly(error)) return std::nullopt;
    const nlohmann::json json = nodeJsonFromMime(QGuiApplication::clipboard()->mimeData());
    if (json.is_null()) {
        refuse(tr("The clipboard holds no NN Studio layer."), error);
        return std::nullopt;
    }
    try {
        return insertAtSelection(selection, nodeFromJson(json, m_spec), error);
    } catch (const std::exception& e) {
        refuse(QString::fromUtf8(e.what()), error);
        return std::nullopt;
    }
}

QString ModelDocument::firstError() const {
    if (!m_validation.modelError.isEmpty() || m_validation.nodeErrors.isEmpty()) return m_validation.modelError;
    const auto first = m_validation.nodeErrors.constBegin();
    const spec::NodeSpec* node = nodeAt(m_spec, first.key());
    const QString where = !node ? QString() : first.key().isEmpty() ? QString::fromStdString(m_spec.name)
                                                                    : displayName(*node);
    return where + " (" + QString::fromStdString(node ? node->type : "") + "): " + first.value();
}

std::optional<NodeFacts> ModelDocument::factsAt(const NodePath& path) const {
    const auto it = m_validation.facts.find(path);
    if (it == m_validation.facts.end()) return std::nullopt;
    return *it;
}

bool ModelDocument::isPresent(const NodePath& path) const {
    const spec::NodeSpec* node = &m_spec.root;
    for (int i = 0;; ++i) {
        if (!node) return false;
        if (!node->when.empty()) {
            const bool negated = node->when[0] == '!';
            const std::string flag = negated ? node->when.substr(1) : node->when;
            const auto it = std::find_if(m_spec.flags.begin(), m_spec.flags.end(),
                                         [&](const auto& f) { return f.first == flag; });
            const bool value = it != m_spec.flags.end() && it->second;
            if (value == negated) return false;
        }
        if (i == path.size()) return true;
        const auto& children = childrenOf(*node);
        const int index = path[i];
        node = index >= 0 && index < static_cast<int>(children.size()) ? &children[static_cast<size_t>(index)] : nullptr;
    }
}

}  // namespace nnstudio::ui

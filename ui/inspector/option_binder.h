// OptionBinder: editor widgets for a node's type-specific options (spin boxes, check boxes,
// combos) in a form. A user's change is one setNodeOption edit on the document (typing in one
// box merges into one undo step); refresh() shows the document's values again (after an undo).
#pragma once
#include "document/node_path.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

class QFormLayout;
class QWidget;

namespace nnstudio::ui {

class ModelDocument;

class OptionBinder : public QObject {
public:
    // `report` receives the document's message when an edit is refused ("" after a good one).
    OptionBinder(ModelDocument* document, NodePath path, QFormLayout* form, std::function<void(QString)> report,
                 QObject* parent);

    // Adds an editor for every option `type` declares (bool: check box; int, float: spin box
    // with the declared range; enum: combo; int list: comma-separated text), or a Residual's
    // after_add and skip path ("projection"). Each editor's object name is the option's key.
    void addOptionsOf(const QString& type);
    void refresh();

private:
    // Each adds a row and returns its editor.
    QWidget* addInt(const std::string& key, const QString& label, int64_t fallback, int min, int max);
    QWidget* addNumber(const std::string& key, const QString& label, double fallback, double min, double max,
                       double step);
    QWidget* addBool(const std::string& key, const QString& label, bool fallback);
    // `noneLabel` non-empty: a first entry that removes the key.
    QWidget* addChoice(const std::string& key, const QString& label, const QStringList& choices,
                       const QString& fallback, const QString& noneLabel = {});
    QWidget* addNumberOrNone(const std::string& key, const QString& label, double fallback, double min, double max,
                             double step, const QString& noneLabel);
    QWidget* addIntList(const std::string& key, const QString& label);  // empty text: inferred (key removed)
    QWidget* addProjection();  // a Residual's skip path: identity, Linear, Linear without bias, Linear + BatchNorm
    nlohmann::json current(const std::string& key) const;  // the option's value, or null when unset
    void apply(const std::string& key, const nlohmann::json& value);

    ModelDocument* m_document;
    NodePath m_path;
    QFormLayout* m_form;
    std::function<void(QString)> m_report;
    QList<std::function<void()>> m_refreshers;
};

}  // namespace nnstudio::ui

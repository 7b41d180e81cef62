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

class QFormLayout;

namespace nnstudio::ui {

class ModelDocument;

class OptionBinder : public QObject {
public:
    // `report` receives the document's message when an edit is refused ("" after a good one).
    OptionBinder(ModelDocument* document, NodePath path, QFormLayout* form, std::function<void(QString)> report,
                 QObject* parent);

    // Adds the editors of every option of `type` (Linear: out_features, bias; Dropout: p; ...).
    void addOptionsOf(const QString& type);
    void refresh();

private:
    void addInt(const char* key, const QString& label, int64_t fallback, int min, int max);
    void addNumber(const char* key, const QString& label, double fallback, double min, double max, double step);
    void addBool(const char* key, const QString& label, bool fallback);
    // `noneLabel` non-empty: a first entry that removes the key.
    void addChoice(const char* key, const QString& label, const QStringList& choices, const QString& fallback,
                   const QString& noneLabel = {});
    void addNumberOrNone(const char* key, const QString& label, double fallback, const QString& noneLabel);
    nlohmann::json current(const char* key) const;  // the option's value, or null when unset
    void apply(const char* key, const nlohmann::json& value);

    ModelDocument* m_document;
    NodePath m_path;
    QFormLayout* m_form;
    std::function<void(QString)> m_report;
    QList<std::function<void()>> m_refreshers;
};

}  // namespace nnstudio::ui

// FlagsPanel: the model's conditional flags (the seed's use_batch_norm, use_dropout) as check
// boxes — toggling one sets its default (undoable), and the canvas greys out what it switches
// off — plus adding and removing flags.
#pragma once
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QVBoxLayout;

namespace nnstudio::ui {

class ModelDocument;

class FlagsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FlagsPanel(ModelDocument* document, QWidget* parent = nullptr);

    QString message() const;  // the last refusal ("" after a good edit)

private:
    void rebuild();
    void addFlagFromEditor();
    void report(const QString& error);

    ModelDocument* m_document;
    QVBoxLayout* m_list;
    QLineEdit* m_newName;
    QLabel* m_message;
    QStringList m_shownFlags;
};

}  // namespace nnstudio::ui

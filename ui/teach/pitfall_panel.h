// PitfallPanel: the pitfall checker, live. Re-lints the document's model (and the training setup,
// with the input/output widths checked against the chosen data) on every change and lists the findings; a finding's Fix applies its automatic fix as one
// undoable edit of the document (or, for a training-setup fix, reports the fixed setup);
// clicking a finding asks for its node to be selected.
#pragma once
#include "document/model_document.h"
#include "teach/pitfalls.h"

#include <QWidget>
#include <vector>

class QLabel;
class QVBoxLayout;

namespace nnstudio::ui {

class FindingCard;

class PitfallPanel : public QWidget {
    Q_OBJECT
public:
    explicit PitfallPanel(ModelDocument* document, QWidget* parent = nullptr);

    // Also reads the shape of the setup's data (cheap: teach::data_shape_of) for the width checks.
    void setSetup(const train::TrainSetup& setup);
    const std::vector<teach::Finding>& findings() const { return m_findings; }
    int count() const { return static_cast<int>(m_findings.size()); }
    // Applies findings()[index]'s fix (what its Fix button does); false with `error` filled when
    // it cannot (no automatic fix, the document is read-only, the fix does not validate).
    bool applyFix(int index, QString* error = nullptr);

signals:
    void nodeRequested(const NodePath& path);
    void countChanged(int count);
    // A fix of the training setup (batch size, loss): the owner of the setup applies it.
    void setupFixRequested(const train::TrainSetup& setup);

private:
    void relint();
    void select(int index);

    ModelDocument* m_document;
    train::TrainSetup m_setup;
    std::optional<data::DataShape> m_data;  // nullopt: unknown, or the data cannot be read (its editor says why)
    QString m_fixError;                     // the last Fix that could not be applied
    std::vector<teach::Finding> m_findings;
    std::vector<FindingCard*> m_cards;
    QLabel* m_status;
    QVBoxLayout* m_list;
};

}  // namespace nnstudio::ui

// PitfallPanel: check_pitfalls on every document change (cheap: it walks the spec), one
// FindingCard per finding; model fixes go through ModelDocument::applySpec (one undo step).
#include "teach/pitfall_panel.h"

#include "document/spec_error_location.h"
#include "error.h"
#include "teach/finding_card.h"
#include "teach/pitfall_fix.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nnstudio::ui {
namespace {

constexpr const char* kTrainingPrefix = "/training";

bool isSetupFix(const teach::Finding& finding) {
    return finding.fix && finding.fix->json_path.rfind(kTrainingPrefix, 0) == 0;
}

}  // namespace

PitfallPanel::PitfallPanel(ModelDocument* document, QWidget* parent) : QWidget(parent), m_document(document) {
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setContentsMargins(4, 4, 4, 4);
    auto* content = new QWidget;
    m_list = new QVBoxLayout(content);
    m_list->setContentsMargins(4, 0, 4, 4);
    m_list->addStretch();
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);
    connect(m_document, &ModelDocument::changed, this, [this] {
        m_fixError.clear();  // about the model as it was
        relint();
    });
    relint();
}

void PitfallPanel::setSetup(const train::TrainSetup& setup) {
    m_setup = setup;
    try {
        m_data = teach::data_shape_of(m_setup);
    } catch (const std::exception&) {
        m_data.reset();  // a missing or unreadable file: the data form shows the problem
    }
    relint();
}

void PitfallPanel::relint() {
    const int before = count();
    QString problem;
    try {
        m_findings = teach::check_pitfalls(m_document->spec(), m_setup, {}, m_data);
    } catch (const std::exception& e) {
        m_findings.clear();
        problem = QString::fromStdString(e.what());
    }
    for (FindingCard* card : m_cards) card->deleteLater();
    m_cards.clear();
    for (size_t i = 0; i < m_findings.size(); ++i) {
        auto* card = new FindingCard(m_findings[i]);
        const int index = static_cast<int>(i);
        connect(card, &FindingCard::clicked, this, [this, index] { select(index); });
        connect(card, &FindingCard::fixRequested, this, [this, index] {
            QString error;
            if (!applyFix(index, &error)) {
                m_fixError = error;
                relint();  // shows why
            }
        });
        m_list->insertWidget(index, card);
        m_cards.push_back(card);
    }
    if (!problem.isEmpty()) m_status->setText(tr("Cannot check this model: %1").arg(problem));
    else if (!m_fixError.isEmpty()) m_status->setText(tr("<span style='color:#b00020'>The fix could not be applied: %1</span>")
                                                          .arg(m_fixError.toHtmlEscaped()));
    else if (m_findings.empty()) m_status->setText(tr("<span style='color:#2e7d32'>✔ No pitfalls found</span> in the model and its training setup."));
    else m_status->setText(tr("%n pitfall(s) found: click one to select its layer.", nullptr, count()));
    if (count() != before) emit countChanged(count());
}

void PitfallPanel::select(int index) {
    for (size_t i = 0; i < m_cards.size(); ++i) m_cards[i]->setSelected(static_cast<int>(i) == index);
    const auto target = targetOfJsonPath(QString::fromStdString(m_findings[index].json_path));
    if (target) emit nodeRequested(target->node);
}

bool PitfallPanel::applyFix(int index, QString* error) {
    if (index < 0 || index >= count()) return false;
    const teach::Finding finding = m_findings[index];
    m_fixError.clear();
    try {
        if (isSetupFix(finding)) {
            nlohmann::json setup = train::to_json(m_setup);
            const std::string key = finding.fix->json_path.substr(std::string(kTrainingPrefix).size());
            setup[nlohmann::json::json_pointer(key)] = finding.fix->value;
            setSetup(train::parse_train_setup(setup));
            emit setupFixRequested(m_setup);
            return true;
        }
        spec::ModelSpec fixed = m_document->spec();
        teach::apply_fix(fixed, finding);
        return m_document->applySpec(fixed, tr("Fix: %1").arg(QString::fromStdString(finding.fix_description)), error);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

}  // namespace nnstudio::ui

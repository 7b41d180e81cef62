// FindingCard: a framed row with a coloured severity edge; clicking it selects the node.
#include "teach/finding_card.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace nnstudio::ui {
namespace {

QColor severityColour(teach::Severity severity) {
    switch (severity) {
    case teach::Severity::Error: return QColor(0xc6, 0x28, 0x28);
    case teach::Severity::Warning: return QColor(0xe6, 0x8a, 0x00);
    case teach::Severity::Info: return QColor(0x1e, 0x6f, 0xc8);
    }
    return Qt::gray;
}

QStyle::StandardPixmap severityIcon(teach::Severity severity) {
    switch (severity) {
    case teach::Severity::Error: return QStyle::SP_MessageBoxCritical;
    case teach::Severity::Warning: return QStyle::SP_MessageBoxWarning;
    case teach::Severity::Info: return QStyle::SP_MessageBoxInformation;
    }
    return QStyle::SP_MessageBoxInformation;
}

QLabel* wrapped(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::NoTextInteraction);
    return label;
}

}  // namespace

FindingCard::FindingCard(const teach::Finding& finding, QWidget* parent)
    : QFrame(parent), m_colour(severityColour(finding.severity)) {
    setObjectName("findingCard");
    setCursor(Qt::PointingHandCursor);
    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(severityIcon(finding.severity)).pixmap(20, 20));
    icon->setAlignment(Qt::AlignTop);

    const QString where = finding.layer_path.empty() ? QString::fromStdString(finding.json_path)
                                                     : QString::fromStdString(finding.layer_path);
    auto* title = wrapped(QString("<b style='color:%1'>%2</b> &nbsp;<span style='color:gray'>%3</span>")
                              .arg(m_colour.name(), QString::fromStdString(teach::to_string(finding.severity)), where.toHtmlEscaped()),
                          this);
    auto* message = wrapped(QString::fromStdString(finding.message), this);
    auto* fix = wrapped(QString("<i>%1</i>").arg(QString::fromStdString(finding.fix_description).toHtmlEscaped()), this);
    fix->setStyleSheet("color: #555;");

    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    text->addWidget(title);
    text->addWidget(message);
    text->addWidget(fix);
    if (finding.fix) {
        m_fixButton = new QPushButton(tr("Fix"), this);
        m_fixButton->setToolTip(QString::fromStdString(finding.fix_description));
        connect(m_fixButton, &QPushButton::clicked, this, &FindingCard::fixRequested);
        auto* row = new QHBoxLayout;
        row->addStretch();
        row->addWidget(m_fixButton);
        text->addLayout(row);
    }
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    setSelected(false);
}

void FindingCard::setSelected(bool selected) {
    setStyleSheet(QString("#findingCard { border: 1px solid %1; border-left: 4px solid %2; border-radius: 3px; background: %3; }")
                      .arg(selected ? m_colour.name() : "#d0d0d0", m_colour.name(), selected ? "#eef4fc" : "palette(base)"));
}

void FindingCard::mousePressEvent(QMouseEvent* event) {
    QFrame::mousePressEvent(event);
    emit clicked();
}

}  // namespace nnstudio::ui

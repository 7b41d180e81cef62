// LayerPalette: filter box and a grouped list whose drags carry the new node's JSON.
#include "builder/layer_palette.h"

#include "builder/layer_catalog.h"
#include "document/model_document.h"
#include "document/node_json.h"
#include "document/node_selection.h"

#include <QLineEdit>
#include <QMimeData>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace nnstudio::ui {
namespace {

constexpr int kTypeRole = Qt::UserRole + 1;

// The list: drags carry the node a drop inserts.
class PaletteTree : public QTreeWidget {
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return {kNodeMimeType}; }
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override {
        const QString type = items.isEmpty() ? QString() : items.first()->data(0, kTypeRole).toString();
        return type.isEmpty() ? nullptr : nodeMimeData(defaultNode(type));
    }
};

}  // namespace

LayerPalette::LayerPalette(ModelDocument* document, NodeSelection* selection, QWidget* parent)
    : QWidget(parent), m_document(document), m_selection(selection), m_filter(new QLineEdit(this)),
      m_tree(new PaletteTree(this)) {
    m_filter->setObjectName("filter");
    m_filter->setPlaceholderText(tr("Search layers…"));
    m_filter->setClearButtonEnabled(true);
    m_tree->setObjectName("layerList");
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setIndentation(8);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);

    for (const QString& group : paletteGroups()) {
        auto* header = new QTreeWidgetItem(m_tree, {group});
        header->setFlags(Qt::ItemIsEnabled);
        QFont bold = header->font(0);
        bold.setBold(true);
        header->setFont(0, bold);
        for (const QString& type : typesInGroup(group)) {
            auto* item = new QTreeWidgetItem(header, {type});
            item->setData(0, kTypeRole, type);
            item->setToolTip(0, typeDescription(type));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
            QPixmap swatch(10, 10);
            swatch.fill(categoryColor(categoryOf(type)));
            item->setIcon(0, QIcon(swatch));
        }
    }
    m_tree->expandAll();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree);

    connect(m_filter, &QLineEdit::textChanged, this, &LayerPalette::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &LayerPalette::insertFirstVisible);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (const QString type = item->data(0, kTypeRole).toString(); !type.isEmpty()) insertType(type);
    });
    connect(m_document, &ModelDocument::readOnlyChanged, this, [this](bool readOnly) { setEnabled(!readOnly); });
}

bool LayerPalette::insertType(const QString& type, QString* error) {
    const auto path = m_document->insertAtSelection(m_selection->path(), defaultNode(type), error);
    if (path) m_selection->setPath(*path);
    return path.has_value();
}

QStringList LayerPalette::visibleTypes() const {
    QStringList types;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* header = m_tree->topLevelItem(g);
        for (int i = 0; i < header->childCount(); ++i)
            if (!header->child(i)->isHidden()) types << header->child(i)->data(0, kTypeRole).toString();
    }
    return types;
}

void LayerPalette::applyFilter(const QString& text) {
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* header = m_tree->topLevelItem(g);
        bool anyVisible = false;
        for (int i = 0; i < header->childCount(); ++i) {
            QTreeWidgetItem* item = header->child(i);
            const bool match = item->text(0).contains(text.trimmed(), Qt::CaseInsensitive);
            item->setHidden(!match);
            anyVisible = anyVisible || match;
        }
        header->setHidden(!anyVisible);
    }
}

void LayerPalette::insertFirstVisible() {
    if (const QStringList types = visibleTypes(); !types.isEmpty()) insertType(types.first());
}

}  // namespace nnstudio::ui

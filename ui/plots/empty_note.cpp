// EmptyNote: a word-wrapped label over the covered widget, resized with it.
#include "plots/empty_note.h"

#include <QEvent>
#include <qcustomplot.h>

namespace nnstudio::ui {

EmptyNote::EmptyNote(QWidget* covered, const QString& text) : QLabel(text, covered), m_covered(covered) {
    setObjectName("emptyNote");
    setWordWrap(true);
    setAlignment(Qt::AlignCenter);
    setMargin(16);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setForegroundRole(QPalette::PlaceholderText);
    setTextInteractionFlags(Qt::NoTextInteraction);
    covered->installEventFilter(this);
    setGeometry(covered->rect());
    hide();
}

EmptyNote* EmptyNote::whenPlotEmpty(QCustomPlot* plot, const QString& text) {
    auto* note = new EmptyNote(plot, text);
    note->m_plot = plot;
    connect(plot, &QCustomPlot::afterReplot, note, [note, plot] { note->setEmpty(!hasData(plot)); });
    note->setEmpty(!hasData(plot));
    return note;
}

void EmptyNote::whenPlotsEmpty(QWidget* view, const QString& text, bool firstOnly) {
    bool first = true;
    for (QCustomPlot* plot : view->findChildren<QCustomPlot*>()) {
        whenPlotEmpty(plot, first || !firstOnly ? text : QString());
        first = false;
    }
}

bool EmptyNote::hasData(QCustomPlot* plot) {
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        if (auto* map = qobject_cast<QCPColorMap*>(p)) {
            if (!map->data()->isEmpty()) return true;
        } else if (p->interface1D() && p->interface1D()->dataCount() > 0) {
            return true;
        }
    }
    return false;
}

void EmptyNote::setEmpty(bool empty) {
    setVisible(empty);
    if (empty) raise();
}

bool EmptyNote::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_covered) {
        if (event->type() == QEvent::Resize) setGeometry(m_covered->rect());
        // A plot that was hidden while its data changed has not replotted yet.
        if (event->type() == QEvent::Show && m_plot) setEmpty(!hasData(m_plot));
    }
    return QLabel::eventFilter(watched, event);
}

}  // namespace nnstudio::ui

// EmptyNote: a sentence that covers a widget while it has nothing to show ("No runs yet: press
// Start in the Training dock ...") instead of empty axes. On a QCustomPlot it follows the data by
// itself (shown while no plottable has data); on any other widget its owner says when.
#pragma once
#include <QLabel>

class QCustomPlot;

namespace nnstudio::ui {

class EmptyNote : public QLabel {
    Q_OBJECT
public:
    // A child of `covered`, kept at its size; hidden until setEmpty(true).
    EmptyNote(QWidget* covered, const QString& text);
    // Covers `plot` whenever none of its plottables has data (checked after every replot and
    // when the plot is shown). Returns the note (owned by the plot).
    static EmptyNote* whenPlotEmpty(QCustomPlot* plot, const QString& text);
    // Plot notes on every QCustomPlot inside `view` (its plot tabs, splitters, ...); with
    // `firstOnly` the text only on the first plot, the others covered blank (plots side by side).
    static void whenPlotsEmpty(QWidget* view, const QString& text, bool firstOnly = false);

    void setEmpty(bool empty);
    static bool hasData(QCustomPlot* plot);  // QCustomPlot has no const accessors

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_covered;
    QCustomPlot* m_plot = nullptr;  // set: emptiness follows this plot's data
};

}  // namespace nnstudio::ui

// Series CSV export through QSaveFile (temporary file + rename).
#include "plots/series_csv.h"

#include "plots/live_plot.h"

#include <QSaveFile>
#include <QTextStream>

namespace nnstudio::ui {

bool writeSeriesCsv(const QString& path, const QList<LivePlot*>& plots, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QTextStream out(&file);
    out << "series,x,y\n";
    for (const LivePlot* plot : plots)
        for (const QString& key : plot->seriesKeys()) {
            const QString quoted = '"' + QString(key).replace('"', "\"\"") + '"';
            for (const QCPGraphData& point : *plot->series(key)->data())
                out << quoted << ',' << QString::number(point.key, 'g', 17) << ',' << QString::number(point.value, 'g', 17) << '\n';
        }
    out.flush();
    if (out.status() != QTextStream::Ok || !file.commit()) {
        if (error) *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace nnstudio::ui

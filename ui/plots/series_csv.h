// Writes plot series as one CSV table ("series,x,y", one row per point), atomically: a
// temporary file next to the target, renamed over it only when everything was written.
#pragma once
#include <QList>
#include <QString>

namespace nnstudio::ui {

class LivePlot;

// False with `error` set (naming the file and the reason) when the file cannot be written.
bool writeSeriesCsv(const QString& path, const QList<LivePlot*>& plots, QString* error = nullptr);

}  // namespace nnstudio::ui

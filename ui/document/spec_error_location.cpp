// Parsing the JSON path at the start of SpecError messages.
#include "document/spec_error_location.h"

#include <QRegularExpression>
#include <QStringList>

namespace nnstudio::ui {

std::optional<JsonPathTarget> targetOfJsonPath(const QString& jsonPath) {
    const QStringList segments = jsonPath.split('/', Qt::SkipEmptyParts);
    if (!jsonPath.startsWith('/') || segments.isEmpty() || segments[0] != "root") return std::nullopt;
    JsonPathTarget target;
    qsizetype i = 1;
    while (i < segments.size()) {
        bool isIndex = false;
        const int index = i + 1 < segments.size() ? segments[i + 1].toInt(&isIndex) : -1;
        if (segments[i] == "children" && isIndex && index >= 0) {
            target.node << index;
            i += 2;
        } else if (segments[i] == "template") {
            target.node << 0;
            i += 1;
        } else {
            break;
        }
    }
    target.key = segments.mid(i).join('/');
    return target;
}

ErrorLocation locateError(const std::string& message) {
    const QString text = QString::fromStdString(message);
    // The path ends at the first space or colon: "/root/children/3/template (...): why".
    static const QRegularExpression pathEnd("[ :]");
    const qsizetype end = text.indexOf(pathEnd);
    const auto target = targetOfJsonPath(end < 0 ? text : text.left(end));
    if (!target) return {std::nullopt, text};

    QString reason = end < 0 ? QString() : text.mid(end);
    if (reason.startsWith(" (") && reason.contains("): ")) reason = reason.mid(reason.indexOf("): ") + 3);
    else if (reason.startsWith(": ")) reason = reason.mid(2);
    return {target->node, target->key.isEmpty() ? reason : target->key + ": " + reason};
}

}  // namespace nnstudio::ui

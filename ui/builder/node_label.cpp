// Node label texts.
#include "builder/node_label.h"

#include <QLocale>
#include <QStringList>

namespace nnstudio::ui {
namespace {

QString number(const nlohmann::json& value) {
    if (value.is_null()) return "None";
    if (value.is_number_integer()) return QString::number(value.get<int64_t>());
    if (value.is_number()) return QString::number(value.get<double>(), 'g', 6);
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_string()) return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump());
}

QString schemeName(const nlohmann::json& init) {
    if (init.is_string()) return QString::fromStdString(init.get<std::string>());
    if (init.is_object() && init.contains("scheme") && init["scheme"].is_string())
        return QString::fromStdString(init["scheme"].get<std::string>());
    return "custom";
}

}  // namespace

QString hyperparameterText(const spec::NodeSpec& node) {
    const nlohmann::json& o = node.options;
    QStringList parts;
    if (node.type == "Linear") {
        if (o.contains("out_features")) parts << "→ " + number(o["out_features"]);
        if (o.contains("bias") && o["bias"] == false) parts << "no bias";
        if (o.contains("init")) parts << "init " + schemeName(o["init"]);
        return parts.join("  ·  ");
    }
    if (node.type == "Residual") {
        if (o.contains("projection"))
            parts << (o["projection"].contains("batch_norm") && o["projection"]["batch_norm"] != false
                          ? "projection + BatchNorm"
                          : "projection");
        return parts.join("  ·  ");
    }
    // Every other option as "key value", in the model file's order of keys.
    for (const auto& [key, value] : o.items())
        if (key != "comment" && key != "after_add") parts << QString::fromStdString(key) + " " + number(value);
    return parts.join("  ·  ");
}

QString shapeText(const Shape& shape) {
    QStringList dims;
    for (int64_t d : shape) dims << QString::number(d);
    return "(" + dims.join(", ") + ")";
}

QString parameterText(int64_t count) {
    return QLocale(QLocale::English).toString(static_cast<qlonglong>(count)) + (count == 1 ? " param" : " params");
}

}  // namespace nnstudio::ui

// LayerCatalog: categories, defaults and colours of the node types, read from the layer
// declarations (nn/layer_registry.h); the three containers are the builder's own.
#include "builder/layer_catalog.h"

#include "nn/layer_registry.h"

#include <QMap>

namespace nnstudio::ui {
namespace {

// The containers, in the order the palette lists them after the layers.
const QStringList& containerTypes() {
    static const QStringList types = {"Sequential", "Residual", "ModuleList"};
    return types;
}

}  // namespace

LayerCategory categoryOf(const QString& type) {
    const nn::LayerDeclaration* d = nn::find_layer_declaration(type.toStdString());
    if (!d) return LayerCategory::Block;
    switch (d->category) {
    case nn::LayerCategory::Linear: return LayerCategory::Linear;
    case nn::LayerCategory::Normalization: return LayerCategory::Normalization;
    case nn::LayerCategory::Activation: return LayerCategory::Activation;
    case nn::LayerCategory::Regularization: return LayerCategory::Regularization;
    case nn::LayerCategory::Reshape: return LayerCategory::Reshape;
    }
    return LayerCategory::Activation;
}

QString categoryTitle(LayerCategory category) {
    switch (category) {
    case LayerCategory::Activation: return "Activations";
    case LayerCategory::Block: return "Blocks";
    default: return "Layers";
    }
}

QStringList paletteGroups() { return {"Layers", "Activations", "Blocks"}; }

QStringList typesInGroup(const QString& group) {
    QStringList types;  // the declarations' order: the order a user reaches for them
    for (const nn::LayerDeclaration* d : nn::layer_declarations()) {
        const QString type = QString::fromStdString(d->type);
        if (categoryTitle(categoryOf(type)) == group) types << type;
    }
    if (group == categoryTitle(LayerCategory::Block)) types << containerTypes();
    return types;
}

spec::NodeSpec defaultNode(const QString& type) {
    spec::NodeSpec node;
    node.type = type.toStdString();
    if (const nn::LayerDeclaration* d = nn::find_layer_declaration(node.type))
        for (const nn::OptionDeclaration& o : d->options)
            if (!o.initial.is_null()) node.options[o.name] = o.initial;
    if (type == "Residual") node.options["after_add"] = "ReLU";
    if (type == "ModuleList") {
        spec::NodeSpec templ;
        templ.type = "Sequential";
        node.templ.push_back(templ);
        node.repeat = 2;
    }
    return node;
}

QColor categoryColor(LayerCategory category) {
    switch (category) {
    case LayerCategory::Linear: return QColor(0x3b, 0x82, 0xf6);          // blue
    case LayerCategory::Normalization: return QColor(0x8b, 0x5c, 0xf6);   // violet
    case LayerCategory::Activation: return QColor(0xf5, 0x9e, 0x0b);      // amber
    case LayerCategory::Regularization: return QColor(0x14, 0xb8, 0xa6);  // teal
    case LayerCategory::Reshape: return QColor(0x64, 0x74, 0x8b);         // slate
    case LayerCategory::Block: return QColor(0x22, 0xa0, 0x6b);           // green
    }
    return Qt::gray;
}

QString typeDescription(const QString& type) {
    if (const nn::LayerDeclaration* d = nn::find_layer_declaration(type.toStdString()))
        return QString::fromStdString(d->palette_text);
    static const QMap<QString, QString> containers = {
        {"Sequential", "Runs its children in order"},
        {"Residual", "Body plus a skip path: x + f(x), or a projection P(x) + f(x) when the body changes the width (Skip path); then an activation"},
        {"ModuleList", "Repeats a template block N times (named 0..N-1)"},
    };
    return containers.value(type, type);
}

}  // namespace nnstudio::ui

// LayerCatalog: categories, defaults and colours of the node types.
#include "builder/layer_catalog.h"

#include <QMap>

namespace nnstudio::ui {

LayerCategory categoryOf(const QString& type) {
    if (type == "Linear") return LayerCategory::Linear;
    if (type == "BatchNorm1d") return LayerCategory::Normalization;
    if (type == "Dropout") return LayerCategory::Regularization;
    if (type == "Flatten") return LayerCategory::Reshape;
    if (spec::is_container(type.toStdString())) return LayerCategory::Block;
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
    // The order a user reaches for them, not alphabetical.
    static const QStringList order = {"Linear",  "BatchNorm1d", "Dropout",    "Flatten",  "ReLU",
                                      "LeakyReLU", "GELU",      "Sigmoid",    "Tanh",     "Softmax",
                                      "LogSoftmax", "Identity", "Sequential", "Residual", "ModuleList"};
    QStringList types;
    for (const QString& type : order)
        if (categoryTitle(categoryOf(type)) == group) types << type;
    for (const std::string& known : spec::layer_types()) {  // a type added to the engine later still shows
        const QString type = QString::fromStdString(known);
        if (!order.contains(type) && categoryTitle(categoryOf(type)) == group) types << type;
    }
    return types;
}

spec::NodeSpec defaultNode(const QString& type) {
    spec::NodeSpec node;
    node.type = type.toStdString();
    if (type == "Linear") node.options["out_features"] = 128;
    if (type == "Dropout") node.options["p"] = 0.5;
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
    static const QMap<QString, QString> text = {
        {"Linear", "Fully connected layer: y = x Wᵀ + b (in_features inferred)"},
        {"BatchNorm1d", "Normalises each feature over the batch (num_features inferred)"},
        {"Dropout", "Zeroes inputs with probability p while training"},
        {"Flatten", "Flattens dimensions start_dim..end_dim into one"},
        {"ReLU", "max(0, x)"},
        {"LeakyReLU", "x, or negative_slope · x below zero"},
        {"GELU", "Gaussian error linear unit"},
        {"Sigmoid", "1 / (1 + e⁻ˣ)"},
        {"Tanh", "Hyperbolic tangent"},
        {"Softmax", "Probabilities along dim (not before a logits loss)"},
        {"LogSoftmax", "Log-probabilities along dim (pairs with NLLLoss)"},
        {"Identity", "Passes its input through"},
        {"Sequential", "Runs its children in order"},
        {"Residual", "Body plus identity skip (x + f(x)), then an activation"},
        {"ModuleList", "Repeats a template block N times (named 0..N-1)"},
    };
    return text.value(type, type);
}

}  // namespace nnstudio::ui

// validateModel: parse round trip (fresh JSON paths), initializers, then the build up to its first shape error.
#include "document/model_validation.h"

#include "document/model_size_estimate.h"
#include "document/spec_error_location.h"
#include "init/init_scheme.h"
#include "nn/layer_registry.h"
#include "spec/model_builder.h"

#include <functional>

namespace nnstudio::ui {
namespace {

using Report = std::function<void(const std::string& message)>;

// Initializers are read only when a model is initialised; check them now so the user sees the
// problem on the layer while editing, not when training starts.
void checkInitializers(const spec::NodeSpec& node, const Report& report) {
    try {
        const nn::LayerDeclaration* d = nn::find_layer_declaration(node.type);
        if (d && d->initializer && node.options.contains("init"))  // PReLU's "init" is its slope
            init::parse_init_scheme(node.options["init"], node.json_path + "/init");
        if (node.options.contains("projection") && node.options["projection"].contains("init"))
            init::parse_init_scheme(node.options["projection"]["init"], node.json_path + "/projection/init");
    } catch (const std::exception& e) {
        report(e.what());
    }
    for (const auto& child : childrenOf(node)) checkInitializers(child, report);
}

}  // namespace

ValidationResult validateModel(const spec::ModelSpec& model) {
    ValidationResult result;
    const Report report = [&](const std::string& message) {
        const ErrorLocation where = locateError(message);
        if (where.node && nodeAt(model, *where.node)) {
            if (!result.nodeErrors.contains(*where.node)) result.nodeErrors.insert(*where.node, where.reason);
        } else if (result.modelError.isEmpty()) {
            result.modelError = QString::fromStdString(message);
        }
    };

    spec::ModelSpec parsed;
    try {
        // The round trip recomputes every json_path from the current tree and checks every key.
        parsed = spec::parse_model_spec(spec::to_json(model));
    } catch (const std::exception& e) {
        report(e.what());
        return result;
    }
    if (parsed.init.contains("default")) {
        try {
            init::parse_init_scheme(parsed.init["default"], "/init/default");
        } catch (const std::exception& e) {
            report(std::string("default initializer: ") + e.what());
        }
    }
    checkInitializers(parsed.root, report);

    if (const ModelSizeEstimate size = estimateModelSize(parsed);
        size.parameters > kMaxPreviewParameters || size.modules > kMaxPreviewModules) {
        result.modelError = QString("The model would have about %1 million parameters in %2 modules: too large to "
                                    "build and check while editing. Reduce the widths or repeat counts.")
                                .arg(size.parameters / 1e6, 0, 'f', 0)
                                .arg(size.modules, 0, 'f', 0);
        return result;
    }

    try {
        // A shape error stays local: the layers before it keep their facts, the node at fault is
        // marked, and what comes after it (and the blocks around it) shows no shape.
        spec::PartialModel built = spec::build_model_until_error(parsed);
        if (built.error) report(built.error->message);
        for (const nn::LayerInfo& info : built.model.layers()) {
            const auto target = targetOfJsonPath(QString::fromStdString(info.json_path));
            if (!target || !target->key.isEmpty() || !info.module) continue;  // projections: part of their Residual
            if (built.unknown_shape.count(info.path)) continue;
            result.facts.insert(target->node, {info.output_shape, info.module->parameter_count()});
        }
    } catch (const std::exception& e) {  // SpecError, and bad_alloc for an absurdly wide layer
        report(e.what());
    }
    return result;
}

}  // namespace nnstudio::ui

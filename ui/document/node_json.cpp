// Node <-> JSON through the model file's own writer and parser (a one-node model around it).
#include "document/node_json.h"

#include "error.h"

#include <QMimeData>

namespace nnstudio::ui {
namespace {

spec::ModelSpec wrapperAround(const spec::ModelSpec& context) {
    spec::ModelSpec wrapper;
    wrapper.input_shape = {1};
    wrapper.flags = context.flags;
    wrapper.root.type = "Sequential";
    return wrapper;
}

}  // namespace

nlohmann::json nodeToJson(const spec::NodeSpec& node) {
    spec::ModelSpec wrapper = wrapperAround({});
    wrapper.root.children.push_back(node);
    return spec::to_json(wrapper)["root"]["children"][0];
}

spec::NodeSpec nodeFromJson(const nlohmann::json& json, const spec::ModelSpec& context) {
    nlohmann::json doc = spec::to_json(wrapperAround(context));
    doc["root"]["children"] = nlohmann::json::array({json});
    try {
        return spec::parse_model_spec(doc).root.children.at(0);
    } catch (const SpecError& e) {
        // "/root/children/0/p: ..." -> "p: ..." (the wrapper's path means nothing to the user)
        std::string message = e.what();
        const std::string prefix = "/root/children/0";
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
        if (message.rfind("/", 0) == 0) message = message.substr(1);
        if (message.rfind(": ", 0) == 0) message = message.substr(2);
        throw SpecError("not a layer NN Studio can insert: " + message);
    }
}

QMimeData* nodeMimeData(const spec::NodeSpec& node) {
    auto* mime = new QMimeData;
    const QByteArray json = QByteArray::fromStdString(nodeToJson(node).dump(2));
    mime->setData(kNodeMimeType, json);
    mime->setText(QString::fromUtf8(json));
    return mime;
}

nlohmann::json nodeJsonFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasFormat(kNodeMimeType)) return nullptr;
    nlohmann::json json = nlohmann::json::parse(mime->data(kNodeMimeType).toStdString(), nullptr, false);
    return json.is_discarded() ? nlohmann::json() : json;
}

}  // namespace nnstudio::ui

// Sibling name rules.
#include "document/sibling_names.h"

#include "document/node_path.h"

namespace nnstudio::ui {

QSet<QString> siblingNames(const spec::NodeSpec& parent, std::optional<int> exceptIndex) {
    QSet<QString> names;
    const auto& children = childrenOf(parent);
    for (size_t i = 0; i < children.size(); ++i)
        if (!children[i].name.empty() && static_cast<int>(i) != exceptIndex)
            names.insert(QString::fromStdString(children[i].name));
    if (parent.type == "Residual" && parent.options.contains("projection")) {
        const auto& projection = parent.options["projection"];
        names.insert(QString::fromStdString(projection.value("name", std::string("projection"))));
    }
    return names;
}

QString nameProblem(const QString& name, const QSet<QString>& taken) {
    if (name.isEmpty()) return {};
    if (!spec::is_python_identifier(name.toStdString()))
        return QString("'%1' is not a Python identifier (letters, digits and _, not starting with a digit, "
                       "not a keyword): PyTorch could not use it as an attribute name")
            .arg(name);
    if (taken.contains(name))
        return QString("another layer here is already named '%1': names are state_dict keys and must be "
                       "unique among siblings")
            .arg(name);
    return {};
}

QString uniqueName(const QString& name, const QSet<QString>& taken) {
    if (name.isEmpty() || !taken.contains(name)) return name;
    for (int n = 2;; ++n) {
        const QString candidate = QString("%1_%2").arg(name).arg(n);
        if (!taken.contains(candidate)) return candidate;
    }
}

}  // namespace nnstudio::ui

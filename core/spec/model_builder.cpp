// Model construction from the spec tree, with per-sample shape inference.
#include "spec/model_builder.h"

#include "error.h"
#include "nn/layer_registry.h"
#include "nn/linear.h"
#include "nn/residual.h"
#include "nn/sequential.h"

#include <algorithm>

namespace nnstudio::spec {
namespace {

using nlohmann::json;

// An error prefixed with its node's place in the file (where()): the enclosing nodes pass it on.
class LocatedError : public SpecError {
public:
    using SpecError::SpecError;
};

class Builder {
public:
    // `stop_at_error`: a ShapeError ends the build where it happens (`error` says where) instead of throwing.
    Builder(const FlagValues& flags, bool stop_at_error) : m_flags(flags), m_stop_at_error(stop_at_error) {}

    std::vector<nn::LayerInfo> layers;
    std::optional<BuildError> error;
    std::set<std::string> unknown_shape;

    bool present(const NodeSpec& n) const {
        if (n.when.empty()) return true;
        const bool negate = n.when[0] == '!';
        const bool value = m_flags.at(negate ? n.when.substr(1) : n.when);
        return negate ? !value : value;
    }

    // Builds `n` for per-sample input shape `in`; sets `out`. `path` is its state_dict prefix.
    std::unique_ptr<nn::Module> build(const NodeSpec& n, const Shape& in, Shape& out, const std::string& path, int depth) {
        const size_t info_index = layers.size();
        // "init" is an initializer scheme only for layers that take one (PReLU's init is its slope).
        const nn::LayerDeclaration* decl = nn::find_layer_declaration(n.type);
        const json init = decl && decl->initializer ? n.options.value("init", json()) : json();
        layers.push_back({path, n.type, depth, {}, nullptr, n.json_path, init, in, n.options});
        std::unique_ptr<nn::Module> m;
        const bool failed_before = error.has_value();
        try {
            m = make(n, in, out, path, depth);
        } catch (const LocatedError&) {
            throw;  // a child's, already located
        } catch (const ShapeError& e) {
            stop(n, path, e);
            layers.resize(info_index);  // the node and whatever of it was built are gone
            return nullptr;
        } catch (const SpecError& e) {  // a module's own option checks (PReLU, LayerNorm, Dropout, ...)
            throw LocatedError(where(n, path) + e.what());
        }
        layers[info_index].module = m.get();
        layers[info_index].output_shape = out;
        if (!failed_before && error) unknown_shape.insert(path);  // the error is inside: its output is unknown
        return m;
    }

private:
    static std::string where(const NodeSpec& n, const std::string& path) {
        return n.json_path + " (" + (path.empty() ? std::string("root") : path) + ", " + n.type + "): ";
    }

    // Records the first shape error (or throws it, worded with the node, when not stopping at errors).
    void stop(const NodeSpec& n, const std::string& path, const ShapeError& e) {
        const std::string message = where(n, path) + e.what();
        if (!m_stop_at_error) throw LocatedError(message);
        if (!error) error = BuildError{message, n.json_path, path, n.type};
    }

    std::unique_ptr<nn::Module> make(const NodeSpec& n, const Shape& in, Shape& out, const std::string& path, int depth) {
        const json& o = n.options;
        const std::string& t = n.type;
        if (t == "Sequential" || t == "ModuleList") {
            auto seq = t == "Sequential" ? std::make_unique<nn::Sequential>() : std::make_unique<nn::ModuleList>();
            Shape s = in;
            const auto add = [&](const NodeSpec& child, const std::string& name) {
                if (error) return;  // stopped at an error: nothing after it is built
                Shape child_out;
                if (auto m = build(child, s, child_out, nn::join_path(path, name), depth + 1))
                    seq->append(name, std::move(m));
                s = child_out;
            };
            int64_t index = 0;
            if (!n.templ.empty()) {
                for (int64_t i = 0; i < n.repeat; ++i) add(n.templ[0], std::to_string(i));
            } else {
                for (const auto& c : n.children)
                    if (present(c)) add(c, c.name.empty() ? std::to_string(index++) : c.name);
            }
            out = s;
            return seq;
        }
        if (t == "Residual") {
            auto res = std::make_unique<nn::Residual>();
            Shape s = in;
            int64_t index = 0;
            for (const auto& c : n.children) {
                if (!present(c)) continue;
                if (error) return res;  // stopped at an error in the body
                const std::string name = c.name.empty() ? std::to_string(index++) : c.name;
                Shape child_out;
                if (auto m = build(c, s, child_out, nn::join_path(path, name), depth + 1))
                    res->append_body(name, std::move(m));
                s = child_out;
            }
            if (error) return res;
            if (o.contains("projection")) {
                const json& p = o["projection"];
                const std::string name = p.value("name", std::string("projection"));
                if (in.empty() || s.empty())
                    throw ShapeError("a projection needs feature vectors on both sides of the block");
                const std::string proj_path = nn::join_path(path, name);
                const json batch_norm = p.value("batch_norm", json(false));
                const bool with_bn = !batch_norm.is_boolean() || batch_norm.get<bool>();
                // With batch norm the skip is nn.Sequential(Linear, BatchNorm1d), as torchvision's ResNet
                // downsample: its children are numbered, so the keys are projection.0.weight, projection.1.*.
                std::unique_ptr<nn::Sequential> seq;
                if (with_bn) {
                    seq = std::make_unique<nn::Sequential>();
                    layers.push_back({proj_path, "Sequential", depth + 1, s, seq.get(), n.json_path + "/projection",
                                      json(), in, json::object()});
                }
                const int lin_depth = with_bn ? depth + 2 : depth + 1;
                // The options a Linear node would have: code export writes the projection from them.
                const json options = {{"out_features", s.back()}, {"bias", p.value("bias", true)}};
                layers.push_back({with_bn ? nn::join_path(proj_path, "0") : proj_path, "Linear", lin_depth, s, nullptr,
                                  n.json_path + "/projection", p.value("init", json()), in, options});
                auto lin = std::make_unique<nn::Linear>(in.back(), s.back(), p.value("bias", true));
                layers.back().module = lin.get();
                if (!with_bn) {
                    res->set_projection(name, std::move(lin));
                } else {
                    seq->append("0", std::move(lin));
                    const nn::LayerDeclaration& bn = nn::batch_norm1d_declaration();
                    const json bn_options = batch_norm.is_object() ? batch_norm : json::object();
                    auto norm = bn.make(nn::LayerOptions(bn, bn_options), s);
                    layers.push_back({nn::join_path(proj_path, "1"), "BatchNorm1d", lin_depth, s, norm.get(),
                                      n.json_path + "/projection/batch_norm", json(), s, bn_options});
                    seq->append("1", std::move(norm));
                    res->set_projection(name, std::move(seq));
                }
            }
            if (o.contains("after_add")) {
                const nn::LayerDeclaration& act = *nn::find_layer_declaration(o["after_add"].get<std::string>());
                res->set_after_add(act.make(nn::LayerOptions(act, json::object()), s));
            }
            try {
                out = res->output_shape(in);
            } catch (const ShapeError& e) {  // the add: the body and the projection stay built
                stop(n, path, e);
            }
            return res;
        }
        const nn::LayerDeclaration* decl = nn::find_layer_declaration(t);
        if (!decl) throw SpecError("internal: no declaration for layer type " + t);
        const nn::LayerOptions options(*decl, o);
        out = decl->output_shape(options, in);
        return decl->make(options, in);
    }

    const FlagValues& m_flags;
    const bool m_stop_at_error;
};

}  // namespace

std::pair<std::string, bool> parse_flag_assignment(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw SpecError("--flag expects NAME=true or NAME=false, got '" + text + "'");
    const std::string name = text.substr(0, eq);
    std::string v = text.substr(eq + 1);
    std::transform(v.begin(), v.end(), v.begin(), ::tolower);
    if (v == "true" || v == "1" || v == "yes" || v == "on") return {name, true};
    if (v == "false" || v == "0" || v == "no" || v == "off") return {name, false};
    throw SpecError("--flag " + name + ": expected true or false, got '" + text.substr(eq + 1) + "'");
}

namespace {

// The file's flag defaults with `overrides` applied; an unknown flag is a SpecError.
FlagValues resolve_flags(const ModelSpec& spec, const FlagValues& overrides) {
    FlagValues flags;
    for (const auto& [k, v] : spec.flags) flags[k] = v;
    for (const auto& [k, v] : overrides) {
        if (!flags.count(k)) {
            std::string declared;
            for (const auto& [name, value] : spec.flags) declared += (declared.empty() ? "" : ", ") + name;
            throw SpecError("unknown flag '" + k + "' for model " + spec.name + "; its flags are: " +
                            (declared.empty() ? "(none)" : declared));
        }
        flags[k] = v;
    }
    return flags;
}

}  // namespace

nn::Model build_model(const ModelSpec& spec, const FlagValues& overrides) {
    const FlagValues flags = resolve_flags(spec, overrides);
    Builder b(flags, false);
    Shape out;
    std::unique_ptr<nn::Module> root;
    try {
        root = b.build(spec.root, spec.input_shape, out, "", 0);
    } catch (const LocatedError& e) {
        if (spec.source.empty()) throw;
        throw SpecError(spec.source + ": " + e.what());  // as load_model_spec's errors start
    }
    return nn::Model(spec.name, spec.input_shape, flags, std::move(root), std::move(b.layers),
                     spec.init.value("default", json()));
}

PartialModel build_model_until_error(const ModelSpec& spec, const FlagValues& overrides) {
    const FlagValues flags = resolve_flags(spec, overrides);
    Builder b(flags, true);
    Shape out;
    std::unique_ptr<nn::Module> root = b.build(spec.root, spec.input_shape, out, "", 0);
    if (!root) root = std::make_unique<nn::Sequential>();  // a root layer that failed: an empty model
    return PartialModel{nn::Model(spec.name, spec.input_shape, flags, std::move(root), std::move(b.layers),
                                  spec.init.value("default", json())),
                        std::move(b.error), std::move(b.unknown_shape)};
}

}  // namespace nnstudio::spec

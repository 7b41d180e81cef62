// InitScheme parsing (with JSON-path errors), saving, and application to Linear layers.
#include "init/init_scheme.h"

#include "error.h"
#include "init/init.h"
#include "util/json_options.h"

#include <algorithm>
#include <cmath>

namespace nnstudio::init {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// The options each scheme takes besides "scheme" (mirrors the torch.nn.init signatures).
std::vector<std::string> scheme_keys(const std::string& name) {
    if (name == "pytorch_default") return {};
    if (name == "xavier_uniform" || name == "xavier_normal" || name == "orthogonal") return {"gain", "bias"};
    if (name == "kaiming_uniform" || name == "kaiming_normal") return {"a", "mode", "nonlinearity", "bias"};
    if (name == "uniform") return {"low", "high", "bias"};
    if (name == "normal") return {"mean", "std", "bias"};
    if (name == "constant") return {"value", "bias"};
    return {"bias"};  // zeros, ones
}

// Checks values that make the scheme unusable; `where(key)` names the offending field.
template <typename Fail>
void validate(const InitScheme& s, Fail fail) {
    if (!contains(init_scheme_names(), s.name))
        fail("scheme", "unknown init scheme \"" + s.name + "\"; valid schemes: " + join_names(init_scheme_names()));
    if (s.name == "pytorch_default") return;
    if (!contains(init_bias_names(), s.bias))
        fail("bias", "unknown bias init \"" + s.bias + "\"; use " + join_names(init_bias_names()));
    if (s.name.rfind("kaiming_", 0) == 0) {
        if (s.mode != "fan_in" && s.mode != "fan_out")
            fail("mode", "\"" + s.mode + "\" is not a fan mode; use fan_in (preserves forward variance) or "
                         "fan_out (preserves backward variance)");
        if (!contains(nonlinearity_names(), s.nonlinearity))
            fail("nonlinearity", "unsupported nonlinearity \"" + s.nonlinearity + "\"; use one of " +
                                     join_names(nonlinearity_names()));
    }
    if (s.name == "normal" && !(s.std >= 0)) fail("std", "must be >= 0");
    if (s.name == "uniform" && !(s.low <= s.high)) fail("low", "must not exceed high");
}

}  // namespace

std::vector<std::string> init_scheme_names() {
    return {"pytorch_default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
            "orthogonal",      "uniform",        "normal",        "constant",        "zeros",
            "ones"};
}

std::vector<std::string> init_bias_names() { return {"zeros", "pytorch_default"}; }

InitScheme parse_init_scheme(const nlohmann::json& j, const std::string& json_path) {
    InitScheme s;
    if (j.is_string()) {
        s.name = j.get<std::string>();
    } else {
        if (!j.is_object())
            throw SpecError(json_path + ": an init scheme must be a name like \"kaiming_uniform\" or an object "
                                        "like {\"scheme\": \"kaiming_uniform\", \"nonlinearity\": \"relu\"}, got " +
                            j.dump());
        const JsonOptions o(j, json_path, "an init scheme");
        if (!o.has("scheme"))
            throw SpecError(json_path + ": missing \"scheme\"; valid schemes: " + join_names(init_scheme_names()));
        s.name = o.string("scheme", s.name);
        if (!contains(init_scheme_names(), s.name))
            o.fail("scheme", "unknown init scheme \"" + s.name + "\"; valid schemes: " +
                                 join_names(init_scheme_names()));
        std::vector<std::string> keys = scheme_keys(s.name);
        keys.insert(keys.begin(), "scheme");
        o.allow_only(keys);
        s.gain = o.number("gain", s.gain);
        s.a = o.number("a", s.a);
        s.mode = o.string("mode", s.mode);
        s.nonlinearity = o.string("nonlinearity", s.nonlinearity);
        s.mean = o.number("mean", s.mean);
        s.std = o.number("std", s.std);
        s.low = o.number("low", s.low);
        s.high = o.number("high", s.high);
        s.value = o.number("value", s.value);
        s.bias = o.string("bias", s.bias);
    }
    const std::string base = json_path;
    validate(s, [&](const std::string& key, const std::string& msg) {
        // A bare-string scheme has no sub-keys: name the string itself.
        throw SpecError((j.is_string() ? base : base + "." + key) + ": " + msg);
    });
    return s;
}

nlohmann::json to_json(const InitScheme& s) {
    const InitScheme d;
    nlohmann::json j = {{"scheme", s.name}};
    const std::vector<std::string> keys = scheme_keys(s.name);
    auto put = [&](const char* key, const auto& value, const auto& def) {
        if (contains(keys, key) && value != def) j[key] = value;
    };
    put("gain", s.gain, d.gain);
    put("a", s.a, d.a);
    put("mode", s.mode, d.mode);
    put("nonlinearity", s.nonlinearity, d.nonlinearity);
    put("mean", s.mean, d.mean);
    put("std", s.std, d.std);
    put("low", s.low, d.low);
    put("high", s.high, d.high);
    put("value", s.value, d.value);
    put("bias", s.bias, d.bias);
    return j;
}

void apply_linear_init(const InitScheme& s, Tensor& weight, Tensor* bias, Rng& rng) {
    validate(s, [](const std::string& key, const std::string& msg) {
        throw Error("init scheme field \"" + key + "\": " + msg);
    });
    const std::string& n = s.name;
    if (n == "pytorch_default") {
        linear_default_(weight, bias, rng);
        return;
    }
    if (n == "xavier_uniform") xavier_uniform_(weight, rng, s.gain);
    else if (n == "xavier_normal") xavier_normal_(weight, rng, s.gain);
    else if (n == "kaiming_uniform") kaiming_uniform_(weight, rng, s.a, s.mode, s.nonlinearity);
    else if (n == "kaiming_normal") kaiming_normal_(weight, rng, s.a, s.mode, s.nonlinearity);
    else if (n == "orthogonal") orthogonal_(weight, rng, s.gain);
    else if (n == "uniform") uniform_(weight, rng, s.low, s.high);
    else if (n == "normal") normal_(weight, rng, s.mean, s.std);
    else if (n == "constant") constant_(weight, s.value);
    else if (n == "zeros") zeros_(weight);
    else if (n == "ones") ones_(weight);
    if (!bias) return;
    if (s.bias == "zeros") zeros_(*bias);
    else linear_default_bias_(*bias, weight.dim() >= 2 ? fan_in_and_fan_out(weight).fan_in : 0, rng);
}

}  // namespace nnstudio::init

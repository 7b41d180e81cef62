// LayerDeclaration helpers: option checks with their messages, defaults, constructor text.
#include "nn/layer_declaration.h"

#include "error.h"
#include "util/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace nnstudio::nn {
namespace {

using nlohmann::json;


std::string join(const std::vector<std::string>& words) {
    std::string s;
    for (size_t i = 0; i < words.size(); ++i) s += (i ? ", " : "") + words[i];
    return s;
}

}  // namespace

std::string OptionDeclaration::expected_text() const {
    if (!expects.empty()) return expects;
    const bool low = std::isfinite(min), high = std::isfinite(max);
    std::string s;
    switch (type) {
    case OptionType::Bool: return "true or false";
    case OptionType::Enum: return "one of " + join(choices);
    case OptionType::IntList:
        s = low && min == 1 ? "a positive integer or a list of them" : "an integer or a list of integers";
        break;
    case OptionType::Int:
        if (low && min == 1 && !high) s = "a positive integer";
        else if (low && high) s = "an integer from " + number_text(min) + " to " + number_text(max);
        else if (low) s = "an integer >= " + number_text(min);
        else s = "an integer";
        break;
    case OptionType::Float:
        if (low && high) s = "a number from " + number_text(min) + " to " + number_text(max);
        else if (low) s = "a number >= " + number_text(min);
        else if (high) s = "a number <= " + number_text(max);
        else s = "a number";
        break;
    }
    return nullable ? s + " or null" : s;
}

bool OptionDeclaration::accepts(const json& v, std::string* why) const {
    const auto refuse = [&] {
        if (why) *why = "expected " + expected_text() + ", got " + v.dump();
        return false;
    };
    const auto in_range = [&](double x) { return x >= min && x <= max; };
    if (v.is_null()) return nullable ? true : refuse();
    switch (type) {
    case OptionType::Bool: return v.is_boolean() ? true : refuse();
    case OptionType::Int: return v.is_number_integer() && in_range(v.get<double>()) ? true : refuse();
    case OptionType::Float: return v.is_number() && in_range(v.get<double>()) ? true : refuse();
    case OptionType::Enum:
        return v.is_string() && std::find(choices.begin(), choices.end(), v.get<std::string>()) != choices.end()
                   ? true
                   : refuse();
    case OptionType::IntList:
        if (v.is_number_integer()) return in_range(v.get<double>()) ? true : refuse();  // 8 means [8], as in PyTorch
        if (!v.is_array() || v.empty()) return refuse();
        for (const json& d : v)
            if (!d.is_number_integer() || !in_range(d.get<double>())) return refuse();
        return true;
    }
    return refuse();
}

OptionDeclaration bool_option(std::string name, bool default_value, std::string label, std::string doc) {
    OptionDeclaration o;
    o.name = std::move(name);
    o.type = OptionType::Bool;
    o.default_value = default_value;
    o.label = std::move(label);
    o.doc = std::move(doc);
    return o;
}

OptionDeclaration int_option(std::string name, json default_value, double min, double max, std::string label,
                             std::string doc) {
    OptionDeclaration o = bool_option(std::move(name), false, std::move(label), std::move(doc));
    o.type = OptionType::Int;
    o.default_value = std::move(default_value);
    o.min = min;
    o.max = max;
    return o;
}

OptionDeclaration float_option(std::string name, json default_value, double min, double max, double step,
                               std::string label, std::string doc) {
    OptionDeclaration o = int_option(std::move(name), std::move(default_value), min, max, std::move(label), std::move(doc));
    o.type = OptionType::Float;
    o.step = step;
    return o;
}

OptionDeclaration enum_option(std::string name, std::string default_value, std::vector<std::string> choices,
                              std::string label, std::string doc) {
    OptionDeclaration o = bool_option(std::move(name), false, std::move(label), std::move(doc));
    o.type = OptionType::Enum;
    o.default_value = std::move(default_value);
    o.choices = std::move(choices);
    return o;
}

OptionDeclaration int_list_option(std::string name, std::string label, std::string doc) {
    OptionDeclaration o = int_option(std::move(name), json(), 1, 1e9, std::move(label), std::move(doc));
    o.type = OptionType::IntList;
    return o;
}

const OptionDeclaration* LayerDeclaration::option(const std::string& name) const {
    for (const OptionDeclaration& o : options)
        if (o.name == name) return &o;
    return nullptr;
}

std::string LayerDeclaration::constructor_text(const json& options, const Shape& in) const {
    std::vector<std::string> args;
    if (inferred_arguments) args = inferred_arguments(LayerOptions(*this, options), in);
    for (const OptionDeclaration& o : this->options) {
        if (!o.required && !o.nullable && o.default_value.is_null()) continue;  // inferred: in `args` already
        const bool given = options.contains(o.name);
        const json& value = given ? options[o.name] : o.default_value;
        if (o.required) {
            args.push_back(python_literal(value, o.type));  // positional, as PyTorch's signature
        } else if (given ? (o.always_in_code || value != o.default_value) : (o.always_in_code && !value.is_null())) {
            args.push_back(o.name + "=" + python_literal(value, o.type));
        }
    }
    return "nn." + type + "(" + join(args) + ")";
}

LayerOptions::LayerOptions(const LayerDeclaration& declaration, const json& options)
    : m_declaration(declaration), m_options(options) {}

const json& LayerOptions::value(const std::string& name) const {
    if (m_options.is_object() && m_options.contains(name)) return m_options[name];
    const OptionDeclaration* o = m_declaration.option(name);
    if (!o) throw Error("internal: " + m_declaration.type + " declares no option '" + name + "'");
    return o->default_value;
}

bool LayerOptions::has(const std::string& name) const { return m_options.is_object() && m_options.contains(name); }
bool LayerOptions::is_none(const std::string& name) const { return value(name).is_null(); }
bool LayerOptions::get_bool(const std::string& name) const { return value(name).get<bool>(); }
int64_t LayerOptions::get_int(const std::string& name) const { return value(name).get<int64_t>(); }
double LayerOptions::get_float(const std::string& name) const { return value(name).get<double>(); }
std::string LayerOptions::get_string(const std::string& name) const { return value(name).get<std::string>(); }
std::vector<int64_t> LayerOptions::get_int_list(const std::string& name) const {
    const json& v = value(name);
    if (v.is_number_integer()) return {v.get<int64_t>()};
    return v.get<std::vector<int64_t>>();
}

std::string python_literal(const json& value, OptionType type) {
    if (value.is_null()) return "None";
    if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
    if (value.is_string()) return "\"" + value.get<std::string>() + "\"";
    if (value.is_array()) {
        std::vector<std::string> items;
        for (const json& v : value) items.push_back(python_literal(v, OptionType::Int));
        return "[" + join(items) + "]";
    }
    if (type == OptionType::Float) {
        // Shortest text that reads back as the same double (0.2, not 0.20000000000000001).
        char buf[64];
        const auto res = std::to_chars(buf, buf + sizeof buf, value.get<double>());
        std::string t(buf, res.ptr);
        if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
        return t;
    }
    return std::to_string(value.get<int64_t>());
}

}  // namespace nnstudio::nn

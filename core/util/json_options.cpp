// JsonOptions implementation: every error is a SpecError naming the offending JSON path.
#include "util/json_options.h"

#include "error.h"

#include <algorithm>
#include <cmath>

namespace nnstudio {

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
    return out;
}

JsonOptions::JsonOptions(const nlohmann::json& options, std::string path, std::string what)
    : m_options(options), m_path(std::move(path)), m_what(std::move(what)) {
    if (!m_options.is_null() && !m_options.is_object())
        throw SpecError(m_path + ": options of " + m_what + " must be a JSON object like {\"key\": value}, got " +
                        std::string(m_options.type_name()));
}

std::string JsonOptions::path_of(const std::string& key) const {
    return m_path.empty() ? key : m_path + "." + key;
}

void JsonOptions::fail(const std::string& key, const std::string& message) const {
    throw SpecError(path_of(key) + ": " + message);
}

void JsonOptions::allow_only(const std::vector<std::string>& valid) const {
    if (!m_options.is_object()) return;
    for (const auto& [key, value] : m_options.items()) {
        (void)value;
        if (std::find(valid.begin(), valid.end(), key) == valid.end())
            fail(key, "unknown option for " + m_what + "; valid options: " +
                          (valid.empty() ? std::string("(none)") : join_names(valid)));
    }
}

const nlohmann::json* JsonOptions::find(const std::string& key) const {
    if (!m_options.is_object()) return nullptr;
    const auto it = m_options.find(key);
    return it == m_options.end() || it->is_null() ? nullptr : &*it;
}

bool JsonOptions::has(const std::string& key) const { return find(key) != nullptr; }

std::optional<double> JsonOptions::optional_number(const std::string& key) const {
    const nlohmann::json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) fail(key, "must be a number, got " + v->dump());
    const double d = v->get<double>();
    if (!std::isfinite(d)) fail(key, "must be a finite number");
    return d;
}

double JsonOptions::number(const std::string& key, double fallback) const {
    return optional_number(key).value_or(fallback);
}

int64_t JsonOptions::integer(const std::string& key, int64_t fallback) const {
    const nlohmann::json* v = find(key);
    if (!v) return fallback;
    if (v->is_number_integer()) return v->get<int64_t>();
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<int64_t>(d);
    }
    fail(key, "must be a whole number, got " + v->dump());
}

bool JsonOptions::boolean(const std::string& key, bool fallback) const {
    const nlohmann::json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(key, "must be true or false, got " + v->dump());
    return v->get<bool>();
}

std::string JsonOptions::string(const std::string& key, const std::string& fallback) const {
    const nlohmann::json* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) fail(key, "must be a string, got " + v->dump());
    return v->get<std::string>();
}

std::vector<double> JsonOptions::numbers(const std::string& key) const {
    const nlohmann::json* v = find(key);
    if (!v) return {};
    if (!v->is_array()) fail(key, "must be an array of numbers like [1.0, 2.0], got " + v->dump());
    std::vector<double> out;
    for (size_t i = 0; i < v->size(); ++i) {
        const auto& e = (*v)[i];
        if (!e.is_number() || !std::isfinite(e.get<double>()))
            fail(key, "element " + std::to_string(i) + " must be a finite number, got " + e.dump());
        out.push_back(e.get<double>());
    }
    return out;
}

}  // namespace nnstudio

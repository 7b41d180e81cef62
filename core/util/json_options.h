// JsonOptions: typed, validated reads of a JSON options object (loss, optimizer, scheduler,
// init scheme) whose errors name the JSON path and list the valid keys.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nnstudio {

class JsonOptions {
public:
    // `options` must be an object or null (null = all defaults). `path` is where it sits in the
    // user's file ("training.optimizer.options"); `what` names its owner in messages ("Adam").
    JsonOptions(const nlohmann::json& options, std::string path, std::string what);

    // Rejects keys outside `valid` so a typo ("momentun") is an error, not a silent default.
    void allow_only(const std::vector<std::string>& valid) const;

    bool has(const std::string& key) const;
    double number(const std::string& key, double fallback) const;
    std::optional<double> optional_number(const std::string& key) const;
    int64_t integer(const std::string& key, int64_t fallback) const;
    bool boolean(const std::string& key, bool fallback) const;
    std::string string(const std::string& key, const std::string& fallback) const;
    std::vector<double> numbers(const std::string& key) const;  // empty when absent

    std::string path_of(const std::string& key) const;  // "path.key"
    const std::string& path() const { return m_path; }

    // Throws SpecError "<path.key>: <message>".
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;

private:
    const nlohmann::json* find(const std::string& key) const;

    const nlohmann::json& m_options;
    std::string m_path;
    std::string m_what;
};

std::string join_names(const std::vector<std::string>& names);  // "a, b, c"

}  // namespace nnstudio

// sniff_delimiter / sniff_header, after csv.Sniffer._guess_delimiter and csv.Sniffer.has_header.
#include "data/csv_dialect.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

namespace nnstudio::data {
namespace {

size_t count_outside_quotes(std::string_view line, char c) {
    size_t n = 0;
    bool quoted = false;
    for (char ch : line) {
        if (ch == '"') quoted = !quoted;
        else if (ch == c && !quoted) ++n;
    }
    return n;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// What Python's int() then float() accept (whitespace around, a sign, digits; float also
// takes exponents, inf and nan); everything else is a string typed by its length.
enum class CellType { Int, Float, String };
CellType type_of(std::string_view cell) {
    std::string_view s = trimmed(cell);
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    if (s.empty()) return CellType::String;
    if (std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return CellType::Int;
    const std::string_view t = trimmed(cell);
    double v = 0;
    const char* b = t.data() + (t.front() == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(b, t.data() + t.size(), v);
    return (ec == std::errc() || ec == std::errc::result_out_of_range) && ptr == t.data() + t.size() ? CellType::Float
                                                                                                      : CellType::String;
}

}  // namespace

char sniff_delimiter(const std::vector<std::string_view>& lines) {
    const size_t n = std::min(lines.size(), kCsvSniffLines);
    if (n == 0) return 0;
    char best = 0;
    double best_consistency = 0.0;
    for (char c : kCsvDelimiters) {
        std::map<size_t, size_t> lines_with_count;
        for (size_t i = 0; i < n; ++i) ++lines_with_count[count_outside_quotes(lines[i], c)];
        // The mode: the most common count (the larger count on ties, as the Sniffer's max()).
        size_t mode = 0, mode_lines = 0;
        for (const auto& [count, k] : lines_with_count)
            if (k >= mode_lines) mode = count, mode_lines = k;
        const double consistency = static_cast<double>(mode_lines) / static_cast<double>(n);
        if (mode > 0 && consistency >= 0.9 && consistency > best_consistency) best = c, best_consistency = consistency;
    }
    return best;
}

bool sniff_header(const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return false;
    // When no column can vote (a lone row, or ragged rows below it), where the Sniffer says
    // "no header": a first row without a single number is a header.
    const bool no_numbers =
        std::none_of(rows[0].begin(), rows[0].end(), [](const std::string& c) { return type_of(c) != CellType::String; });
    if (rows.size() == 1) return no_numbers;
    const std::vector<std::string>& header = rows.front();
    const size_t columns = header.size();
    // Per column: its type below the header (a length for strings), or none once inconsistent.
    struct Kind {
        CellType type;
        size_t length;
        bool operator==(const Kind&) const = default;
    };
    std::vector<std::optional<Kind>> kinds(columns);
    std::vector<bool> dropped(columns, false);
    const size_t last = std::min(rows.size(), kCsvSniffLines + 1);
    for (size_t r = 1; r < last; ++r) {
        if (rows[r].size() != columns) continue;  // the Sniffer skips rows of another length
        for (size_t k = 0; k < columns; ++k) {
            if (dropped[k]) continue;
            const CellType t = type_of(rows[r][k]);
            const Kind kind{t, t == CellType::String ? rows[r][k].size() : 0};
            if (!kinds[k]) kinds[k] = kind;
            else if (!(*kinds[k] == kind)) dropped[k] = true, kinds[k].reset();
        }
    }
    int votes = 0;
    bool voted = false;
    for (size_t k = 0; k < columns; ++k) {
        if (!kinds[k]) continue;
        voted = true;
        if (kinds[k]->type == CellType::String) {
            votes += header[k].size() != kinds[k]->length ? 1 : -1;
        } else {
            // float("3") works, so an int header cell over a float column is data, as in Python.
            const CellType h = type_of(header[k]);
            const bool converts = kinds[k]->type == CellType::Int ? h == CellType::Int : h != CellType::String;
            votes += converts ? -1 : 1;
        }
    }
    return voted ? votes > 0 : no_numbers;
}

}  // namespace nnstudio::data

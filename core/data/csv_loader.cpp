// CSV loader implementation: whole file in memory (tables, not images), a small quote-aware
// splitter, then typed cells with positional error messages.
#include "data/csv_loader.h"

#include "data/compressed_file.h"
#include "data/csv_dialect.h"
#include "data/data_error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace nnstudio::data {

namespace {

constexpr int64_t kMaxIntegerLabel = 65535;  // beyond this the column is an id or a target, not a class
constexpr size_t kMaxStringClasses = 10000;

std::string in_quotes(const std::string& s) {
    std::string shown = s.size() > 60 ? s.substr(0, 57) + "..." : s;
    return "\"" + shown + "\"";
}

struct Row {
    int64_t line = 0;  // 1-based physical line
    std::vector<std::string> cells;
};

bool is_space(char c, char delimiter) { return (c == ' ' || c == '\t' || c == '\r') && c != delimiter; }

// Splits one line into cells; RFC 4180 quoting within the line.
std::vector<std::string> split_line(const std::string& path, int64_t line_no, std::string_view line, char delim) {
    std::vector<std::string> cells;
    size_t i = 0;
    const size_t n = line.size();
    for (;;) {
        while (i < n && is_space(line[i], delim)) ++i;
        std::string cell;
        if (i < n && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < n) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        cell += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                cell += line[i++];
            }
            if (!closed)
                throw DataError(path + " line " + std::to_string(line_no) + ", cell " + std::to_string(cells.size() + 1) +
                                ": unterminated quote (quoted cells must close on the same line)");
            while (i < n && is_space(line[i], delim)) ++i;
            if (i < n && line[i] != delim)
                throw DataError(path + " line " + std::to_string(line_no) + ", cell " + std::to_string(cells.size() + 1) +
                                ": unexpected text after a closing quote; write \"\" for a quote inside a quoted cell");
        } else {
            const size_t start = i;
            while (i < n && line[i] != delim) ++i;
            size_t end = i;
            while (end > start && is_space(line[end - 1], delim)) --end;
            cell.assign(line.substr(start, end - start));
        }
        cells.push_back(std::move(cell));
        if (i >= n) break;
        ++i;  // the delimiter
    }
    return cells;
}

bool blank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

// Parses a whole cell as a double; false if any character is left over.
bool parse_number(const std::string& text, double& value) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (begin != end && *begin == '+') ++begin;  // from_chars rejects a leading '+'
    if (begin == end) return false;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec == std::errc::result_out_of_range) {
        value = HUGE_VAL;  // reported as not finite
        return ptr == end;
    }
    return ec == std::errc() && ptr == end;
}

}  // namespace

LabelColumn LabelColumn::parse(const std::string& text) {
    if (text.empty()) return {};
    int64_t v = 0;
    const char* b = text.data();
    const auto [ptr, ec] = std::from_chars(b, b + text.size(), v);
    if (ec == std::errc() && ptr == b + text.size()) return LabelColumn(v);
    return LabelColumn(text);
}

std::vector<LabelColumn> parse_target_columns(const std::string& text) {
    std::vector<LabelColumn> columns;
    if (text.find_first_not_of(' ') == std::string::npos) return columns;
    size_t start = 0;
    for (;;) {
        const size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item.empty())
            throw DataError("target columns '" + text + "': an empty item; list header names or 0-based indices separated by "
                            "commas, e.g. price or 3,4");
        columns.push_back(LabelColumn::parse(item));
        if (comma == text.size()) return columns;
        start = comma + 1;
    }
}

std::string target_columns_text(const std::vector<LabelColumn>& columns) {
    std::string text;
    for (const LabelColumn& c : columns)
        text += (text.empty() ? "" : ",") + (c.name() ? *c.name() : std::to_string(c.index().value_or(-1)));
    return text;
}

std::string LabelColumn::describe() const {
    if (m_name) return "\"" + *m_name + "\"";
    if (m_index) return "index " + std::to_string(*m_index);
    return "the last column";
}

namespace {
// A delimiter as messages show it: 'x', or tab (a raw tab character reads as nothing).
std::string delimiter_text(char delimiter) { return delimiter == '\t' ? "tab" : std::string{'\'', delimiter, '\''}; }

// "1,5" (digits, one comma, digits): a number written with a decimal comma.
bool decimal_comma_number(std::string_view cell) {
    const size_t comma = cell.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == cell.size()) return false;
    std::string_view whole = cell.substr(0, comma);
    if (whole.front() == '-' || whole.front() == '+') whole.remove_prefix(1);
    const auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return digits(whole) && digits(cell.substr(comma + 1));
}

// For a feature cell that is not a number: when it looks like a decimal comma ("1,5" read with
// ';', or "5;2" where ',' split "1,5;2,3" into "1", "5;2", "3", or a quoted "1,5" between ','s),
// what the user can do about it; "" otherwise.
std::string decimal_comma_hint(const std::string& cell, char delimiter) {
    if (delimiter == ',' && decimal_comma_number(cell))  // only quotes let a ',' into a cell
        return "; the file seems to use decimal commas in quoted cells (\"1,5\" for 1.5); NN Studio reads decimal "
               "points only: save the file again with '.' as the decimal separator (the spreadsheet's locale setting)";
    bool comma_decimals = false;
    if (delimiter != ',') {
        comma_decimals = decimal_comma_number(cell);
    } else if (cell.find(';') != std::string::npos) {
        // the pieces between the ';'s are the ends and starts of decimal-comma numbers: digits
        comma_decimals = std::all_of(cell.begin(), cell.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || c == ';' || c == '-'; });
    }
    if (!comma_decimals) return "";
    const std::string between = delimiter == ',' ? std::string("';'") : delimiter_text(delimiter);
    return "; the file seems to use decimal commas (1,5 for 1.5) with " + between +
           " between cells, as spreadsheets in some locales save CSV; NN Studio reads decimal points only: "
           "replace every comma with a point (sed 's/,/./g' in.csv > out.csv; safe, as " + between +
           " separates the cells), or save the file again with '.' as the decimal separator (the spreadsheet's "
           "locale setting)";
}
}  // namespace

std::string CsvDialect::describe() const {
    return "delimiter " + delimiter_text(delimiter) + (delimiter_detected ? " (detected)" : "") + ", " +
           (has_header ? "header row" : "no header row") + (header_detected ? " (detected)" : "");
}

char parse_csv_delimiter(const std::string& text) {
    if (text == "tab" || text == "\\t" || text == "\t") return '\t';
    if (text.size() == 1 && (text == "," || text == ";" || text == "|" || text == " " || text == ":")) return text[0];
    throw DataError("CSV delimiter '" + text + "': use one of , ; | tab");
}

std::optional<bool> parse_csv_header(const std::string& text) {
    if (text == "yes" || text == "true") return true;
    if (text == "no" || text == "false") return false;
    if (text == "auto" || text.empty()) return std::nullopt;
    throw DataError("CSV header '" + text + "': use yes, no or auto");
}

Dataset load_csv(const std::string& path, const CsvOptions& options, CsvDialect* dialect) {
    return parse_csv(CompressedFile(path).read_all(), path, options, dialect);
}

CsvPreview preview_csv(const std::string& path, const CsvOptions& options, size_t max_rows) {
    constexpr size_t kHeadBytes = 64 * 1024;
    CompressedFile file(path);
    std::string text(kHeadBytes, '\0');
    text.resize(file.read(text.data(), text.size()));
    char probe;
    const bool cut = text.size() == kHeadBytes && file.read(&probe, 1) == 1;
    if (cut && text.find('\n') != std::string::npos) text.resize(text.rfind('\n') + 1);  // whole lines only
    CsvPreview p;
    const Dataset all = parse_csv(std::move(text), path, options, &p.dialect);
    std::vector<int64_t> first(static_cast<size_t>(std::min<int64_t>(all.size(), static_cast<int64_t>(max_rows))));
    for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<int64_t>(i);
    p.head = all.subset(first);
    p.more = cut || all.size() > static_cast<int64_t>(max_rows);
    return p;
}

Dataset parse_csv(std::string text, const std::string& path, const CsvOptions& options, CsvDialect* dialect_out) {
    if (options.delimiter && (*options.delimiter == '"' || *options.delimiter == '\n' || *options.delimiter == '\0' ||
                              *options.delimiter == '\r'))
        throw DataError("CSV delimiter cannot be a quote, newline or NUL character; use ',' ';' or '\\t'");
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // UTF-8 BOM
    const std::string empty_message = path + ": the file is empty; a CSV needs feature columns and a label column";
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw DataError(empty_message);

    // Non-blank lines, with their line numbers for messages.
    std::vector<std::string_view> lines;
    std::vector<int64_t> line_numbers;
    {
        int64_t line_no = 0;
        size_t pos = 0;
        while (pos <= text.size()) {
            size_t nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            ++line_no;
            const std::string_view line(text.data() + pos, nl - pos);
            if (!blank(line)) lines.push_back(line), line_numbers.push_back(line_no);
            pos = nl + 1;
        }
    }
    if (lines.empty()) throw DataError(empty_message);
    CsvDialect dialect;
    if (options.delimiter) {
        dialect.delimiter = *options.delimiter;
    } else {
        const char sniffed = sniff_delimiter(lines);
        dialect.delimiter = sniffed ? sniffed : ',';
        dialect.delimiter_detected = sniffed != 0;
    }
    std::vector<Row> rows;
    rows.reserve(lines.size());
    for (size_t i = 0; i < lines.size(); ++i)
        rows.push_back({line_numbers[i], split_line(path, line_numbers[i], lines[i], dialect.delimiter)});
    std::vector<std::string_view>().swap(lines);
    std::string().swap(text);
    if (options.has_header) {
        dialect.has_header = *options.has_header;
    } else {
        std::vector<std::vector<std::string>> sample;
        for (size_t i = 0; i < rows.size() && i <= kCsvSniffLines; ++i) sample.push_back(rows[i].cells);
        dialect.has_header = sniff_header(sample);
        dialect.header_detected = true;
    }
    if (dialect_out) *dialect_out = dialect;

    std::vector<std::string> names;
    size_t first_data = 0;
    if (dialect.has_header) {
        names = rows.front().cells;
        first_data = 1;
    } else {
        names.assign(rows.front().cells.size(), std::string());
    }
    const size_t columns = names.size();
    if (rows.size() <= first_data)
        throw DataError(path + ": the file has a header line but no data rows");
    if (columns < 2)
        throw DataError(path + " line " + std::to_string(rows.front().line) + ": only 1 column (delimiter " +
                        delimiter_text(dialect.delimiter) +
                        "); a CSV needs at least one feature column and a label column: is the delimiter right? "
                        "(set it with --csv-delimiter, or csv_delimiter in the training section)");

    // Column k (0-based) in messages: 1-based number plus the header name.
    auto column_text = [&](size_t k) {
        std::string s = "column " + std::to_string(k + 1);
        if (!names[k].empty()) s += " (" + in_quotes(names[k]) + ")";
        return s;
    };

    // Which column is the label.
    size_t label = columns - 1;
    const LabelColumn& lc = options.label_column;
    if (lc.name()) {
        std::vector<size_t> found;
        for (size_t k = 0; k < columns; ++k)
            if (names[k] == *lc.name()) found.push_back(k);
        if (!dialect.has_header)
            throw DataError(path + ": label column " + lc.describe() +
                            " is given by name but the file is read without a header row; give its index "
                            "instead, or say the first row is a header (--csv-header yes)");
        if (found.empty()) {
            std::string list;
            for (size_t k = 0; k < columns; ++k) list += (k ? ", " : "") + in_quotes(names[k]);
            throw DataError(path + ": no column named " + in_quotes(*lc.name()) + " for the label; the header has " + list);
        }
        if (found.size() > 1)
            throw DataError(path + ": the header names " + std::to_string(found.size()) + " columns " +
                            in_quotes(*lc.name()) + "; give the label column by index instead");
        label = found.front();
    } else if (lc.index()) {
        const int64_t idx = *lc.index() < 0 ? *lc.index() + static_cast<int64_t>(columns) : *lc.index();
        if (idx < 0 || idx >= static_cast<int64_t>(columns))
            throw DataError(path + ": label column index " + std::to_string(*lc.index()) + " is out of range; the file has " +
                            std::to_string(columns) + " columns (indices 0.." + std::to_string(columns - 1) +
                            ", or -1 for the last)");
        label = static_cast<size_t>(idx);
    }

    // Target columns, if given, replace the label column.
    std::vector<size_t> targets;
    std::vector<char> is_target(columns, 0);
    if (!options.target_columns.empty()) {
        if (lc.name() || lc.index())
            throw DataError(path + ": both a label column (" + lc.describe() +
                            ") and target columns are given; a data set has class labels or float targets, not both: "
                            "drop one of them");
        for (const LabelColumn& tc : options.target_columns) {
            size_t k = columns;
            if (tc.name()) {
                if (!dialect.has_header)
                    throw DataError(path + ": target column " + tc.describe() +
                                    " is given by name but the file is read without a header row; give its index "
                                    "instead, or say the first row is a header (--csv-header yes)");
                for (size_t j = 0; j < columns; ++j)
                    if (names[j] == *tc.name()) {
                        if (k != columns)
                            throw DataError(path + ": the header names several columns " + in_quotes(*tc.name()) +
                                            "; give the target column by index instead");
                        k = j;
                    }
                if (k == columns) {
                    std::string list;
                    for (size_t j = 0; j < columns; ++j) list += (j ? ", " : "") + in_quotes(names[j]);
                    throw DataError(path + ": no column named " + in_quotes(*tc.name()) +
                                    " for a target; the header has " + list);
                }
            } else {
                const int64_t idx = *tc.index() < 0 ? *tc.index() + static_cast<int64_t>(columns) : *tc.index();
                if (idx < 0 || idx >= static_cast<int64_t>(columns))
                    throw DataError(path + ": target column index " + std::to_string(*tc.index()) +
                                    " is out of range; the file has " + std::to_string(columns) + " columns (indices 0.." +
                                    std::to_string(columns - 1) + ", or -1 for the last)");
                k = static_cast<size_t>(idx);
            }
            if (is_target[k])
                throw DataError(path + ": " + column_text(k) + " is given twice as a target column; list each once");
            is_target[k] = 1;
            targets.push_back(k);
        }
        if (targets.size() == columns)
            throw DataError(path + ": every column is a target column, so no feature is left; the model needs at least "
                            "one input column");
        label = columns;  // no label column
    }

    if (dialect_out) {
        dialect_out->target_indices = targets;
        dialect_out->label_index = targets.empty() ? label : 0;
        for (size_t k = 0; k < columns; ++k)
            dialect_out->columns.push_back(names[k].empty() ? "column " + std::to_string(k + 1) : names[k]);
    }

    // An unnamed last column whose cells are all empty: every line ends with the delimiter
    // ("a,b,label,"). Not dropped silently (pandas and csv.reader keep it too): said, with the fix.
    const auto trailing_delimiter_hint = [&](size_t k) -> std::string {
        if (k + 1 != columns || !names[k].empty()) return "";
        for (size_t r = first_data; r < rows.size(); ++r)
            if (rows[r].cells.size() == columns && !rows[r].cells[k].empty()) return "";
        return "; every line ends with the delimiter " + delimiter_text(dialect.delimiter) +
               ", so the last column is empty and unnamed: remove the delimiter at the end of each line (sed "
               "'s/" + (dialect.delimiter == '\t' ? std::string("\\t") : std::string(1, dialect.delimiter)) +
               "$//' in.csv > out.csv), then the label column is the last again (or name it with --label-column, "
               "the model file's training.label_column)";
    };
    const size_t features = targets.empty() ? columns - 1 : columns - targets.size();
    const size_t samples = rows.size() - first_data;
    std::vector<float> values;
    values.reserve(samples * features);
    std::vector<float> target_values(samples * targets.size());
    std::vector<std::string> label_text;
    label_text.reserve(samples);
    std::vector<int64_t> label_line;
    label_line.reserve(samples);
    for (size_t r = first_data; r < rows.size(); ++r) {
        Row& row = rows[r];
        const std::string where = path + " line " + std::to_string(row.line);
        if (row.cells.size() != columns)
            throw DataError(where + ": " + std::to_string(row.cells.size()) + " cells, but " +
                            (dialect.has_header ? "the header has " : "the first row has ") + std::to_string(columns) +
                            " columns; every row needs the same number of cells (delimiter " +
                            delimiter_text(dialect.delimiter) + ")");
        for (size_t t = 0; t < targets.size(); ++t) {
            const std::string& cell = row.cells[targets[t]];
            double v = 0.0;
            if (cell.empty() || !parse_number(cell, v) || !std::isfinite(static_cast<float>(v)))
                throw DataError(where + ", " + column_text(targets[t]) + ": " +
                                (cell.empty() ? std::string("empty cell") : in_quotes(cell) + " is not a finite number") +
                                "; target columns hold float targets (regression values, "
                                "or 0/1 for each label of a multi-label problem)");
            target_values[(r - first_data) * targets.size() + t] = static_cast<float>(v);
        }
        for (size_t k = 0; k < columns; ++k) {
            if (k == label || is_target[k]) continue;
            const std::string& cell = row.cells[k];
            if (cell.empty())
                throw DataError(where + ", " + column_text(k) + ": empty cell; every feature must be a number" +
                                trailing_delimiter_hint(k));
            double v = 0.0;
            if (!parse_number(cell, v)) {
                const std::string hint = decimal_comma_hint(cell, dialect.delimiter);
                throw DataError(where + ", " + column_text(k) + ": " + in_quotes(cell) + " is not a number" +
                                (!hint.empty() ? hint
                                               : "; feature columns must be numeric (is this the label column? "
                                                 "choose it with --label-column NAME|INDEX, or the model file's "
                                                 "training.label_column)"));
            }
            const float f = static_cast<float>(v);
            if (!std::isfinite(f))
                throw DataError(where + ", " + column_text(k) + ": " + in_quotes(cell) +
                                " is not a finite float32 number; remove or replace NaN/Inf/huge values");
            values.push_back(f);
        }
        if (!targets.empty()) continue;
        if (row.cells[label].empty()) {
            const std::string trailing = trailing_delimiter_hint(label);
            throw DataError(where + ", " + column_text(label) + ": empty label cell" +
                            (trailing.empty() ? "; every row needs a class label" : trailing));
        }
        label_text.push_back(std::move(row.cells[label]));
        label_line.push_back(row.line);
    }
    std::vector<Row>().swap(rows);
    if (!targets.empty()) {
        std::vector<std::string> target_names;
        for (size_t k : targets) target_names.push_back(names[k].empty() ? "column " + std::to_string(k + 1) : names[k]);
        Dataset d = Dataset::from_floats_with_targets({static_cast<int64_t>(features)}, std::move(values),
                                                      std::move(target_values), std::move(target_names));
        d.set_name(path);
        return d;
    }

    // Integer labels when every label is a class index (a whole number >= 0), names when none is;
    // a mix is refused, since reading it as names would silently renumber the integer classes.
    std::vector<int32_t> labels(samples);
    std::vector<bool> is_index(samples);
    size_t indices = 0;
    for (size_t i = 0; i < samples; ++i) {
        double v = 0.0;
        is_index[i] = parse_number(label_text[i], v) && std::isfinite(v) && v >= 0 && v == std::floor(v);
        indices += is_index[i];
    }
    if (indices != 0 && indices != samples) {
        // The odd one out is the first label of the kind fewer rows have (on a tie, of the kind
        // the first row does not have); an example of the other kind shows what the column holds.
        const bool odd_is_index = indices * 2 < samples || (indices * 2 == samples && !is_index[0]);
        const size_t odd = static_cast<size_t>(std::find(is_index.begin(), is_index.end(), odd_is_index) - is_index.begin());
        const size_t usual = static_cast<size_t>(std::find(is_index.begin(), is_index.end(), !odd_is_index) - is_index.begin());
        const size_t others = odd_is_index ? samples - indices : indices;
        throw DataError(path + " line " + std::to_string(label_line[odd]) + ", " + column_text(label) + ": label " +
                        in_quotes(label_text[odd]) +
                        (odd_is_index ? " is an integer, but " + std::to_string(others) + " other labels are names"
                                      : " is not an integer class index (a whole number >= 0), but " +
                                            std::to_string(others) + " other labels are") +
                        " (e.g. " + in_quotes(label_text[usual]) + " on line " + std::to_string(label_line[usual]) +
                        "); labels must be all integers (class indices 0, 1, 2, ...) or all names: fix this label, "
                        "or choose another label column");
    }
    const bool integers = indices == samples;
    int64_t largest = -1;
    for (size_t i = 0; i < samples && integers; ++i) {
        double v = 0.0;
        parse_number(label_text[i], v);
        if (v > kMaxIntegerLabel)
            throw DataError(path + " line " + std::to_string(label_line[i]) + ", " + column_text(label) + ": label " +
                            in_quotes(label_text[i]) + " is too large for a class index (max " +
                            std::to_string(kMaxIntegerLabel) + "); is this the right label column? (--label-column NAME|INDEX)");
        labels[i] = static_cast<int32_t>(v);
        largest = std::max<int64_t>(largest, labels[i]);
    }
    std::vector<std::string> class_names;
    int64_t num_classes = largest + 1;
    if (!integers) {
        std::unordered_map<std::string, int32_t> index_of;
        for (size_t i = 0; i < samples; ++i) {
            auto [it, inserted] = index_of.try_emplace(label_text[i], static_cast<int32_t>(class_names.size()));
            if (inserted) {
                class_names.push_back(label_text[i]);
                if (class_names.size() > kMaxStringClasses)
                    throw DataError(path + ", " + column_text(label) + ": more than " + std::to_string(kMaxStringClasses) +
                                    " distinct labels; this looks like a continuous or id column, not class labels — "
                                    "choose the label column with --label-column NAME|INDEX (the model file's training.label_column)");
            }
            labels[i] = it->second;
        }
        num_classes = static_cast<int64_t>(class_names.size());
    }

    Dataset d = Dataset::from_floats({static_cast<int64_t>(features)}, std::move(values), std::move(labels), num_classes,
                                     std::move(class_names));
    d.set_name(path);
    return d;
}

}  // namespace nnstudio::data

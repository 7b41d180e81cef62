// CSV loader: numeric feature columns plus one label column (integers, or strings mapped to
// classes in order of first appearance), with errors naming file, line, column and text.
#pragma once
#include "data/dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnstudio::data {

// Which column holds the label: by header name, by 0-based index (negative counts from the end,
// -1 = last), or by default the last column.
class LabelColumn {
public:
    LabelColumn() = default;  // the last column
    LabelColumn(std::string name) : m_name(std::move(name)) {}
    LabelColumn(const char* name) : m_name(name) {}
    LabelColumn(int64_t index) : m_index(index) {}
    LabelColumn(int index) : m_index(index) {}
    // Command-line/GUI text: an integer is an index, anything else a name, empty = last column.
    static LabelColumn parse(const std::string& text);

    const std::optional<std::string>& name() const { return m_name; }
    const std::optional<int64_t>& index() const { return m_index; }
    std::string describe() const;  // "\"species\"", "index 2", "the last column"

private:
    std::optional<std::string> m_name;
    std::optional<int64_t> m_index;
};

// "NAME[,NAME...]" or "INDEX[,INDEX...]" (each item as LabelColumn::parse reads it; blank: none)
// -> the target columns. Throws DataError for an empty item ("a,,b").
std::vector<LabelColumn> parse_target_columns(const std::string& text);
std::string target_columns_text(const std::vector<LabelColumn>& columns);  // back to that text

struct CsvOptions {
    LabelColumn label_column;        // default: last column
    // Non-empty: these columns hold float targets (regression values, or 0/1 entries of a
    // multi-label problem) and there is no label column; every other column is a feature.
    std::vector<LabelColumn> target_columns;
    std::optional<bool> has_header;  // first non-blank line holds column names; unset: detected
    std::optional<char> delimiter;   // unset: detected among , tab ; | (data/csv_dialect.h)
};

// The dialect a file was read with, and whether each part was detected or given.
struct CsvDialect {
    char delimiter = ',';
    bool has_header = true;
    bool delimiter_detected = false, header_detected = false;
    std::vector<std::string> columns;  // header names, or "column 1", "column 2", ... without a header
    size_t label_index = 0;            // which of them is the label (without target columns)
    std::vector<size_t> target_indices;  // the target columns, in the order given (empty: a label column)
    std::string describe() const;  // "delimiter ';' (detected), header row (detected)"
};

// "," ";" "|" "tab" (or "\t") -> the character; throws DataError naming the choices otherwise.
char parse_csv_delimiter(const std::string& text);
// "yes" / "no" / "auto" -> true / false / unset; throws DataError otherwise.
std::optional<bool> parse_csv_header(const std::string& text);

// Every non-label column must be a finite number; blank lines are skipped; cells may be quoted
// ("a, b" with "" for a quote); a UTF-8 BOM and CRLF line ends are read as spreadsheets write
// them. Integer labels (all >= 0; "3.0" counts as 3) keep their values and num_classes =
// largest + 1; labels none of which is such an integer are names and become class names (in order
// of appearance); a column that mixes the two (one stray "2.5" or "x") is a DataError naming the
// line, the column and the label.
// Messages count lines and columns from 1, as editors do. A .csv.gz file is read too.
// Features have shape (number of non-label columns,) as float32. `dialect` receives what was used.
// With options.target_columns the named columns are read as float targets instead (each cell a
// finite number, else a DataError naming the line and column), giving a data set with
// has_targets(); an unknown name, an index out of range, a column given twice, a label column
// given as well, or no feature column left is a DataError too.
Dataset load_csv(const std::string& path, const CsvOptions& options = {}, CsvDialect* dialect = nullptr);
// The same on the file's text; `name` starts the messages.
Dataset parse_csv(std::string text, const std::string& name, const CsvOptions& options = {},
                  CsvDialect* dialect = nullptr);

// The first rows of a file as they are read, for the GUI's data form: only the file's first
// 64 KiB are parsed (the detection samples 20 lines anyway). Throws DataError as load_csv does.
struct CsvPreview {
    CsvDialect dialect;
    Dataset head;       // up to max_rows samples: features and labels as training sees them
    bool more = false;  // the file has more rows than shown
};
CsvPreview preview_csv(const std::string& path, const CsvOptions& options = {}, size_t max_rows = 5);

}  // namespace nnstudio::data

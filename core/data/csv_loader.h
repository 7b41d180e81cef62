// CSV loader: numeric feature columns plus one label column (integers, or strings mapped to
// classes in order of first appearance), with errors naming file, line, column and text.
#pragma once
#include "data/dataset.h"

#include <cstdint>
#include <optional>
#include <string>

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

struct CsvOptions {
    LabelColumn label_column;  // default: last column
    bool has_header = true;    // first non-blank line holds column names
    char delimiter = ',';
};

// Every non-label column must be a finite number; blank lines are skipped; cells may be quoted
// ("a, b" with "" for a quote). Integer labels (all >= 0; "3.0" counts as 3) keep their values
// and num_classes = largest + 1; otherwise labels are strings and become class names.
// Messages count lines and columns from 1, as editors do. A .csv.gz file is read too.
// Features have shape (number of non-label columns,) as float32.
Dataset load_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace nnstudio::data

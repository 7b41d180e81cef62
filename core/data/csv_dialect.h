// Guessing a CSV file's dialect as Python's csv.Sniffer does (Lib/csv.py): the delimiter is the
// candidate that occurs equally often on (nearly) every sampled line, and the first row is a
// header when its cells do not have the type their columns have below it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace nnstudio::data {

// Delimiters tried, in csv.Sniffer's order of preference when several fit.
inline constexpr char kCsvDelimiters[] = {',', '\t', ';', '|'};
constexpr size_t kCsvSniffLines = 20;  // lines sampled, as csv.Sniffer's chunk

// The first kCsvSniffLines of `lines` decide (characters inside "..." do not count): each
// candidate's most common count per line must be above 0 on at least 90% of them (csv.Sniffer's
// consistency threshold); the most consistent wins, ties going by kCsvDelimiters' order.
// Returns 0 when no candidate fits (one column, or ragged lines).
char sniff_delimiter(const std::vector<std::string_view>& lines);

// csv.Sniffer.has_header: each column whose cells below the first row (up to kCsvSniffLines of
// them) are all ints, all floats, or all strings of one length votes: a first-row cell of another
// type (or length) is a header vote, one of the same type a data vote. A header when the header
// votes win. Where no column can vote (a lone row; rows below of other lengths), which the
// Sniffer answers with "no header", the first row is a header when none of its cells is a number.
bool sniff_header(const std::vector<std::vector<std::string>>& rows);

}  // namespace nnstudio::data

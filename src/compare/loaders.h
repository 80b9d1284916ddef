// Readers of the files `acuity score -o` writes (NAME.acuity.json,
// summary.jsonl, summary.csv), for compare and check. Internal to
// src/compare/ and its tests and fuzz target.
//
// Every reader works on the text in memory and never throws: what it cannot
// read becomes a one-line message naming the file, the line (or the JSON
// field) and the field. A row it cannot use is a failed row of the batch
// (counted, never dropped silently); a file it cannot use at all (empty, no
// header, no rows) is an input error, which makes compare and check exit
// with an error.
#ifndef ACUITY_SRC_COMPARE_LOADERS_H_
#define ACUITY_SRC_COMPARE_LOADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acuity/compare.h"
#include "acuity/status.h"

namespace acuity::loaders {

// The whole of `text` as a finite decimal number ("12", "-0.5", "1e-3"), or
// nullopt: no leading or trailing characters, no hex ("0x1p3"), no "nan",
// "inf" or out-of-range values ("1e999", "-1e400"), no leading '+'.
std::optional<double> ParseFinite(std::string_view text);

// `text` quoted for a one-line message: at most 40 characters, control
// characters escaped.
std::string Quote(std::string_view text);

struct CsvRecord {
  int line = 0;  // physical line where the record starts (1-based)
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by commas, records by LF or CRLF; a quoted
// field may hold commas, line breaks and doubled quotes. Empty lines are
// skipped. Errors: a quote inside an unquoted field, characters after a
// closing quote, a quote left open at the end.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text,
                                        const std::string& file);

void ParseSummaryCsv(std::string_view text, const std::string& file,
                     Batch* batch);
void ParseSummaryJsonl(std::string_view text, const std::string& file,
                       Batch* batch);
// One NAME.acuity.json: a video, or a failed row.
void ParseReport(std::string_view text, const std::string& file,
                 const PooledStat& stat, Batch* batch);

}  // namespace acuity::loaders

#endif  // ACUITY_SRC_COMPARE_LOADERS_H_

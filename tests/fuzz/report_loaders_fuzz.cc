// libFuzzer target for the readers of earlier reports and summaries
// (src/compare/loaders.h): summary.csv, summary.jsonl, NAME.acuity.json and
// the CSV parser under them. The first byte picks the reader, the rest is
// the file's text (the seeds in corpus/report_loaders_fuzz/ start with P, Q,
// R, S or T: 80..84, one per reader). Besides the sanitizers, it checks
// the readers' promises: every value read is finite, every input error is
// one line naming the file, and every failed row carries an error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compare/loaders.h"

namespace {

void Require(bool ok) {
  if (!ok) std::abort();
}

bool OneLine(const std::string& message) {
  return message.find('\n') == std::string::npos &&
         message.find('\r') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1,
                              size - 1);
  const std::string file = "fuzz.input";
  acuity::Batch batch;
  switch (data[0] % 5) {
    case 0:
      acuity::loaders::ParseSummaryCsv(text, file, &batch);
      break;
    case 1:
      acuity::loaders::ParseSummaryJsonl(text, file, &batch);
      break;
    case 2:
      acuity::loaders::ParseReport(text, file, acuity::PooledStat{}, &batch);
      break;
    case 3:
      acuity::loaders::ParseReport(text, file, acuity::PooledStat{"p10"},
                                   &batch);
      break;
    default: {
      if (const auto v = acuity::loaders::ParseFinite(text)) {
        Require(std::isfinite(*v));
      }
      auto records = acuity::loaders::ParseCsv(text, file);
      if (!records.ok()) {
        Require(OneLine(records.status().message()));
        Require(records.status().message().rfind(file + ":", 0) == 0);
      }
      return 0;
    }
  }
  for (const auto& v : batch.videos) {
    for (const auto& [key, x] : v.values) Require(std::isfinite(x));
  }
  for (const auto& e : batch.input_errors) {
    Require(OneLine(e));
    Require(e.rfind(file, 0) == 0);
  }
  // Rows that failed when scored carry the scorer's own message; rows the
  // reader rejects name the file.
  for (const auto& row : batch.failed) Require(!row.status.ok());
  return 0;
}

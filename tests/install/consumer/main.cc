// Uses the installed public API: the version header, the metric table, the
// shard hash and one scored image (when a path is given).
#include <cstdio>

#include "acuity/metric.h"
#include "acuity/score.h"
#include "acuity/shard.h"
#include "acuity/version.h"

int main(int argc, char** argv) {
  auto metrics = acuity::SelectMetrics("laplacian_var");
  if (!metrics.ok()) return 1;
  std::printf("acuity %s fnv1a64(a)=%016llx\n", ACUITY_VERSION,
              static_cast<unsigned long long>(acuity::Fnv1a64("a")));
  if (argc < 2) return 0;
  acuity::ScoreOptions options;
  options.metrics = metrics.value();
  auto report = acuity::ScoreVideo(argv[1], options);
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.status().message().c_str());
    return 1;
  }
  std::printf("frames=%zu laplacian_var=%g\n", report->frames.size(),
              report->summary[0].median.value_or(-1));
  return 0;
}

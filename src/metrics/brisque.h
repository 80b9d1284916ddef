#ifndef ACUITY_METRICS_BRISQUE_H_
#define ACUITY_METRICS_BRISQUE_H_

#include <string>

#include "acuity/metric.h"
#include "acuity/status.h"

namespace acuity::metrics {

// Environment variable naming the folder that holds the model files; when
// set (non-empty) it is the only place looked at.
inline constexpr const char* kBrisqueModelDirEnv = "ACUITY_BRISQUE_MODEL_DIR";
// Where Debian's opencv-data package installs them.
inline constexpr const char* kBrisqueDebianModelDir =
    "/usr/share/opencv4/quality";
inline constexpr const char* kBrisqueModelFile = "brisque_model_live.yml";
inline constexpr const char* kBrisqueRangeFile = "brisque_range_live.yml";

MetricEntry BrisqueEntry();

// The folder holding both model files: $ACUITY_BRISQUE_MODEL_DIR if set,
// else the Debian path. NotFound names the first missing file, where it was
// looked for, and how to get it. Shared with tests.
Result<std::string> FindBrisqueModelDir();

}  // namespace acuity::metrics

#endif  // ACUITY_METRICS_BRISQUE_H_

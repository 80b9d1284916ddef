#ifndef ACUITY_CLI_EXIT_CODES_H_
#define ACUITY_CLI_EXIT_CODES_H_

namespace acuity::cli {

inline constexpr int kExitOk = 0;  // every input scored
inline constexpr int kExitSomeFailed =
    1;                                // some inputs failed, the rest scored
inline constexpr int kExitUsage = 2;  // bad command line
// compare --fail-on-regression: a criterion got significantly worse;
// check: some files failed a threshold.
inline constexpr int kExitRegression = 3;
inline constexpr int kExitInterrupted = 130;

}  // namespace acuity::cli

#endif  // ACUITY_CLI_EXIT_CODES_H_

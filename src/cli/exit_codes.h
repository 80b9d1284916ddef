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
// Transient, "retry me" (sysexits.h EX_TEMPFAIL): the outputs could not be
// written (disk full, quota, I/O error) or the run was stopped by SIGTERM
// (a scheduler preempting or evicting it). Run the same command again, with
// --resume, and it picks up where it stopped.
inline constexpr int kExitRetry = 75;
inline constexpr int kExitInterrupted = 130;  // Ctrl-C (SIGINT)

}  // namespace acuity::cli

#endif  // ACUITY_CLI_EXIT_CODES_H_

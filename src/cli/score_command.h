#ifndef ACUITY_CLI_SCORE_COMMAND_H_
#define ACUITY_CLI_SCORE_COMMAND_H_

#include <string>

namespace acuity::cli {

std::string ScoreDescription();
// argv[0] is "score"; returns the process exit code.
int RunScore(int argc, char** argv);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_SCORE_COMMAND_H_

// The subcommands. Each takes argv with argv[0] = the command name and
// returns the process exit code (cli/exit_codes.h).
#ifndef ACUITY_CLI_COMMANDS_H_
#define ACUITY_CLI_COMMANDS_H_

namespace acuity::cli {

int RunScore(int argc, char** argv);
int RunCompare(int argc, char** argv);
int RunCheck(int argc, char** argv);
int RunFrames(int argc, char** argv);
int RunTrack(int argc, char** argv);
int RunReport(int argc, char** argv);
int RunMerge(int argc, char** argv);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_COMMANDS_H_

// The lccge command-line program: one function per subcommand. Each receives its own arguments
// (argv[0] is "lccge <command>") and returns the exit code: 0 success, 1 no convergence or a failed run,
// 2 invalid input or usage. Errors go to standard error and name the file, the line and the cause.
#pragma once

namespace lccge::app {

int RunSolve(int argc, char** argv);
int RunCheck(int argc, char** argv);
int RunBuild(int argc, char** argv);
int RunSynth(int argc, char** argv);
int RunFootprint(int argc, char** argv);
int RunEmissions(int argc, char** argv);
int RunBench(int argc, char** argv);
int RunRun(int argc, char** argv);
int RunBalance(int argc, char** argv);
int RunSweep(int argc, char** argv);

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitInvalid = 2;

}  // namespace lccge::app

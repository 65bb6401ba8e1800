// Runs the built `lccge` program in tests and captures its exit code, standard output and standard error.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lccge::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `args` is appended to the program path as is (quote arguments with spaces yourself).
inline CliResult RunCli(const std::string& args) {
#ifdef LCCGE_CLI
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path();
  const std::string base =
      (dir / ("lccge_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++))).string();
  const std::string cmd = std::string(LCCGE_CLI) + " " + args + " >" + base + ".out 2>" + base + ".err </dev/null";
  const int raw = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = ReadWhole(base + ".out");
  r.err = ReadWhole(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return r;
#else
  (void)args;
  return {};
#endif
}

}  // namespace lccge::testing

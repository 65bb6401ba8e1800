// Helpers shared by the subcommands: argument parsing with the right exit codes, error reporting, logging.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

namespace spdlog {
class logger;
}

namespace lccge::app {

// Parses; returns -1 to go on, else the exit code (0 for --help, 2 for a usage error, message printed).
int ParseCli(CLI::App& cli, int argc, char** argv);
// Prints "lccge: <file:line: cause>" to standard error and returns the exit code for the status.
int ReportError(const Status& status);
// A logger writing to standard error (progress of long solves).
std::shared_ptr<spdlog::logger> StderrLogger();
// A readable table of a solution: variables by kind, with marks for binding inequalities.
void PrintSolutionTable(const Model& model, const Solution& solution, const Solver::Summary& summary);

}  // namespace lccge::app

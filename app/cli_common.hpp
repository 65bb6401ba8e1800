// Helpers shared by the subcommands: argument parsing with the right exit codes, error reporting, logging.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/solve/solver.hpp"

namespace spdlog {
class logger;
}

namespace lccge::app {

// Parses; returns -1 to go on, else the exit code (0 for --help, 2 for a usage error, message printed).
int ParseCli(CLI::App& cli, int argc, char** argv);
// Prints "lccge: <file:line: cause>" to standard error and returns the exit code for the status.
int ReportError(const Status& status);
// "file:line: warning: cause" (or "warning: cause" when the location is unknown).
std::string WarningText(const Status& warning);
// A logger writing to standard error (progress of long solves).
std::shared_ptr<spdlog::logger> StderrLogger();
// Checks a data folder (every problem printed on standard error) and builds the standard multi-region model from it
// in memory. Returns -1 on success, else the exit code (message printed).
int BuildModelFromData(const std::string& dir, const model::MultiRegionOptions& options, Model* model);
// Prints every problem of `diagnostics` on standard error, one per line, when there is more than one (the error
// reported after them names the first).
void PrintProblems(const Diagnostics& diagnostics);
// Appends `key: value` to a JSON object whose keys are known to be unique (variable names, report keys). Unlike
// ordered_json's operator[], which searches the keys linearly, this stays linear in the object's size: 38,000
// variables and 1.3 million reports at GTAP scale.
void AppendMember(nlohmann::ordered_json* object, std::string key, nlohmann::ordered_json value);
// A readable table of a solution: variables by kind, with marks for binding inequalities.
void PrintSolutionTable(const Model& model, const Solution& solution, const Solver::Summary& summary);

}  // namespace lccge::app

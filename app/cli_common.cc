#include "cli_common.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "commands.hpp"

namespace lccge::app {

int BuildModelFromData(const std::string& dir, const model::MultiRegionOptions& options, Model* model) {
  Diagnostics diagnostics;
  const Status s = model::BuildMultiRegionModelFromDirectory(dir, options, model, &diagnostics);
  if (s.ok()) return -1;
  PrintProblems(diagnostics);
  return ReportError(s);
}

void PrintProblems(const Diagnostics& diagnostics) {
  if (diagnostics.problems().size() < 2) return;  // the error reported names the only one
  for (const Status& p : diagnostics.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
}

void AppendMember(nlohmann::ordered_json* object, std::string key, nlohmann::ordered_json value) {
  if (!object->is_object()) *object = nlohmann::ordered_json::object();
  object->get_ref<nlohmann::ordered_json::object_t&>().emplace_back(std::move(key), std::move(value));
}

int ParseCli(CLI::App& cli, int argc, char** argv) {
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::printf("%s", cli.help().c_str());
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    std::printf("%s", cli.help().c_str());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s\n%s", cli.get_name().c_str(), e.what(), cli.help().c_str());
    return kExitInvalid;
  }
  return -1;
}

std::string WarningText(const Status& warning) {
  const std::string where = warning.where().ToString();
  return (where.empty() ? std::string() : where + ": ") + "warning: " + warning.cause();
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "lccge: error: %s\n", status.ToString().c_str());
  return ExitCodeFor(status);
}

std::shared_ptr<spdlog::logger> StderrLogger() {
  auto logger = spdlog::get("lccge-cli");
  if (!logger) {
    logger = spdlog::stderr_color_mt("lccge-cli");
    logger->set_pattern("[%H:%M:%S] %v");
  }
  return logger;
}

void PrintSolutionTable(const Model& model, const Solution& solution, const Solver::Summary& summary) {
  const char* headings[] = {"activity levels", "prices", "incomes", "auxiliaries"};
  const VariableKind kinds[] = {VariableKind::kSector, VariableKind::kCommodity, VariableKind::kConsumer,
                                VariableKind::kAuxiliary};
  for (int k = 0; k < 4; ++k) {
    bool any = false;
    for (size_t v = 0; v < solution.values.size(); ++v) {
      if (model.variables()[v].kind != kinds[k]) continue;
      if (!any) std::printf("  %s\n", headings[k]);
      any = true;
      const std::string& name = model.variables()[v].name;
      const bool binding = std::find(summary.inactive.begin(), summary.inactive.end(), name) != summary.inactive.end();
      std::printf("    %-24s %16.10g%s\n", name.c_str(), solution.values[v], binding ? "   (at bound)" : "");
    }
  }
}

}  // namespace lccge::app

// The command line: `lccge solve --json` replicates the published solutions; invalid models give exit code 2 and
// a message naming the file, the line and the cause, and print nothing on standard output.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "replace_once.hpp"

namespace lccge {
namespace {

using testing::RunCli;

std::string Data(const std::string& rel) { return std::string(LCCGE_TEST_DATA_DIR) + "/" + rel; }

TEST(CliSolve, JsonReplicatesPublishedSolutions) {
  for (const char* file :
       {"models/twobytwo_ces.json", "models/twobytwo_cobb_douglas.json", "models/twobytwo_price_inputs.json",
        "models/twobytwo_price_outputs.json", "models/twobytwo_price_demand.json", "models/benchmark_theta.json",
        "models/simple_demand_nest.json", "models/simple_demand_nest_nested.json", "models/mge123.json",
        "models/mge123_nested.json", "models/jpmge.json"}) {
    std::ifstream in(Data(file));
    const nlohmann::json model = nlohmann::json::parse(in);
    for (const auto& sc : model["scenarios"]) {
      const std::string name = sc["name"];
      SCOPED_TRACE(std::string(file) + " / " + name);
      const auto r = RunCli("solve " + Data(file) + " --scenario " + name + " --json");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const nlohmann::json out = nlohmann::json::parse(r.out);
      EXPECT_EQ(out["status"], "converged");
      EXPECT_EQ(out["scenario"], name);
      for (const auto& [key, value] : sc["expected"].items()) {
        const double expected = value.get<double>();
        const bool report = key.find(':') != std::string::npos;
        const double got = report ? out["reports"][key].get<double>() : out["variables"][key].get<double>();
        EXPECT_NEAR(got, expected, 1e-6 * std::max(1.0, std::fabs(expected))) << key;
      }
    }
  }
}

TEST(CliSolve, ReadableTableAndUnknownScenario) {
  const auto r = RunCli("solve " + Data("models/shutdown_free_good.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("converged"), std::string::npos);
  EXPECT_NE(r.out.find("(at bound)"), std::string::npos);
  const auto bad = RunCli("solve " + Data("models/twobytwo_ces.json") + " --scenario nosuch --json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.out.empty());
  EXPECT_NE(bad.err.find("nosuch"), std::string::npos);
}

TEST(CliSolve, NonConvergenceExitsOneWithStatus) {
  // The iteration limit of 0 cannot reach a shocked equilibrium.
  const auto r = RunCli("solve " + Data("models/twobytwo_ces.json") +
                        " --scenario labor_plus10pct_PX_numeraire --json --max-iterations 1");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["status"], "no_convergence");
}

struct BadModel {
  const char* name;
  const char* text;
  int line;           // the line the message must name
  const char* cause;  // a fragment of the cause
};

const char* const kGood = R"(sectors: [X]
commodities: [PX, PL]
consumers: [RA]
productions:
  - sector: X
    s: 1
    outputs: [{commodity: PX, quantity: 10}]
    inputs: [{commodity: PL, quantity: 10}]
demands:
  - consumer: RA
    final_demands: [{commodity: PX, quantity: 10}]
    endowments: [{commodity: PL, quantity: 10}]
scenarios:
  - name: base
    fixed: {PX: 1}
)";

std::string Replace(const std::string& text, const std::string& from, const std::string& to) {
  return testing::ReplaceOnce(text, from, to);
}

TEST(CliSolve, InvalidModelsExitTwoNamingFileLineAndCause) {
  const std::string good = kGood;
  const std::vector<std::tuple<std::string, std::string, int, std::string>> cases = {
      {"unknown_commodity",
       Replace(good, "{commodity: PL, quantity: 10}]\ndemands", "{commodity: PZ, quantity: 10}]\ndemands"), 8,
       "unknown commodity 'PZ'"},
      {"unknown_name_in_expression",
       Replace(good, "quantity: 10}]\n    endowments", "quantity: 10*scale}]\n    endowments"), 11,
       "unknown name 'scale'"},
      {"nest_cycle",
       Replace(good, "    s: 1\n",
               "    s: 1\n    nests:\n      a: {parent: b, elasticity: 1}\n      b: {parent: a, elasticity: 1}\n"),
       8, "cycle"},
      {"negative_elasticity", Replace(good, "    s: 1\n", "    s: -0.5\n"), 5, "negative"},
      {"nan_quantity",
       Replace(good, "outputs: [{commodity: PX, quantity: 10}]", "outputs: [{commodity: PX, quantity: .nan}]"), 7,
       "not a finite number"},
      {"empty_nest", Replace(good, "    s: 1\n", "    s: 1\n    nests:\n      va: {parent: top, elasticity: 1}\n"), 8,
       "empty"},
      {"fixed_unknown_variable", Replace(good, "fixed: {PX: 1}", "fixed: {PQ: 1}"), 15, "unknown variable 'PQ'"},
      {"malformed_yaml", Replace(good, "sectors: [X]", "sectors: [X"), 2, "malformed YAML"},
      {"unknown_key", Replace(good, "    s: 1\n", "    s: 1\n    elasticty: 2\n"), 7, "unknown key 'elasticty'"},
      {"malformed_expression", Replace(good, "quantity: 10}]\n    endowments", "quantity: \"10*(2\"}]\n    endowments"),
       11, "malformed expression"},
      {"group_unknown_variable", Replace(good, "scenarios:", "groups: {a: [X, PQ]}\nscenarios:"), 13,
       "group 'a' names unknown variable 'PQ'"},
      {"variable_in_two_groups", Replace(good, "scenarios:", "groups:\n  a: [X]\n  b: [PL, X]\nscenarios:"), 15,
       "variable 'X' is in two groups, 'a' and 'b'"},
      // Benchmarks that cannot be calibrated (docs/model-format.md, "Benchmark checks"); the first is issue 17's.
      {"zero_inputs",
       Replace(good, "inputs: [{commodity: PL, quantity: 10}]", "inputs: [{commodity: PL, quantity: 0}]"), 5,
       "sector 'X': every input has benchmark quantity 0 but the outputs do not (worth 10 at benchmark prices)"},
      {"zero_outputs",
       Replace(good, "outputs: [{commodity: PX, quantity: 10}]", "outputs: [{commodity: PX, quantity: 0}]"), 5,
       "sector 'X': every output has benchmark quantity 0 but the inputs do not (costing 10 at benchmark prices)"},
      {"zero_final_demand",
       Replace(good, "final_demands: [{commodity: PX, quantity: 10}]", "final_demands: [{commodity: PX, quantity: 0}]"),
       10, "consumer 'RA': every final demand has benchmark quantity 0 but its benchmark income is 10"},
  };
  const auto dir = std::filesystem::temp_directory_path() / "lccge_bad_models";
  std::filesystem::create_directories(dir);
  for (const auto& [name, text, line, cause] : cases) {
    SCOPED_TRACE(name);
    const std::string path = (dir / (name + ".yaml")).string();
    std::ofstream(path) << text;
    const auto r = RunCli("solve " + path + " --json");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(path + ":" + std::to_string(line)), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(cause), std::string::npos) << r.err;
    // `lccge check` lists the same problem with its file and line.
    const auto check = RunCli("check " + path);
    EXPECT_EQ(check.exit_code, 2) << check.err;
    EXPECT_NE(check.err.find(path + ":" + std::to_string(line) + ": "), std::string::npos) << check.err;
    EXPECT_NE(check.err.find(cause), std::string::npos) << check.err;
  }
  // A missing file is an I/O error: exit 2.
  EXPECT_EQ(RunCli("solve " + (dir / "missing.yaml").string()).exit_code, 2);
  std::filesystem::remove_all(dir);
}

// A benchmark that is not an equilibrium warns (check exits 0, solve solves). X makes 11 PX from 10 PL: it earns
// more than it costs and PX has 11 supplied for 10 demanded. The equilibrium of these data (one input, PX the
// numeraire): zero profit gives PL = 11/10, and RA's income 11 buys the 11 made, X = 1.
TEST(CliSolve, BenchmarkThatIsNotAnEquilibriumWarnsWithFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / ("lccge_warn_models_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string profit = (dir / "profit.yaml").string(), spending = (dir / "spending.yaml").string(),
                    good = (dir / "good.yaml").string();
  std::ofstream(profit) << Replace(kGood, "outputs: [{commodity: PX, quantity: 10}]",
                                   "outputs: [{commodity: PX, quantity: 11}]");
  std::ofstream(spending) << Replace(kGood, "final_demands: [{commodity: PX, quantity: 10}]",
                                     "final_demands: [{commodity: PX, quantity: 9}]");
  std::ofstream(good) << kGood;
  const auto check = RunCli("check " + profit);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "model file " + profit + ": no problems found (2 warnings)\n");
  EXPECT_NE(
      check.err.find(profit + ":5: warning: sector 'X' is not in zero profit at the benchmark: its inputs cost 10 "
                              "and its outputs earn 11"),
      std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find(profit + ":2: warning: market 'PX' does not clear at the benchmark: supply 11"),
            std::string::npos)
      << check.err;
  const auto solve = RunCli("solve " + profit + " --json");
  EXPECT_EQ(solve.exit_code, 0) << solve.err;
  EXPECT_NE(solve.err.find("lccge: " + profit + ":5: warning: sector 'X' is not in zero profit"), std::string::npos)
      << solve.err;
  const nlohmann::json out = nlohmann::json::parse(solve.out);
  EXPECT_NEAR(out["variables"]["PL"].get<double>(), 1.1, 1e-9);
  EXPECT_NEAR(out["variables"]["X"].get<double>(), 1.0, 1e-9);
  // Spending 9 of an income of 10: one warning; the demand scaled to the income clears every market.
  const auto spent = RunCli("check " + spending);
  EXPECT_EQ(spent.exit_code, 0) << spent.err;
  EXPECT_EQ(spent.out, "model file " + spending + ": no problems found (1 warning)\n");
  EXPECT_NE(spent.err.find(spending + ":10: warning: consumer 'RA' spends 9 at the benchmark but its benchmark income "
                                      "is 10"),
            std::string::npos)
      << spent.err;
  // A balanced benchmark: nothing on standard error.
  const auto quiet = RunCli("check " + good);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "model file " + good + ": no problems found\n");
  EXPECT_TRUE(quiet.err.empty()) << quiet.err;
  EXPECT_TRUE(RunCli("solve " + good + " --json").err.empty());
  std::filesystem::remove_all(dir);
}

// A data folder solves as the model `lccge build` writes from it: every variable of the tariff shock agrees with
// the solve of the written file. A broken data folder gives exit 2 and the data check's file:line messages.
TEST(CliSolve, DataFolderSolvesLikeItsBuiltModelFile) {
  const std::string data = std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3";
  const auto dir = std::filesystem::temp_directory_path() / "lccge_solve_data_dir";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "built.yaml").string();
  ASSERT_EQ(RunCli("build " + data + " --out " + file).exit_code, 0);
  const auto from_data = RunCli("solve " + data + " --scenario tariff_10 --json");
  const auto from_file = RunCli("solve " + file + " --scenario tariff_10 --json");
  ASSERT_EQ(from_data.exit_code, 0) << from_data.err;
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  const nlohmann::json a = nlohmann::json::parse(from_data.out), b = nlohmann::json::parse(from_file.out);
  EXPECT_EQ(a["status"], "converged");
  EXPECT_GT(a["iterations"].get<int>(), 0);
  ASSERT_EQ(a["variables"].size(), b["variables"].size());
  for (const auto& [name, value] : b["variables"].items())
    EXPECT_NEAR(a["variables"][name].get<double>(), value.get<double>(),
                1e-9 * std::max(1.0, std::fabs(value.get<double>())))
        << name;
  // Broken data: a SAM row that no longer balances.
  const auto broken = dir / "broken";
  std::filesystem::copy(data, broken, std::filesystem::copy_options::recursive);
  for (const auto& entry : std::filesystem::directory_iterator(broken))
    if (entry.path().extension() != ".csv") std::filesystem::remove(entry.path());
  {
    std::ifstream in(broken / "sam.csv");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string cell = "north,c_agr,a_agr,5\n";
    const size_t at = text.find(cell);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, cell.size(), "north,c_agr,a_agr,9999\n");
    std::ofstream(broken / "sam.csv") << text;
  }
  const auto bad = RunCli("solve " + broken.string() + " --json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.out.empty()) << bad.out;
  EXPECT_NE(bad.err.find("sam.csv:"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("account 'a_agr': row total (receipts) 50 != column total (payments) 10044"),
            std::string::npos)
      << bad.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lccge

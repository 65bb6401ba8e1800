// `lccge check` and `lccge solve` on models whose benchmark cannot be calibrated (exit 2, file:line: cause, nothing on
// standard output from solve) or is not an equilibrium (warnings naming file and line; check exits 0, solve solves).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace lccge {
namespace {

using testing::RunCli;

// X makes 100 PX from 100 PL; RA owns 100 PL and buys 100 PX: balanced. The cases below change one number.
const char* const kGood = R"(sectors: [X]
commodities: [PX, PL]
consumers: [RA]
productions:
  - sector: X
    s: 1
    outputs: [{commodity: PX, quantity: 100}]
    inputs: [{commodity: PL, quantity: 100}]
demands:
  - consumer: RA
    final_demands: [{commodity: PX, quantity: 100}]
    endowments: [{commodity: PL, quantity: 100}]
scenarios:
  - name: base
    fixed: {PL: 1}
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class CliBenchmarkCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lccge_benchmark_check_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / (name + ".yaml")).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(CliBenchmarkCheck, UncalibratableBlocksExitTwoNamingFileLineAndCause) {
  struct Case {
    std::string name, text;
    int line;
    std::string cause;
  };
  const std::string good = kGood;
  const std::vector<Case> cases = {
      // The issue's example: every input 0, output 100.
      {"zero_inputs",
       Replace(good, "inputs: [{commodity: PL, quantity: 100}]", "inputs: [{commodity: PL, quantity: 0}]"), 5,
       "sector 'X': every input has benchmark quantity 0 but the outputs do not (worth 100 at benchmark prices)"},
      {"zero_outputs",
       Replace(good, "outputs: [{commodity: PX, quantity: 100}]", "outputs: [{commodity: PX, quantity: 0}]"), 5,
       "sector 'X': every output has benchmark quantity 0 but the inputs do not (costing 100 at benchmark prices)"},
      {"zero_final_demand",
       Replace(good, "final_demands: [{commodity: PX, quantity: 100}]",
               "final_demands: [{commodity: PX, quantity: 0}]"),
       10, "consumer 'RA': every final demand has benchmark quantity 0 but its benchmark income is 100"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = Write(c.name, c.text);
    const std::string located = path + ":" + std::to_string(c.line) + ": " + c.cause;
    const auto check = RunCli("check " + path);
    EXPECT_EQ(check.exit_code, 2) << check.err;
    EXPECT_NE(check.err.find(located), std::string::npos) << check.err;
    EXPECT_NE(check.err.find(": 1 problem"), std::string::npos) << check.err;
    const auto solve = RunCli("solve " + path + " --json");
    EXPECT_EQ(solve.exit_code, 2) << solve.err;
    EXPECT_TRUE(solve.out.empty()) << solve.out;
    EXPECT_NE(solve.err.find("lccge: error: " + located), std::string::npos) << solve.err;
  }
}

TEST_F(CliBenchmarkCheck, BenchmarkThatIsNotAnEquilibriumWarnsAndSolves) {
  // X makes 110 PX from 100 PL: it earns more than it costs; PX has 110 supplied and 100 demanded. The equilibrium
  // of these data (Cobb-Douglas, one input): X's zero profit gives PX = 100/110 PL, and RA's 100 of income buys the
  // 110 made, X = 1.
  const std::string path = Write("profit", Replace(kGood, "outputs: [{commodity: PX, quantity: 100}]",
                                                   "outputs: [{commodity: PX, quantity: 110}]"));
  const auto check = RunCli("check " + path);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("no problems found (2 warnings)"), std::string::npos) << check.out;
  EXPECT_NE(check.err.find(path + ":5: warning: sector 'X' is not in zero profit at the benchmark: its inputs cost 100 "
                                  "and its outputs earn 110"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find(path + ":2: warning: market 'PX' does not clear at the benchmark: supply 110"),
            std::string::npos)
      << check.err;
  const auto solve = RunCli("solve " + path + " --json");
  EXPECT_EQ(solve.exit_code, 0) << solve.err;
  EXPECT_NE(solve.err.find("lccge: " + path + ":5: warning: sector 'X' is not in zero profit"), std::string::npos)
      << solve.err;
  EXPECT_NE(solve.out.find("\"PX\": 0.9090909"), std::string::npos) << solve.out;
}

TEST_F(CliBenchmarkCheck, ConsumerSpendingOtherThanItsIncomeWarnsOnce) {
  const std::string path = Write("spending", Replace(kGood, "final_demands: [{commodity: PX, quantity: 100}]",
                                                     "final_demands: [{commodity: PX, quantity: 90}]"));
  const auto check = RunCli("check " + path);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("no problems found (1 warning)"), std::string::npos) << check.out;
  EXPECT_NE(
      check.err.find(path + ":10: warning: consumer 'RA' spends 90 at the benchmark but its benchmark income is 100"),
      std::string::npos)
      << check.err;
}

TEST_F(CliBenchmarkCheck, BalancedModelsStayQuiet) {
  const std::string path = Write("good", kGood);
  const auto check = RunCli("check " + path);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "model file " + path + ": no problems found\n");
  EXPECT_TRUE(check.err.empty()) << check.err;
  const auto solve = RunCli("solve " + path + " --json");
  EXPECT_EQ(solve.exit_code, 0) << solve.err;
  EXPECT_TRUE(solve.err.empty()) << solve.err;
}

}  // namespace
}  // namespace lccge

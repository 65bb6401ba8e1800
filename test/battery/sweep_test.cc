// Sweeps over the battery scenarios: bad sweep files stop before any draw with file, line and cause; the draws and
// the results do not depend on the number of threads or MPI processes; an interrupted sweep resumes to the same
// files as an uninterrupted one; a failing draw is recorded with its reason.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_runner.hpp"
#include "lccge/battery/battery.hpp"

namespace lccge::battery {
namespace {

namespace fs = std::filesystem;

std::string Bundled() { return std::string(LCCGE_SOURCE_DIR) + "/data/battery"; }
std::string SweepFile(const char* name) { return std::string(LCCGE_TEST_DATA_DIR) + "/sweeps/" + name; }

class Sweeps : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(LoadBatteryData(Bundled(), &data_).ok());
    dir_ = (fs::temp_directory_path() / ("lccge_sweep_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& text) {
    const std::string path = dir_ + "/s.yaml";
    std::ofstream(path) << text;
    return path;
  }
  BatteryData data_;
  std::string dir_;
};

TEST_F(Sweeps, BadSweepFilesNameFileLineAndCause) {
  struct Case {
    const char* text;
    int line;
    const char* cause;
  };
  const std::string head = "name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n";
  const Case cases[] = {
      {"name: x\nscenarios: [combined]\ndraws: 4\nsampler: halton\ninputs: []\n", 4, "unknown sampler 'halton'"},
      {"name: x\nscenarios: [nowhere]\ndraws: 4\ninputs: []\n", 2, "unknown scenario 'nowhere'"},
      {"name: x\nscenarios: [combined]\ndraws: -3\ninputs:\n  - {name: a, target: {grid: CHN}, distribution: {type: "
       "uniform, min: 0.5, max: 1.5}}\n",
       3, "'draws' must be a whole number"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {grid: Mars}, distribution: {type: "
       "uniform, min: 0.5, max: 1.5}}\n",
       5, "unknown region 'Mars'"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {grid: CHN}, distribution: {type: "
       "uniform, min: 2, max: 1}}\n",
       5, "a uniform distribution needs min < max"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {grid: CHN}, distribution: {type: "
       "beta, a: 1}}\n",
       5, "unknown distribution 'beta'"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {lever: grid_intensity}, "
       "distribution: {type: uniform, min: 0.5, max: 1.5}}\n",
       5, "lever 'grid_intensity' is not set by any of the sweep's scenarios"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {parameter: lifetime}, "
       "distribution: {type: uniform, min: 1, max: 2}}\n",
       5, "unknown parameter 'lifetime'"},
      {"name: x\nscenarios: [combined]\ndraws: 4\ninputs:\n  - {name: a, target: {nest: materials, grid: CHN}, "
       "distribution: {type: uniform, min: 1, max: 2}}\n",
       5, "needs exactly one of"},
  };
  (void)head;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string path = Write(c.text);
    SweepSpec spec;
    const Status s = LoadSweepFile(path, data_, &spec);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.ToString().find(path + ":" + std::to_string(c.line) + ":"), std::string::npos) << s.ToString();
    EXPECT_NE(s.ToString().find(c.cause), std::string::npos) << s.ToString();
  }
  // The command line: exit 2, the message, nothing run or written.
  const std::string path = Write(cases[3].text);
  const auto r = testing::RunCli("sweep " + path + " --out " + dir_ + "/out");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":5:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ + "/out/draws.csv"));
}

TEST_F(Sweeps, DrawsAreDeterministicAndWithinTheirDistributions) {
  SweepSpec spec;
  ASSERT_TRUE(LoadSweepFile(SweepFile("small.yaml"), data_, &spec).ok());
  std::vector<std::vector<double>> a, b;
  ASSERT_TRUE(SweepDraws(spec, &a).ok());
  ASSERT_TRUE(SweepDraws(spec, &b).ok());
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 6u);
  for (const auto& row : a) {
    EXPECT_GE(row[0], 2.0);
    EXPECT_LE(row[0], 8.0);
    EXPECT_GE(row[1], 0.5);
    EXPECT_LE(row[1], 1.8);
    EXPECT_GE(row[2], 0.6);
    EXPECT_LE(row[2], 1.1);
  }
  EXPECT_EQ(spec.OutputNames().size(), 2 * 11u);
  EXPECT_EQ(spec.OutputNames().front(), "Combined|World");
}

// The same draws on 1 thread, 2 threads and, when built with MPI, 2 processes: the same draws.csv and summary.json.
TEST_F(Sweeps, ResultsDoNotDependOnThreadsOrProcesses) {
  const auto one =
      testing::RunCli("sweep " + SweepFile("small.yaml") + " --threads 1 --no-figures --out " + dir_ + "/t1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two =
      testing::RunCli("sweep " + SweepFile("small.yaml") + " --threads 2 --no-figures --out " + dir_ + "/t2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string csv = testing::ReadWhole(dir_ + "/t1/draws.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')).rfind("draw,secondary_elasticity,grid_china,collection,status,message,", 0),
            0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  EXPECT_EQ(testing::ReadWhole(dir_ + "/t2/draws.csv"), csv);
  EXPECT_EQ(testing::ReadWhole(dir_ + "/t2/summary.json"), testing::ReadWhole(dir_ + "/t1/summary.json"));
  EXPECT_NE(testing::ReadWhole(dir_ + "/t1/summary.json").find("\"standardised_regression_coefficients\""),
            std::string::npos);
#ifdef LCCGE_MPIRUN
  const std::string cmd = std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") + LCCGE_MPIRUN +
                          " -np 2 --oversubscribe " + LCCGE_CLI + " sweep " + SweepFile("small.yaml") +
                          " --threads 1 --no-figures --out " + dir_ + "/mpi > " + dir_ + "/mpi.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << testing::ReadWhole(dir_ + "/mpi.log");
  EXPECT_EQ(testing::ReadWhole(dir_ + "/mpi/draws.csv"), csv);
  EXPECT_EQ(testing::ReadWhole(dir_ + "/mpi/summary.json"), testing::ReadWhole(dir_ + "/t1/summary.json"));
#else
  GTEST_SKIP() << "lccge was built without MPI: the two-process run is skipped";
#endif
}

// Killed midway, the same command run again completes the sweep: the final files equal an uninterrupted run's.
TEST_F(Sweeps, AnInterruptedSweepResumesToTheSameFiles) {
#ifdef LCCGE_CLI
  const std::string file = SweepFile("resumable.yaml");
  const std::string out = dir_ + "/resumed";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(LCCGE_CLI, LCCGE_CLI, "sweep", file.c_str(), "--threads", "1", "--no-figures", "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for a few draws to be recorded, then kill.
  const auto start = std::chrono::steady_clock::now();
  auto recorded = [&]() {
    size_t lines = 0;
    std::error_code ec;
    if (!fs::exists(out + "/.lccge-sweep", ec)) return lines;
    for (const auto& e : fs::directory_iterator(out + "/.lccge-sweep", ec)) {
      const std::string t = testing::ReadWhole(e.path().string());
      lines += static_cast<size_t>(std::count(t.begin(), t.end(), '\n'));
    }
    return lines;
  };
  while (recorded() < 4 && std::chrono::steady_clock::now() - start < std::chrono::seconds(120))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be interrupted";
  EXPECT_FALSE(fs::exists(out + "/draws.csv"));
  const auto resumed = testing::RunCli("sweep " + file + " --threads 2 --no-figures --out " + out);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.out.find("; 0 already done;"), std::string::npos) << resumed.out;
  const auto whole = testing::RunCli("sweep " + file + " --threads 2 --no-figures --out " + dir_ + "/whole");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(testing::ReadWhole(out + "/draws.csv"), testing::ReadWhole(dir_ + "/whole/draws.csv"));
  EXPECT_EQ(testing::ReadWhole(out + "/summary.json"), testing::ReadWhole(dir_ + "/whole/summary.json"));
  // A records folder of another sweep is refused.
  const auto other = testing::RunCli("sweep " + SweepFile("small.yaml") + " --no-figures --out " + out);
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("holds the records of another sweep"), std::string::npos) << other.err;
#endif
}

TEST_F(Sweeps, AFailingDrawIsRecordedWithItsReason) {
  const std::string path = Write(
      "name: failing\nscenarios: [combined]\nsampler: grid\nyears: {last: 2040, step: 10}\nsolver: {max_iterations: "
      "1}\ninputs:\n  - {name: demand, target: {battery_demand: growth}, distribution: {values: [0.0, 1.0]}}\n");
  const auto r = testing::RunCli("sweep " + path + " --threads 2 --no-figures --out " + dir_ + "/f");
  EXPECT_EQ(r.exit_code, 1) << r.err;  // every draw failed
  const std::string csv = testing::ReadWhole(dir_ + "/f/draws.csv");
  EXPECT_NE(csv.find("0,0,failed,\"scenario 'Baseline': year 2033 did not converge"), std::string::npos) << csv;
  EXPECT_NE(csv.find("1,1,failed,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace lccge::battery

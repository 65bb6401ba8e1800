// lccge balance: balances a perturbed data folder (the result passes lccge check), keeps the fixed accounts' cells,
// and rejects bad usage with exit 2 and nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"
#include "lccge/data/io.hpp"

namespace lccge {
namespace {

namespace fs = std::filesystem;

TEST(CliBalance, BalancesAPerturbedFolderKeepingTheFixedAccounts) {
  const std::string dir = (fs::temp_directory_path() / ("lccge_bal_" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  fs::copy(std::string(LCCGE_SOURCE_DIR) + "/examples/sam2x3", dir);
  // Household consumption of services in the north up from 84 to 90: the household and c_ser no longer balance.
  std::ifstream in(dir + "/sam.csv");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const std::string from = "north,c_ser,hh,84", to = "north,c_ser,hh,90";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), to);
  std::ofstream(dir + "/sam.csv") << text;
  EXPECT_EQ(testing::RunCli("check " + dir).exit_code, 2);
  const auto r = testing::RunCli("balance " + dir + " --out " + dir + "_out --fix-account a_man");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("balanced in"), std::string::npos) << r.out;
  EXPECT_EQ(testing::RunCli("check " + dir + "_out").exit_code, 0);
  data::Dataset before, after;
  Diagnostics diag;
  data::ReadDataset(dir, &before, &diag);  // unbalanced, but readable
  ASSERT_TRUE(data::ReadDataset(dir + "_out", &after, &diag).ok()) << diag.ToString();
  const int north = after.RegionIndex("north"), a_man = after.AccountIndex("a_man");
  EXPECT_EQ(after.sam[static_cast<size_t>(north)].col(a_man), before.sam[static_cast<size_t>(north)].col(a_man));
  const auto bad = testing::RunCli("balance " + dir + " --out " + dir + "_bad --fix-account nope");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown account 'nope'"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir + "_bad"));
  fs::remove_all(dir);
  fs::remove_all(dir + "_out");
}

}  // namespace
}  // namespace lccge

#include "lccge/lca/transport.hpp"

#include <gtest/gtest.h>

namespace lccge::lca {
namespace {

// Hand calculation. Equation (1): 0.1 kg of a cathode material with 50 % Ni and 10 % Co (C = 0.6) gives
// m_Ni = 0.05 kg and m_Co = 0.01 kg. Cobalt travels as hydroxide (c = 0.25) 1000 km by truck (0.1 kg/tkm) and
// 10000 km by sea (0.01 kg/tkm), then inside the cathode material 5000 km by sea:
//   hydroxide: 0.01/0.25 = 0.04 kg = 4e-5 t; 4e-5 * (1000*0.1 + 10000*0.01) = 4e-5 * 200 = 0.008 kg CO2e
//   cathode material: 0.01/0.6 kg = 1.6667e-5 t; * 5000 * 0.01 = 8.3333e-4 kg CO2e
// Nickel: two routes, 0.6 of it as pure metal (c = 1) 2000 km by rail (0.03 kg/tkm):
//   0.6 * 0.05 kg = 3e-5 t * 2000 * 0.03 = 1.8e-3 kg CO2e  (seed 002's equation 2 exactly)
// and 0.4 as cathode material 5000 km by sea: 0.4 * 0.05 / 0.6 kg = 3.3333e-5 t * 50 = 1.6667e-3 kg CO2e.
TransportInventory Inventory() {
  TransportInventory t;
  t.modes = {{"truck", 0.1, {}}, {"sea", 0.01, {}}, {"rail", 0.03, {}}};
  t.commodities = {{"cam", "284190", {{"nickel", 0.5}, {"cobalt", 0.1}}, {}},
                   {"hydroxide", "282200", {{"cobalt", 0.25}}, {}},
                   {"nickel metal", "7502", {{"nickel", 1.0}}, {}}};
  t.contained = {{"cam", 0.1, {}}};
  t.routes = {
      {"cobalt",
       "CD",
       "CD-CN-US",
       1.0,
       {{"hydroxide", "CD", "CN", {{"truck", 1000}, {"sea", 10000}}, {}}, {"cam", "CN", "US", {{"sea", 5000}}, {}}},
       {}},
      {"nickel", "CA", "CA-US", 0.6, {{"nickel metal", "CA", "US", {{"rail", 2000}}, {}}}, {}},
      {"nickel", "ID", "ID-CN-US", 0.4, {{"cam", "CN", "US", {{"sea", 5000}}, {}}}, {}},
  };
  return t;
}

TEST(lcaTransport, HandCalculation) {
  TransportResult r;
  const Status s = ComputeTransport(Inventory(), &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_NEAR(r.contained.at("nickel"), 0.05, 1e-15);
  EXPECT_NEAR(r.contained.at("cobalt"), 0.01, 1e-15);
  EXPECT_NEAR(r.by_mineral.at("cobalt"), 0.008 + 0.01 / 0.6 * 1e-3 * 50, 1e-15);
  EXPECT_NEAR(r.by_mineral.at("nickel"), 1.8e-3 + 0.4 * 0.05 / 0.6 * 1e-3 * 50, 1e-15);
  EXPECT_NEAR(r.routes[1].emissions, 1.8e-3, 1e-15);
  EXPECT_NEAR(r.total, r.by_mineral.at("cobalt") + r.by_mineral.at("nickel"), 1e-15);
  EXPECT_NEAR(r.by_origin.at("CD"), r.by_mineral.at("cobalt"), 1e-15);
  double modes = 0;
  for (const auto& [m, v] : r.by_mode) modes += v;
  EXPECT_NEAR(modes, r.total, 1e-15);
}

TEST(lcaTransport, Errors) {
  TransportResult r;
  TransportInventory t = Inventory();
  t.routes[1].share = 0.5;  // nickel shares 0.5 + 0.4
  Status s = ComputeTransport(t, &r);
  EXPECT_NE(s.cause().find("route shares of nickel sum to 0.9, not 1"), std::string::npos) << s.ToString();
  t = Inventory();
  t.routes[0].legs[0].distance_km["air"] = 10;
  EXPECT_NE(ComputeTransport(t, &r).cause().find("unknown transport mode 'air'"), std::string::npos);
  t = Inventory();
  t.routes[1].legs[0].commodity = "hydroxide";
  EXPECT_NE(ComputeTransport(t, &r).cause().find("does not contain nickel"), std::string::npos);
  t = Inventory();
  t.routes.pop_back();
  t.routes.pop_back();
  EXPECT_NE(ComputeTransport(t, &r).cause().find("nickel is contained in the product but has no transport route"),
            std::string::npos);
  t = Inventory();
  t.commodities[1].content["cobalt"] = 1.5;
  EXPECT_FALSE(ComputeTransport(t, &r).ok());
  t = Inventory();
  t.routes[0].legs[0].distance_km["sea"] = -1;
  EXPECT_FALSE(ComputeTransport(t, &r).ok());
}

}  // namespace
}  // namespace lccge::lca

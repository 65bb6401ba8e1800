#include <gtest/gtest.h>

#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/grid_intensity.hpp"

namespace lccge::lca {
namespace {

GridIntensities Grid() {
  CsvTable t;
  EXPECT_TRUE(ParseCsv("region,year,value,unit\nCN,,585.8,g CO2e/kWh\nUS,,0.386,kg CO2e/kWh\nUS,2030,0.2,kg CO2e/kWh\n",
                       "grid.csv", &t)
                  .ok());
  GridIntensities g;
  const Status s = ParseGridIntensities(t, &g);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return g;
}

Status Parse(const std::string& text, const GridIntensities& g, EmissionFactors* f) {
  CsvTable t;
  Status s = ParseCsv(text, "factors.csv", &t);
  if (!s.ok()) return s;
  return ParseEmissionFactors(t, g, f);
}

constexpr const char* kHeader = "region,sector,year,kind,value,unit,source\n";

TEST(lcaGrid, UnitsYearsAndErrors) {
  const GridIntensities g = Grid();
  double v = 0;
  ASSERT_TRUE(g.Get("CN", 2022, &v).ok());
  EXPECT_NEAR(v, 0.5858, 1e-12);
  ASSERT_TRUE(g.Get("US", 2030, &v).ok());
  EXPECT_NEAR(v, 0.2, 1e-12);
  ASSERT_TRUE(g.Get("US", 2022, &v).ok());
  EXPECT_NEAR(v, 0.386, 1e-12);
  EXPECT_FALSE(g.Get("XX", 0, &v).ok());
  CsvTable t;
  GridIntensities bad;
  ASSERT_TRUE(ParseCsv("region,value,unit\nCN,0.5,\n", "g.csv", &t).ok());
  Status s = ParseGridIntensities(t, &bad);
  EXPECT_EQ(s.ToString(), "g.csv:2: missing unit for the grid intensity of CN");
  ASSERT_TRUE(ParseCsv("region,value,unit\nCN,-0.5,kg CO2e/kWh\n", "g.csv", &t).ok());
  s = ParseGridIntensities(t, &bad);
  EXPECT_NE(s.ToString().find("g.csv:2: grid intensity of CN is negative"), std::string::npos) << s.ToString();
  ASSERT_TRUE(ParseCsv("region,value,unit\nCN,0.5,kg CO2/kg\n", "g.csv", &t).ok());
  EXPECT_FALSE(ParseGridIntensities(t, &bad).ok());
  ASSERT_TRUE(ParseCsv("region,value\nCN,0.5\n", "g.csv", &t).ok());
  s = ParseGridIntensities(t, &bad);
  EXPECT_EQ(s.ToString(), "g.csv:1: missing column 'unit' in the header");
}

TEST(lcaFactors, ProcessPlusElectricityTimesGrid) {
  const GridIntensities g = Grid();
  EmissionFactors f;
  const Status s = Parse(std::string(kHeader) +
                             "CN,cam,,process,10,kg CO2e/kg,x\n"
                             "CN,cam,,electricity,20,kWh/kg,x\n"
                             "CN,cam,,fuel,1,kg CO2e/kg,x\n"
                             "US,cam,,process,10,kg CO2e/kg,x\n"
                             "US,cam,,electricity,20,kWh/kg,x\n"
                             "GLO,copper,,process,4100,g CO2e/kg,x\n",
                         g, &f);
  ASSERT_TRUE(s.ok()) << s.ToString();
  FactorValue cn, us, us30, cu;
  ASSERT_TRUE(f.Evaluate("CN", "cam", 0, g, &cn).ok());
  ASSERT_TRUE(f.Evaluate("US", "cam", 0, g, &us).ok());
  ASSERT_TRUE(f.Evaluate("US", "cam", 2030, g, &us30).ok());
  EXPECT_NEAR(cn.total(), 10 + 1 + 20 * 0.5858, 1e-12);
  EXPECT_NEAR(us.total(), 10 + 20 * 0.386, 1e-12);  // moving production changes the footprint
  EXPECT_NEAR(us30.total(), 10 + 20 * 0.2, 1e-12);
  EXPECT_EQ(cn.activity_unit, "kg");
  // GLO default for any region; g -> kg conversion.
  ASSERT_TRUE(f.Evaluate("US", "copper", 0, g, &cu).ok());
  EXPECT_NEAR(cu.total(), 4.1, 1e-12);
  EXPECT_EQ(cu.region_used, "GLO");
  // A missing factor is an error, not a zero.
  FactorValue none;
  EXPECT_FALSE(f.Evaluate("US", "nickel", 0, g, &none).ok());
  EmissionFactors only_cn;
  ASSERT_TRUE(Parse(std::string(kHeader) + "CN,cam,,process,10,kg CO2e/kg,x\n", g, &only_cn).ok());
  const Status missing = only_cn.Evaluate("US", "cam", 0, g, &none);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.cause().find("no emission factor for sector 'cam' in region US"), std::string::npos);
}

TEST(lcaFactors, ErrorsNameFileLineAndCause) {
  const GridIntensities g = Grid();
  EmissionFactors f;
  Status s = Parse(std::string(kHeader) + "CN,cam,,process,10,kg CO2e/kg,x\nXX,cam,,process,1,kg CO2e/kg,x\n", g, &f);
  EXPECT_EQ(s.ToString(),
            "factors.csv:3: unknown region 'XX' (not in the grid-intensity table; use GLO for a global default)");
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,process,-1,kg CO2e/kg,x\n", g, &f);
  EXPECT_EQ(s.ToString(), "factors.csv:2: negative factor for cam in CN (-1)");
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,process,1,,x\n", g, &f);
  EXPECT_EQ(s.ToString(), "factors.csv:2: missing unit for cam in CN");
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,electricity,1,kg CO2e/kg,x\n", g, &f);
  EXPECT_NE(s.ToString().find("factors.csv:2: unit 'kg CO2e/kg' of the electricity use of cam in CN"),
            std::string::npos);
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,process,1,kg CO2e/kg,x\nCN,cam,,electricity,1,kWh/USD,x\n", g, &f);
  EXPECT_NE(s.ToString().find("factors.csv:3: unit 'kWh/USD' of cam in CN is per USD but its other rows are per kg"),
            std::string::npos)
      << s.ToString();
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,process,1,kg CO2e/kg,x\nCN,cam,,process,2,kg CO2e/kg,x\n", g, &f);
  EXPECT_NE(s.ToString().find("factors.csv:3: duplicate factor for cam in CN"), std::string::npos);
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,steam,1,kg CO2e/kg,x\n", g, &f);
  EXPECT_NE(s.ToString().find("factors.csv:2: unknown kind 'steam'"), std::string::npos);
  f = {};
  s = Parse("region,sector,kind,value\nCN,cam,process,1\n", g, &f);
  EXPECT_EQ(s.ToString(), "factors.csv:1: missing column 'unit' in the header");
  // A finite number that overflows on conversion to kg or kWh (1e308 t = 1e311 kg) was accepted as infinity (the LCA
  // tables harness: every part of an accepted factor must be finite).
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,process,1e308,t CO2e/kg,x\n", g, &f);
  EXPECT_EQ(s.ToString(),
            "factors.csv:2: factor for cam in CN (1e+308 t CO2e/kg) is too large once converted to kg or kWh");
  f = {};
  s = Parse(std::string(kHeader) + "CN,cam,,electricity,1e308,MWh/kg,x\n", g, &f);
  EXPECT_EQ(s.ToString(),
            "factors.csv:2: factor for cam in CN (1e+308 MWh/kg) is too large once converted to kg or kWh");
  CsvTable t;
  GridIntensities grid;
  ASSERT_TRUE(ParseCsv("region,value,unit\nCN,1e308,t CO2e/kWh\n", "g.csv", &t).ok());
  EXPECT_EQ(ParseGridIntensities(t, &grid).ToString(),
            "g.csv:2: grid intensity of CN is not a finite number in kg CO2e/kWh (inf)");
}

TEST(lcaFactors, YearSpecificRowsWinOverAllYears) {
  const GridIntensities g = Grid();
  EmissionFactors f;
  ASSERT_TRUE(Parse(std::string(kHeader) + "US,cam,,process,10,kg CO2e/kg,x\nUS,cam,2030,process,5,kg CO2e/kg,x\n"
                                           "US,cam,2030,electricity,1,kWh/kg,x\n",
                    g, &f)
                  .ok());
  FactorValue v;
  ASSERT_TRUE(f.Evaluate("US", "cam", 2030, g, &v).ok());
  EXPECT_NEAR(v.total(), 5 + 0.2, 1e-12);  // 2030 rows and the 2030 grid
  ASSERT_TRUE(f.Evaluate("US", "cam", 2025, g, &v).ok());
  EXPECT_NEAR(v.total(), 10, 1e-12);  // falls back to the all-years row
  ASSERT_TRUE(f.Evaluate("US", "cam", 0, g, &v).ok());
  EXPECT_NEAR(v.total(), 10, 1e-12);
  EXPECT_FALSE(Parse(std::string(kHeader) + "US,cam,20x0,process,1,kg CO2e/kg,x\n", g, &f).ok());
}

TEST(lcaFactors, DirectEmissionsCheckActivityUnits) {
  const GridIntensities g = Grid();
  EmissionFactors f;
  ASSERT_TRUE(Parse(std::string(kHeader) + "CN,cell,,process,0.5,kg CO2e/USD,x\nUS,cell,,process,0.2,kg CO2e/USD,x\n"
                                           "US,cell,,electricity,1,kWh/USD,x\n",
                    g, &f)
                  .ok());
  DirectEmissions d;
  ASSERT_TRUE(ComputeDirectEmissions({{"CN", "cell", 100, "USD"}, {"US", "cell", 10, "USD"}}, f, g, 0, &d).ok());
  EXPECT_NEAR(d.total[0], 50, 1e-12);
  EXPECT_NEAR(d.total[1], 10 * (0.2 + 0.386), 1e-12);
  EXPECT_NEAR(d.electricity[1], 3.86, 1e-12);
  EXPECT_NEAR(d.sum, 50 + 5.86, 1e-12);
  EXPECT_FALSE(ComputeDirectEmissions({{"CN", "cell", 100, "kg"}}, f, g, 0, &d).ok());
}

}  // namespace
}  // namespace lccge::lca

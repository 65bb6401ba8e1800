// The battery supply chain's data folder (docs/battery-data.md): a data-layer folder (accounts.csv, sam.csv,
// trade.csv, tariffs.csv, elasticities.csv, nests.csv; docs/data.md) for the standard multi-region model, plus
//
//   regions.csv           region,name                        every region of sam.csv and its name in reports
//   sectors.csv           sector,stage,unit,description      the stage each sector reports under (Mining, Refining,
//                                                            Cathode, Cell, Recycling; empty: outside the chain)
//   physical.csv          region,sector,value,unit           benchmark physical output of each activity
//   emission_factors.csv  (docs/lca.md)                      per unit of physical output; electricity x grid
//   grid_intensity.csv    (docs/lca.md)                      by region
//   captive_power.csv     region,sector,value,unit,source    the part of a region's process + fuel factor emitted by
//                                                            the activity's own power plants (optional)
//   recycling.csv         region,collection_rate,eol_contained_t,other_feed_t,recovery_rate
//   chemistries.csv       chemistry,good,value,unit          bills of materials per GWh (optional)
//   paths.csv             variable,region,year,value,unit    exogenous paths to 2060 (docs/dynamics.md)
//   parameters.csv        parameter,value,unit,source        constants of the dynamics
//   paper.csv             scenario,region,year,value,source  published figures to compare with (optional)
//
// The bundled folder is found without a path (DefaultDataDirectory). Every file is checked when loaded: a problem
// names the file, the line and the cause, and nothing is solved before the data pass.
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"
#include "lccge/dynamics/paths.hpp"
#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/equilibrium.hpp"
#include "lccge/lca/grid_intensity.hpp"

namespace lccge::battery {

// The reported stages, in this order and with exactly these names in every output.
inline constexpr std::array<const char*, 5> kStages = {"Mining", "Refining", "Cathode", "Cell", "Recycling"};
// Index of a stage name in kStages, or -1.
int StageIndex(const std::string& stage);

struct RegionInfo {
  std::string code;  // as in sam.csv
  std::string name;  // in reports, e.g. "United States"
};

struct SectorInfo {
  std::string name;   // as in accounts.csv
  std::string stage;  // one of kStages, or empty (outside the chain: electricity, the rest of the economy)
  std::string unit;   // of physical output, e.g. "t Li contained", "GWh"
  std::string description;
};

// The recycling data of a region: the Recycling-stage sectors' scrap endowment is proportional to
// other_feed + collection_rate x eol_contained (tonnes of contained metal).
struct RecyclingInfo {
  std::string region;
  double collection_rate = 0;  // share of end-of-life batteries collected for recycling, 0..1
  double eol_contained = 0;    // metal contained in the end-of-life batteries arising, t
  double other_feed = 0;       // production scrap and imported black mass, t contained
  double recovery_rate = 1;    // share of the feed's metal recovered, (0, 1]
  SourceLocation where;
  double Feed(double rate) const { return other_feed + rate * eol_contained; }
};

// A cell chemistry's bill of materials per GWh (chemistries.csv: chemistry,good,value,unit in t/GWh). Goods of
// the Cathode stage measured in contained metal are the cathode's chemicals, the other Cathode-stage good its
// active material, goods of other stages the cell maker's further inputs.
struct BillOfMaterials {
  std::string name;                         // e.g. "NMC811"
  std::map<std::string, double> chemicals;  // market good -> t per GWh of cells (e.g. li_chem -> 100.0)
  std::string cathode_sector = "cathode";   // its own emissions per t of cathode material x cathode_t_per_gwh
  double cathode_t_per_gwh = 0;
  std::string cell_sector = "cell";           // its own emissions per GWh
  std::map<std::string, double> cell_inputs;  // other market goods bought by the cell maker, t per GWh (graphite)
};
// A published figure the results are compared with (paper.csv): never used in a computation.
struct ReferenceFigure {
  std::string scenario, region;  // IAMC scenario and region names
  int year = 0;
  double value = 0;  // change of the chain's emission intensity against Baseline, percent
  std::string source;
};

struct BatteryData {
  std::string dir;
  data::Dataset dataset;
  std::vector<RegionInfo> regions;  // in the order of dataset.regions
  std::vector<SectorInfo> sectors;  // in the order of dataset.sectors
  lca::GridIntensities grid;
  lca::EmissionFactors factors;
  lca::StageLabels stages;  // from sectors.csv
  // Benchmark physical output by (region, sector): value and unit.
  std::map<std::pair<std::string, std::string>, std::pair<double, std::string>> physical;
  std::vector<RecyclingInfo> recycling;                // one per region, in the order of dataset.regions
  std::string scrap_account;                           // the resource account paid by the Recycling-stage sectors
  std::map<std::string, BillOfMaterials> chemistries;  // optional (chemistries.csv), by chemistry name
  // captive_power.csv (optional): (region, sector) -> kg CO2e per physical unit of its process + fuel factor that
  // is energy supply (own power plants), which technology convergence leaves as it leaves grids.
  std::map<std::pair<std::string, std::string>, double> captive_power;
  dynamics::PathTable paths;                 // paths.csv (empty when absent)
  std::map<std::string, double> parameters;  // parameters.csv (empty when absent)
  std::vector<ReferenceFigure> paper;        // paper.csv (empty when absent)
  // A constant of parameters.csv, or an error naming the file when it is missing.
  Status Parameter(const std::string& name, double* value) const;

  int RegionIndex(const std::string& code) const { return dataset.RegionIndex(code); }
  // The report name of a region code ("" when unknown).
  const std::string& RegionName(const std::string& code) const;
  const SectorInfo* FindSector(const std::string& name) const;
  const RecyclingInfo* FindRecycling(const std::string& region) const;
  // Sectors with a stage (the chain), in dataset order.
  std::vector<std::string> ChainSectors() const;
  std::vector<std::string> SectorsOfStage(const std::string& stage) const;
};

// The bundled battery data folder: $LCCGE_DATA_DIR/battery when the variable is set; else next to the running
// program (<bin>/../share/lccge/battery as installed, <build>/share/lccge/battery in the build tree); else the
// installed data directory and then the source tree's data/battery, as compiled in. Empty when none exists.
std::string DefaultDataDirectory();

// Reads and checks a battery data folder. Every problem is added to `diagnostics` (if given) with its file and line;
// the first is returned. The data-layer checks (docs/data.md, "Checks") run too.
Status LoadBatteryData(const std::string& dir, BatteryData* data, Diagnostics* diagnostics = nullptr);

// Whether `dir` looks like a battery data folder (it holds sectors.csv and regions.csv beside the data-layer files).
bool IsBatteryDataDirectory(const std::string& dir);

}  // namespace lccge::battery

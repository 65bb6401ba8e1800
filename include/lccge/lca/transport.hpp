// Transport of critical minerals by embedded resource accounting (seed 002, equations 1-2; docs/lca.md):
//
//   (1) m_a = sum_h w_h c_{a,h}                       contained mineral a in traded commodities h
//   (2) E_{a,r} = s_{a,r} m_a sum_legs (1 / C_h) sum_modes d_mode e_mode / 1000
//
// w_h is the mass of commodity h per functional unit (kg), c_{a,h} its content of mineral a (kg/kg), r a route
// (origin, sequence of legs) taking the share s_{a,r} of mineral a, d the distance by mode (km) and e the modal
// factor (kg CO2e per tonne-km). On each leg the mineral travels inside a commodity h; the mass moved on its
// account is m_a / C_h with C_h = sum_b c_{b,h} the commodity's total tracked mineral content, i.e. the commodity's
// mass allocated among the minerals it carries in proportion to their contained mass. A single-mineral
// commodity (ore, concentrate, salt) thus moves m_a / c_{a,h}; for a commodity of pure mineral (c = 1) (2) is
// seed 002's equation 2 exactly, E = m_a (d_sea e_sea + d_truck e_truck + d_rail e_rail).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge::lca {

struct TransportMode {
  std::string name;       // e.g. "sea", "truck", "rail"
  double kg_per_tkm = 0;  // kg CO2e per tonne-km
  SourceLocation where;
};

struct TradedCommodity {
  std::string name;
  std::string hs_code;                    // Harmonized System code (informative)
  std::map<std::string, double> content;  // mineral -> kg of mineral per kg of commodity, in (0, 1]
  SourceLocation where;
};

struct ContainedCommodity {  // one term of equation (1)
  std::string commodity;
  double mass = 0;  // kg per functional unit
  SourceLocation where;
};

struct TransportLeg {
  std::string commodity;
  std::string from, to;
  std::map<std::string, double> distance_km;  // mode -> km
  SourceLocation where;
};

struct TransportRoute {
  std::string mineral;
  std::string origin;  // country where the mineral is mined
  std::string name;    // e.g. "CD-CN-JP-US"
  double share = 0;    // share of the mineral taking this route; shares of a mineral sum to 1
  std::vector<TransportLeg> legs;
  SourceLocation where;
};

struct TransportInventory {
  std::vector<TransportMode> modes;
  std::vector<TradedCommodity> commodities;
  std::vector<ContainedCommodity> contained;
  std::vector<TransportRoute> routes;
  SourceLocation where;  // of the whole section, for messages
  // Tolerance on the sum of route shares per mineral.
  double share_tolerance = 1e-6;
};

struct RouteEmissions {
  std::string mineral, origin, route;
  double share = 0;
  double mineral_mass = 0;  // s m_a (kg)
  double tonne_km = 0;      // attributed commodity mass x distance, all legs and modes
  double emissions = 0;     // kg CO2e
};

struct TransportResult {
  std::map<std::string, double> contained;   // m_a (kg per functional unit)
  std::map<std::string, double> by_mineral;  // kg CO2e
  std::map<std::string, double> by_origin;   // kg CO2e
  std::map<std::string, double> by_mode;     // kg CO2e
  std::vector<RouteEmissions> routes;
  double total = 0;
};

// Validates the inventory (unknown mode or commodity, negative distances or masses, contents outside (0, 1],
// shares of a mineral not summing to 1, a leg whose commodity does not carry the route's mineral, a mineral
// without routes) and computes equations (1) and (2).
Status ComputeTransport(const TransportInventory& inventory, TransportResult* result);

}  // namespace lccge::lca

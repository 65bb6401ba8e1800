#include "lccge/lca/transport.hpp"

#include <cmath>
#include <set>

#include "lca/util.hpp"

namespace lccge::lca {

Status ComputeTransport(const TransportInventory& inv, TransportResult* result) {
  using internal::FormatNumber;
  std::map<std::string, const TransportMode*> modes;
  for (const TransportMode& m : inv.modes) {
    if (m.name.empty()) return Status::Invalid("a transport mode needs a name", m.where);
    if (!std::isfinite(m.kg_per_tkm) || m.kg_per_tkm < 0) {
      return Status::Invalid("negative emission factor for transport mode '" + m.name + "'", m.where);
    }
    if (!modes.emplace(m.name, &m).second) return Status::Invalid("duplicate transport mode '" + m.name + "'", m.where);
  }
  std::map<std::string, const TradedCommodity*> commodities;
  std::map<std::string, double> total_content;
  for (const TradedCommodity& c : inv.commodities) {
    if (c.name.empty()) return Status::Invalid("a traded commodity needs a name", c.where);
    if (c.content.empty()) return Status::Invalid("commodity '" + c.name + "' has no mineral content", c.where);
    double sum = 0;
    for (const auto& [mineral, v] : c.content) {
      if (!std::isfinite(v) || v <= 0 || v > 1) {
        return Status::Invalid("content of " + mineral + " in commodity '" + c.name + "' is " + FormatNumber(v) +
                                   ", expected a mass fraction in (0, 1]",
                               c.where);
      }
      sum += v;
    }
    if (sum > 1 + 1e-9) {
      return Status::Invalid("mineral contents of commodity '" + c.name + "' sum to " + FormatNumber(sum) + " > 1",
                             c.where);
    }
    if (!commodities.emplace(c.name, &c).second) {
      return Status::Invalid("duplicate commodity '" + c.name + "'", c.where);
    }
    total_content[c.name] = sum;
  }
  TransportResult r;
  // Equation (1): contained mineral.
  for (const ContainedCommodity& w : inv.contained) {
    auto it = commodities.find(w.commodity);
    if (it == commodities.end()) return Status::Invalid("unknown commodity '" + w.commodity + "'", w.where);
    if (!std::isfinite(w.mass) || w.mass < 0) {
      return Status::Invalid("negative mass of commodity '" + w.commodity + "'", w.where);
    }
    for (const auto& [mineral, c] : it->second->content) r.contained[mineral] += w.mass * c;
  }
  // Route shares by mineral.
  std::map<std::string, double> share_sum;
  std::map<std::string, SourceLocation> first_route;
  for (const TransportRoute& route : inv.routes) {
    if (route.mineral.empty()) return Status::Invalid("a route needs a mineral", route.where);
    if (!r.contained.count(route.mineral)) {
      return Status::Invalid("route '" + route.name + "' carries " + route.mineral +
                                 ", which no contained commodity holds (equation 1 gives no mass for it)",
                             route.where);
    }
    if (!std::isfinite(route.share) || route.share < 0) {
      return Status::Invalid("negative share for route '" + route.name + "'", route.where);
    }
    share_sum[route.mineral] += route.share;
    first_route.try_emplace(route.mineral, route.where);
  }
  for (const auto& [mineral, sum] : share_sum) {
    if (std::abs(sum - 1.0) > inv.share_tolerance) {
      return Status::Invalid("route shares of " + mineral + " sum to " + FormatNumber(sum) + ", not 1",
                             first_route[mineral]);
    }
  }
  for (const auto& [mineral, m] : r.contained) {
    if (m > 0 && !share_sum.count(mineral)) {
      return Status::Invalid("mineral " + mineral + " is contained in the product but has no transport route",
                             inv.where);
    }
  }
  // Equation (2).
  for (const TransportRoute& route : inv.routes) {
    RouteEmissions e;
    e.mineral = route.mineral;
    e.origin = route.origin;
    e.route = route.name;
    e.share = route.share;
    e.mineral_mass = route.share * r.contained[route.mineral];
    for (const TransportLeg& leg : route.legs) {
      auto ic = commodities.find(leg.commodity);
      if (ic == commodities.end()) return Status::Invalid("unknown commodity '" + leg.commodity + "'", leg.where);
      if (!ic->second->content.count(route.mineral)) {
        return Status::Invalid("commodity '" + leg.commodity + "' does not contain " + route.mineral, leg.where);
      }
      const double tonnes = e.mineral_mass / total_content[leg.commodity] / 1000.0;
      for (const auto& [mode, km] : leg.distance_km) {
        auto im = modes.find(mode);
        if (im == modes.end()) return Status::Invalid("unknown transport mode '" + mode + "'", leg.where);
        if (!std::isfinite(km) || km < 0) {
          return Status::Invalid("negative distance by " + mode + " on leg " + leg.from + "-" + leg.to, leg.where);
        }
        const double kg = tonnes * km * im->second->kg_per_tkm;
        e.tonne_km += tonnes * km;
        e.emissions += kg;
        r.by_mode[mode] += kg;
      }
    }
    r.by_mineral[e.mineral] += e.emissions;
    r.by_origin[e.origin] += e.emissions;
    r.total += e.emissions;
    r.routes.push_back(std::move(e));
  }
  for (const auto& [mineral, m] : r.contained) r.by_mineral.try_emplace(mineral, 0.0);
  *result = std::move(r);
  return Status::Ok();
}

}  // namespace lccge::lca

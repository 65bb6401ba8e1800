#include "lccge/lca/equilibrium.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "lca/util.hpp"
#include "lccge/model/flows.hpp"

namespace lccge::lca {
namespace {

constexpr const char* kDeliveryColumn = "(net endowment)";
constexpr const char* kEndowmentRegion = "endowment";

// A value P x q at the solution. Levels and prices are >= 0 in an equilibrium; the solver may leave round-off
// below zero, which is clamped. Anything clearly negative is reported.
Status NonNegative(double v, const std::string& what, double* out) {
  if (!std::isfinite(v)) return Status::Failed(what + " is not finite at the solution");
  if (v < 0) {
    if (v < -1e-9) return Status::Invalid(what + " is negative at the solution (" + internal::FormatNumber(v) + ")");
    v = 0;
  }
  *out = v;
  return Status::Ok();
}

}  // namespace

bool EquilibriumTableOptions::IsValid(std::string* why) const {
  if (!(balance_tolerance >= 0) || !std::isfinite(balance_tolerance)) {
    if (why) *why = "balance_tolerance must be a finite non-negative number";
    return false;
  }
  if (default_region.empty()) {
    if (why) *why = "default_region must not be empty";
    return false;
  }
  for (const auto& [name, f] : factors) {
    for (double v : {f.process, f.fuel, f.electricity}) {
      if (!std::isfinite(v) || v < 0) {
        if (why) *why = "the emission factor of sector '" + name + "' must be finite and non-negative";
        return false;
      }
    }
  }
  for (const auto& [name, p] : physical_per_activity) {
    if (!std::isfinite(p.first) || p.first <= 0 || p.second.empty()) {
      if (why) *why = "the physical output of sector '" + name + "' must be positive and have a unit";
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Stage labels

Status ParseStageLabels(const CsvTable& table, StageLabels* labels) {
  Status s = RequireColumns(table, {"sector", "stage"});
  if (!s.ok()) return s;
  const int c_sector = table.Column("sector"), c_stage = table.Column("stage"), c_region = table.Column("region");
  StageLabels out;
  for (const CsvRow& row : table.rows) {
    const std::string& sector = row.fields[static_cast<size_t>(c_sector)];
    const std::string& stage = row.fields[static_cast<size_t>(c_stage)];
    const std::string region = c_region >= 0 ? row.fields[static_cast<size_t>(c_region)] : std::string();
    if (sector.empty()) return Status::Invalid("empty sector", table.Where(row));
    if (stage.empty()) return Status::Invalid("empty stage for sector '" + sector + "'", table.Where(row));
    const bool all = region.empty() || region == "*";
    const std::string key = all ? sector : region + "." + sector;
    auto& map = all ? out.by_sector : out.by_industry;
    if (map.count(key)) {
      return Status::Invalid("duplicate stage for " + (all ? "sector '" + sector + "'" : "'" + key + "'") +
                                 " (first at " + out.where[key].ToString() + ")",
                             table.Where(row));
    }
    map[key] = stage;
    out.where[key] = table.Where(row);
  }
  if (out.empty()) return Status::Invalid("the stage table has no rows", {table.file, 0, 0});
  *labels = std::move(out);
  return Status::Ok();
}

Status LoadStageLabels(const std::string& path, StageLabels* labels) {
  CsvTable table;
  Status s = ReadCsv(path, &table);
  if (!s.ok()) return s;
  return ParseStageLabels(table, labels);
}

// ---------------------------------------------------------------------------------------------------------------
// The table and the accounts

Status ComputeEquilibriumAccounts(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                  const EquilibriumTableOptions& options, EquilibriumAccounts* result) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("equilibrium accounts options: " + why);
  if (!model.finalized()) return Status::Invalid("the model is not finalized");
  const auto& vars = model.variables();
  const int nv = model.num_variables();
  if (values.size() != static_cast<size_t>(nv)) {
    return Status::Invalid("expected " + std::to_string(nv) + " values, got " + std::to_string(values.size()));
  }
  auto require_kind = [&](const std::string& name, VariableKind kind, const char* what) -> Status {
    const int v = model.VariableIndex(name);
    if (v < 0 || vars[static_cast<size_t>(v)].kind != kind)
      return Status::Invalid(std::string(what) + " '" + name + "' is not a " +
                             (kind == VariableKind::kSector ? "sector" : "consumer") + " of the model");
    return Status::Ok();
  };
  std::vector<bool> is_fd(static_cast<size_t>(nv), false);
  for (const std::string& name : options.final_demand_sectors) {
    Status s = require_kind(name, VariableKind::kSector, "final-demand sector");
    if (!s.ok()) return s;
    is_fd[static_cast<size_t>(model.VariableIndex(name))] = true;
  }
  for (const auto& [name, f] : options.factors) {
    Status s = require_kind(name, VariableKind::kSector, "emission factor for");
    if (!s.ok()) return s;
    if (is_fd[static_cast<size_t>(model.VariableIndex(name))] && f.total() > 0)
      return Status::Invalid("final-demand sector '" + name + "' cannot carry direct emissions");
  }
  for (const auto& [name, p] : options.physical_per_activity) {
    Status s = require_kind(name, VariableKind::kSector, "physical output for");
    if (!s.ok()) return s;
  }
  for (const auto& [name, label] : options.industry_of_sector) {
    Status s = require_kind(name, VariableKind::kSector, "industry label for");
    if (!s.ok()) return s;
    if (label.region.empty() || label.sector.empty())
      return Status::Invalid("the industry label of sector '" + name + "' needs a region and a sector");
  }
  for (const auto& [name, region] : options.region_of_consumer) {
    Status s = require_kind(name, VariableKind::kConsumer, "region for consumer");
    if (!s.ok()) return s;
    if (region.empty()) return Status::Invalid("empty region for consumer '" + name + "'");
  }

  EquilibriumFlows flows;
  Status s = ComputeEquilibriumFlows(model, scenario, values, &flows);
  if (!s.ok()) return s;

  // Produced commodities (an output of some sector, final-demand sectors included) and the commodities that
  // final-demand sectors produce, which no sector may use.
  std::vector<bool> produced(static_cast<size_t>(nv), false), fd_output(static_cast<size_t>(nv), false);
  for (const auto& p : flows.production) {
    if (!p.is_output) continue;
    produced[static_cast<size_t>(p.commodity)] = true;
    if (is_fd[static_cast<size_t>(p.sector)]) fd_output[static_cast<size_t>(p.commodity)] = true;
  }
  for (const auto& p : flows.production) {
    if (!p.is_output && fd_output[static_cast<size_t>(p.commodity)]) {
      return Status::Invalid("sector '" + vars[static_cast<size_t>(p.sector)].name + "' uses '" +
                             vars[static_cast<size_t>(p.commodity)].name +
                             "', the output of a final-demand sector: a final-demand sector's output must go to "
                             "consumers only");
    }
  }

  // Industries: every sector that is not a final-demand sector, in model order.
  std::vector<int> industry_of_var(static_cast<size_t>(nv), -1);
  std::vector<int> sector_of_industry;
  for (int v = 0; v < nv; ++v) {
    if (vars[static_cast<size_t>(v)].kind != VariableKind::kSector || is_fd[static_cast<size_t>(v)]) continue;
    industry_of_var[static_cast<size_t>(v)] = static_cast<int>(sector_of_industry.size());
    sector_of_industry.push_back(v);
  }
  // Commodity index in the supply-use tables (produced commodities only).
  std::vector<int> commodity_index(static_cast<size_t>(nv), -1);
  std::vector<int> var_of_commodity;
  for (int v = 0; v < nv; ++v) {
    if (!produced[static_cast<size_t>(v)]) continue;
    commodity_index[static_cast<size_t>(v)] = static_cast<int>(var_of_commodity.size());
    var_of_commodity.push_back(v);
  }
  const int n_ind = static_cast<int>(sector_of_industry.size());
  const int n_com = static_cast<int>(var_of_commodity.size());
  const int n_cons = static_cast<int>(model.demands().size());

  std::vector<double> supply_total(static_cast<size_t>(n_com), 0.0), use_total(static_cast<size_t>(n_com), 0.0);
  std::vector<double> intermediate(static_cast<size_t>(n_ind), 0.0), factor_pay(static_cast<size_t>(n_ind), 0.0);
  std::vector<double> output_value(static_cast<size_t>(n_ind), 0.0);
  // Final-demand sectors: their supply by commodity, their produced inputs, their output and input values.
  std::map<int, std::map<int, double>> fd_supply, fd_inputs;
  std::map<int, double> fd_out_value, fd_in_value;

  SupplyUseTables sut;
  for (int i = 0; i < n_ind; ++i) {
    const int v = sector_of_industry[static_cast<size_t>(i)];
    const std::string& name = vars[static_cast<size_t>(v)].name;
    auto it = options.industry_of_sector.find(name);
    sut.industries.push_back(it != options.industry_of_sector.end() ? it->second
                                                                    : Industry{options.default_region, name});
  }
  for (int c : var_of_commodity) sut.commodities.push_back(vars[static_cast<size_t>(c)].name);

  for (const auto& p : flows.production) {
    const std::string what = "the value of '" + vars[static_cast<size_t>(p.commodity)].name + "' " +
                             (p.is_output ? "supplied" : "used") + " by '" + vars[static_cast<size_t>(p.sector)].name +
                             "'";
    double value = 0;
    s = NonNegative(values[static_cast<size_t>(p.commodity)] * p.quantity, what, &value);
    if (!s.ok()) return s;
    const int c = commodity_index[static_cast<size_t>(p.commodity)];
    if (is_fd[static_cast<size_t>(p.sector)]) {
      if (p.is_output) {
        fd_supply[p.sector][c] += value;
        fd_out_value[p.sector] += value;
        supply_total[static_cast<size_t>(c)] += value;
      } else {
        fd_in_value[p.sector] += value;
        if (c >= 0) {
          fd_inputs[p.sector][c] += value;
          use_total[static_cast<size_t>(c)] += value;
        }
      }
      continue;
    }
    const int j = industry_of_var[static_cast<size_t>(p.sector)];
    if (p.is_output) {
      sut.supply.push_back({j, c, value});
      supply_total[static_cast<size_t>(c)] += value;
      output_value[static_cast<size_t>(j)] += value;
    } else if (c >= 0) {
      sut.use.push_back({c, j, value});
      use_total[static_cast<size_t>(c)] += value;
      intermediate[static_cast<size_t>(j)] += value;
    } else {
      factor_pay[static_cast<size_t>(j)] += value;
    }
  }

  // Consumers: purchases of produced commodities (final demand), of primary commodities (outside the table), and
  // net endowments of produced commodities.
  std::vector<std::string> consumer_name(static_cast<size_t>(n_cons)), consumer_region(static_cast<size_t>(n_cons));
  std::map<int, int> consumer_of_var;
  for (int h = 0; h < n_cons; ++h) {
    const std::string& name = model.demands()[static_cast<size_t>(h)].consumer;
    consumer_name[static_cast<size_t>(h)] = name;
    auto it = options.region_of_consumer.find(name);
    consumer_region[static_cast<size_t>(h)] =
        it != options.region_of_consumer.end() ? it->second : options.default_region;
    consumer_of_var[model.VariableIndex(name)] = h;
  }
  // purchases[k][c]: column k (consumers, then the delivery column) buys commodity c.
  std::vector<std::map<int, double>> purchases(static_cast<size_t>(n_cons + 1));
  std::vector<double> primary_value(static_cast<size_t>(n_cons + 1), 0.0);
  for (const auto& f : flows.final_demand) {
    auto hit = consumer_of_var.find(f.consumer);
    if (hit == consumer_of_var.end()) return Status::Internal("final demand of a consumer without a demand block");
    const int h = hit->second;
    double value = 0;
    s = NonNegative(values[static_cast<size_t>(f.commodity)] * f.quantity,
                    "the final demand of '" + consumer_name[static_cast<size_t>(h)] + "' for '" +
                        vars[static_cast<size_t>(f.commodity)].name + "'",
                    &value);
    if (!s.ok()) return s;
    const int c = commodity_index[static_cast<size_t>(f.commodity)];
    if (c >= 0) {
      purchases[static_cast<size_t>(h)][c] += value;
      use_total[static_cast<size_t>(c)] += value;
    } else {
      primary_value[static_cast<size_t>(h)] += value;
    }
  }
  std::vector<double> net_endowment(static_cast<size_t>(n_com), 0.0);
  for (const auto& e : flows.endowments) {
    const int c = commodity_index[static_cast<size_t>(e.commodity)];
    if (c >= 0) net_endowment[static_cast<size_t>(c)] += values[static_cast<size_t>(e.commodity)] * e.quantity;
  }
  // Net endowments of a produced commodity: within tolerance of zero they are transfers between consumers (e.g.
  // foreign savings paid in the numeraire) and carry no goods; a positive net endowment is a supplier without
  // inputs or emissions; a negative one is delivered out of the market (the delivery column).
  std::vector<double> endowment_supply(static_cast<size_t>(n_com), 0.0);
  EquilibriumAccounts out;
  for (int c = 0; c < n_com; ++c) {
    const double n = net_endowment[static_cast<size_t>(c)];
    const double tol = options.balance_tolerance * std::max(1.0, supply_total[static_cast<size_t>(c)]);
    if (n > tol) {
      endowment_supply[static_cast<size_t>(c)] = n;
      const int j = static_cast<int>(sut.industries.size());
      sut.industries.push_back({kEndowmentRegion, sut.commodities[static_cast<size_t>(c)]});
      sut.supply.push_back({j, c, n});
      out.endowment_suppliers.push_back(sut.commodities[static_cast<size_t>(c)]);
    } else if (n < -tol) {
      purchases[static_cast<size_t>(n_cons)][c] += -n;
      use_total[static_cast<size_t>(c)] += -n;
    }
  }

  // Market balance in values: supply + positive net endowment = intermediate use + final use + delivery.
  for (int c = 0; c < n_com; ++c) {
    const double q = supply_total[static_cast<size_t>(c)] + endowment_supply[static_cast<size_t>(c)];
    const double gap = std::abs(q - use_total[static_cast<size_t>(c)]) / std::max(1.0, q);
    out.max_market_imbalance = std::max(out.max_market_imbalance, gap);
    if (gap > options.balance_tolerance) {
      return Status::Invalid("the market for '" + sut.commodities[static_cast<size_t>(c)] +
                             "' does not balance: supply " + internal::FormatNumber(q) + ", uses " +
                             internal::FormatNumber(use_total[static_cast<size_t>(c)]) +
                             " (not an equilibrium, or a fixed price or activity level leaves this market "
                             "uncleared; the table needs every produced commodity's market to clear)");
    }
  }

  // Final use by column. Purchases of a commodity that final-demand sectors produce go, for the sectors' share of
  // its supply, to those sectors and become their inputs; the rest stays a purchase of the commodity.
  const bool has_delivery = !purchases[static_cast<size_t>(n_cons)].empty();
  const int n_cols = n_cons + (has_delivery ? 1 : 0);
  std::vector<std::map<int, double>> final_use(static_cast<size_t>(n_cols));
  std::map<int, std::vector<double>> bought_from_fd;  // fd sector -> value bought per column
  for (int k = 0; k < n_cols; ++k) {
    for (const auto& [c, value] : purchases[static_cast<size_t>(k)]) {
      const double q = supply_total[static_cast<size_t>(c)] + endowment_supply[static_cast<size_t>(c)];
      double rest = value;
      if (fd_output[static_cast<size_t>(var_of_commodity[static_cast<size_t>(c)])] && q > 0) {
        for (auto& [w, supply] : fd_supply) {
          auto it = supply.find(c);
          if (it == supply.end()) continue;
          const double part = value * it->second / q;
          auto& row = bought_from_fd[w];
          row.resize(static_cast<size_t>(n_cols), 0.0);
          row[static_cast<size_t>(k)] += part;
          rest -= part;
        }
      }
      // What final-demand sectors supply is split off above; a remainder at rounding level is no purchase.
      if (rest > 1e-12 * std::max(1.0, std::fabs(value))) final_use[static_cast<size_t>(k)][c] += rest;
    }
  }
  for (const auto& [w, inputs] : fd_inputs) {
    auto it = bought_from_fd.find(w);
    double total = 0;
    if (it != bought_from_fd.end())
      for (double v : it->second) total += v;
    if (total <= 0) {
      double in = 0;
      for (const auto& [c, v] : inputs) in += v;
      if (in > 0)
        return Status::Invalid("final-demand sector '" + vars[static_cast<size_t>(w)].name +
                               "' uses inputs but no consumer buys its output");
      continue;
    }
    for (int k = 0; k < n_cols; ++k) {
      const double share = it->second[static_cast<size_t>(k)] / total;
      if (share <= 0) continue;
      for (const auto& [c, v] : inputs) final_use[static_cast<size_t>(k)][c] += v * share;
    }
  }
  for (const auto& [w, value] : fd_out_value) {
    double produced_inputs = 0;
    if (auto it = fd_inputs.find(w); it != fd_inputs.end())
      for (const auto& [c, v] : it->second) produced_inputs += v;
    out.final_demand_sector_value_added += value - produced_inputs;
  }
  std::vector<std::string> column_region(static_cast<size_t>(n_cols)), column_category(static_cast<size_t>(n_cols));
  for (int k = 0; k < n_cols; ++k) {
    column_region[static_cast<size_t>(k)] =
        k < n_cons ? consumer_region[static_cast<size_t>(k)] : options.default_region;
    column_category[static_cast<size_t>(k)] = k < n_cons ? consumer_name[static_cast<size_t>(k)] : kDeliveryColumn;
    for (const auto& [c, v] : final_use[static_cast<size_t>(k)])
      sut.final_use.push_back({c, column_region[static_cast<size_t>(k)], column_category[static_cast<size_t>(k)], v});
  }

  // Direct emissions: factor per unit of activity level x level.
  sut.direct_emissions.assign(sut.industries.size(), 0.0);
  std::vector<ActivityEmissionFactor> parts(static_cast<size_t>(n_ind));
  for (int j = 0; j < n_ind; ++j) {
    const int v = sector_of_industry[static_cast<size_t>(j)];
    auto it = options.factors.find(vars[static_cast<size_t>(v)].name);
    if (it == options.factors.end()) continue;
    double level = 0;
    s = NonNegative(values[static_cast<size_t>(v)], "the activity level of '" + vars[static_cast<size_t>(v)].name + "'",
                    &level);
    if (!s.ok()) return s;
    ActivityEmissionFactor& e = parts[static_cast<size_t>(j)];
    e.process = it->second.process * level;
    e.fuel = it->second.fuel * level;
    e.electricity = it->second.electricity * level;
    sut.direct_emissions[static_cast<size_t>(j)] = e.total();
  }

  IoTable table;
  s = BuildFromSupplyUse(sut, &table);
  if (!s.ok()) return s;
  // Every consumer has a column, even without purchases.
  for (int k = 0; k < n_cols; ++k) {
    if (table.FinalDemandColumnIndex(column_region[static_cast<size_t>(k)], column_category[static_cast<size_t>(k)]) <
        0) {
      s = table.AddFinalDemand(0, column_region[static_cast<size_t>(k)], column_category[static_cast<size_t>(k)], 0.0);
      if (!s.ok()) return s;
    }
  }
  for (int j = 0; j < n_ind; ++j) {
    const int v = sector_of_industry[static_cast<size_t>(j)];
    auto it = options.physical_per_activity.find(vars[static_cast<size_t>(v)].name);
    if (it == options.physical_per_activity.end()) continue;
    const double units = std::max(0.0, values[static_cast<size_t>(v)]) * it->second.first;
    if (units > 0 && output_value[static_cast<size_t>(j)] > 0) {
      s = table.SetPhysicalPerValue(j, units / output_value[static_cast<size_t>(j)], it->second.second);
      if (!s.ok()) return s;
    }
  }

  IoAccountsOptions io_options;
  io_options.balance_tolerance = options.balance_tolerance;
  io_options.by_origin = true;
  s = ComputeIoAccounts(table, io_options, &out.io);
  if (!s.ok()) return s;

  for (int j = 0; j < n_ind; ++j) {
    const int v = sector_of_industry[static_cast<size_t>(j)];
    ActivityAccount a;
    a.sector = vars[static_cast<size_t>(v)].name;
    a.industry = table.industries()[static_cast<size_t>(j)];
    a.level = values[static_cast<size_t>(v)];
    a.output_value = out.io.gross_output(j);
    a.intermediate = intermediate[static_cast<size_t>(j)];
    a.factor_payments = factor_pay[static_cast<size_t>(j)];
    a.taxes = a.output_value - a.intermediate - a.factor_payments;
    a.value_added = out.io.value_added(j);
    a.direct_parts = parts[static_cast<size_t>(j)];
    a.direct = out.io.direct(j);
    a.direct_intensity = out.io.direct_intensity(j);
    a.embodied_intensity = out.io.embodied_intensity(j);
    a.physical_intensity = out.io.physical_intensity(j);
    a.physical_unit = table.physical_units()[static_cast<size_t>(j)];
    out.activities.push_back(std::move(a));
  }
  const Eigen::MatrixXd y = table.FinalDemandMatrix();
  std::set<std::string> regions;
  for (const Industry& ind : table.industries()) regions.insert(ind.region);
  for (size_t k = 0; k < table.final_demand_columns().size(); ++k) {
    const FinalDemandColumn& col = table.final_demand_columns()[k];
    FinalDemandAccount f;
    f.consumer = col.category;
    f.region = col.region;
    f.value = y.col(static_cast<Eigen::Index>(k)).sum();
    f.embodied = out.io.final_demand_embodied(static_cast<Eigen::Index>(k));
    f.intensity = f.value > 0 ? f.embodied / f.value : 0.0;
    for (const std::string& r : regions) f.by_origin[r] = out.io.EmbodiedFromRegion(table, static_cast<int>(k), r);
    for (int h = 0; h < n_cols; ++h)
      if (column_category[static_cast<size_t>(h)] == col.category &&
          column_region[static_cast<size_t>(h)] == col.region)
        f.primary_value = primary_value[static_cast<size_t>(h)];
    out.final_demand.push_back(std::move(f));
  }
  out.total_direct = out.io.total_direct;
  out.total_embodied = out.io.total_final_demand_embodied;
  out.conservation_gap =
      std::abs(out.total_embodied - out.total_direct) / (out.total_direct != 0 ? std::abs(out.total_direct) : 1.0);

  if (!options.stages.empty()) {
    std::set<std::string> sectors, labels;
    for (const Industry& ind : table.industries()) {
      sectors.insert(ind.sector);
      labels.insert(ind.Label());
    }
    auto where = [&](const std::string& key) {
      auto it = options.stages.where.find(key);
      return it != options.stages.where.end() ? it->second : SourceLocation{};
    };
    for (const auto& [key, stage] : options.stages.by_sector)
      if (!sectors.count(key)) return Status::Invalid("stage label for unknown sector '" + key + "'", where(key));
    for (const auto& [key, stage] : options.stages.by_industry)
      if (!labels.count(key)) return Status::Invalid("stage label for unknown industry '" + key + "'", where(key));
    s = DecomposeByStage(table, out.io, options.stages.by_sector, &out.stages, options.stages.by_industry);
    if (!s.ok()) return s;
    out.has_stages = true;
  }
  out.table = std::move(table);
  *result = std::move(out);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------------------------
// The standard multi-region model

Status BenchmarkOutputs(const Model& model, std::map<std::string, double>* output_per_level) {
  if (!model.finalized()) return Status::Invalid("the model is not finalized");
  const auto& vars = model.variables();
  std::vector<double> values(vars.size(), 1.0);
  for (size_t v = 0; v < vars.size(); ++v) {
    if (vars[v].kind == VariableKind::kConsumer || vars[v].kind == VariableKind::kAuxiliary) values[v] = 0.0;
    if (auto it = model.start().find(vars[v].name); it != model.start().end()) values[v] = it->second;
  }
  EquilibriumFlows flows;
  Status s = ComputeEquilibriumFlows(model, Scenario{}, values, &flows);
  if (!s.ok()) return s;
  std::map<std::string, double> out;
  for (const auto& p : flows.production) {
    if (!p.is_output) continue;
    const double level = values[static_cast<size_t>(p.sector)];
    out[vars[static_cast<size_t>(p.sector)].name] += level > 0 ? p.quantity / level : 0.0;
  }
  *output_per_level = std::move(out);
  return Status::Ok();
}

Status LabelMultiRegionModel(const Model& model, MultiRegionLabels* labels,
                             const std::map<std::string, Industry>* extra) {
  MultiRegionLabels out;
  const auto& vars = model.variables();
  for (const VariableInfo& v : vars)
    if (v.kind == VariableKind::kSector && v.name.rfind("W_", 0) == 0 && v.name.size() > 2)
      out.regions.push_back(v.name.substr(2));
  if (out.regions.empty())
    return Status::Invalid("model '" + model.name() +
                           "' has no final-demand sectors W_<region>: it is not a standard multi-region model");
  // Longest region first, so that "north_east" wins over "north" for "Y_north_east_agr".
  std::vector<std::string> by_length = out.regions;
  std::stable_sort(by_length.begin(), by_length.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto split = [&](const std::string& rest, std::string* region, std::string* item) {
    for (const std::string& r : by_length) {
      if (rest.size() > r.size() + 1 && rest.compare(0, r.size(), r) == 0 && rest[r.size()] == '_') {
        *region = r;
        *item = rest.substr(r.size() + 1);
        return true;
      }
    }
    return false;
  };
  for (const VariableInfo& v : vars) {
    if (v.kind == VariableKind::kSector) {
      const std::string& n = v.name;
      std::string region, item;
      if (n.rfind("W_", 0) == 0) {
        out.final_demand_sectors.push_back(n);
      } else if (n == "T") {
        out.industry_of_sector[n] = {"global", "transport"};
      } else if (extra != nullptr && extra->count(n) != 0) {
        out.industry_of_sector[n] = extra->at(n);
      } else if ((n.rfind("Y_", 0) == 0 || n.rfind("A_", 0) == 0) && split(n.substr(2), &region, &item)) {
        if (n[0] == 'Y') {
          out.industry_of_sector[n] = {region, item};
          out.production_sectors.push_back(n);
        } else {
          out.industry_of_sector[n] = {region, "armington:" + item};
        }
      } else {
        return Status::Invalid("sector '" + n +
                               "' is not one of the standard multi-region model (Y_<region>_<sector>, "
                               "A_<region>_<good>, W_<region>, T)");
      }
    } else if (v.kind == VariableKind::kConsumer) {
      const std::string& n = v.name;
      if (n.rfind("HH_", 0) != 0 ||
          std::find(out.regions.begin(), out.regions.end(), n.substr(3)) == out.regions.end()) {
        return Status::Invalid("consumer '" + n + "' is not a regional household HH_<region> of the model");
      }
      out.region_of_consumer[n] = n.substr(3);
    }
  }
  *labels = std::move(out);
  return Status::Ok();
}

Status MultiRegionEmissionFactors(const Model& model, const MultiRegionLabels& labels, const EmissionFactors& factors,
                                  const GridIntensities& grid, const MultiRegionAccountsOptions& options,
                                  std::vector<MultiRegionFactor>* result) {
  if (options.value_unit.empty()) return Status::Invalid("the value unit must not be empty");
  std::map<std::string, double> bench;
  Status s = BenchmarkOutputs(model, &bench);
  if (!s.ok()) return s;
  for (const auto& [key, phys] : options.physical_output) {
    if (!std::isfinite(phys.first) || phys.first <= 0 || phys.second.empty())
      return Status::Invalid("the benchmark physical output of " + key.second + " in " + key.first +
                             " must be positive and have a unit");
  }
  std::vector<MultiRegionFactor> out;
  for (const std::string& sector : labels.production_sectors) {
    MultiRegionFactor f;
    f.sector = sector;
    const Industry& ind = labels.industry_of_sector.at(sector);
    f.region = ind.region;
    f.data_sector = ind.sector;
    s = factors.Evaluate(ind.region, ind.sector, options.year, grid, &f.factor);
    if (!s.ok()) return Status(s.code(), s.cause() + " (activity " + sector + ")", s.where());
    f.benchmark_output = bench.count(sector) ? bench.at(sector) : 0.0;
    const std::string& unit = f.factor.activity_unit;
    auto phys = options.physical_output.find({ind.region, ind.sector});
    if (unit == options.value_unit) {
      f.activity_per_level = f.benchmark_output;
    } else if (unit == "activity") {
      f.activity_per_level = 1.0;
    } else if (phys != options.physical_output.end() && phys->second.second == unit) {
      f.activity_per_level = phys->second.first;
    } else {
      return Status::Invalid("the emission factor of '" + ind.sector + "' in " + ind.region + " is per '" + unit +
                                 "', which is neither the model's value unit '" + options.value_unit +
                                 "', 'activity', nor the unit of a benchmark physical output given for it",
                             f.factor.where);
    }
    f.per_level.process = f.factor.process * f.activity_per_level;
    f.per_level.fuel = f.factor.fuel * f.activity_per_level;
    f.per_level.electricity = f.factor.electricity() * f.activity_per_level;
    out.push_back(std::move(f));
  }
  *result = std::move(out);
  return Status::Ok();
}

Status ComputeMultiRegionAccounts(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                  const EmissionFactors& factors, const GridIntensities& grid,
                                  const MultiRegionAccountsOptions& options, EquilibriumAccounts* accounts,
                                  std::vector<MultiRegionFactor>* factors_used) {
  MultiRegionLabels labels;
  Status s = LabelMultiRegionModel(model, &labels, &options.extra_industries);
  if (!s.ok()) return s;
  std::vector<MultiRegionFactor> used;
  s = MultiRegionEmissionFactors(model, labels, factors, grid, options, &used);
  if (!s.ok()) return s;
  EquilibriumTableOptions o;
  o.industry_of_sector = labels.industry_of_sector;
  o.region_of_consumer = labels.region_of_consumer;
  o.final_demand_sectors = labels.final_demand_sectors;
  for (const MultiRegionFactor& f : used) o.factors[f.sector] = f.per_level;
  for (const std::string& sector : labels.production_sectors) {
    const Industry& ind = labels.industry_of_sector.at(sector);
    if (auto it = options.physical_output.find({ind.region, ind.sector}); it != options.physical_output.end())
      o.physical_per_activity[sector] = it->second;
  }
  o.stages = options.stages;
  o.balance_tolerance = options.balance_tolerance;
  s = ComputeEquilibriumAccounts(model, scenario, values, o, accounts);
  if (!s.ok()) return s;
  if (factors_used) *factors_used = std::move(used);
  return Status::Ok();
}

}  // namespace lccge::lca

#include "lccge/model/multi_region.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace lccge::model {

namespace {

std::string Sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return out;
}

// prefix_a[_b[_c]] from names already sanitized (see Name), written into a string sized once.
std::string Join(std::string_view prefix, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  std::string out(prefix.size() + 1 + a.size() + (b.empty() ? 0 : 1 + b.size()) + (c.empty() ? 0 : 1 + c.size()), '_');
  char* p = out.data();
  for (std::string_view piece : {prefix, a, b, c}) {
    if (piece.empty()) continue;
    std::memcpy(p, piece.data(), piece.size());
    p += piece.size() + 1;  // past the '_' already there
  }
  return out;
}

// Appends a flow to `flows` (constructed in place: models hold a million of them) and returns it.
Flow& AddFlow(std::vector<Flow>& flows, const std::string& commodity, double quantity, std::string_view nest = {}) {
  Flow& f = flows.emplace_back();
  f.commodity = commodity;
  f.quantity = quantity;
  if (!nest.empty()) f.nest.assign(nest.data(), nest.size());
  return f;
}

// Values below this (relative to the region's total output) are treated as absent flows.
constexpr double kTiny = 0.0;

bool HasImports(const data::Dataset& d, int r, int g) {
  for (int e = 0; e < d.num_regions(); ++e)
    if (d.trade[static_cast<size_t>(g)](e, r) + d.margins[static_cast<size_t>(g)](e, r) > kTiny) return true;
  return false;
}

// The tariff rate of a route with benchmark rate t0: t0 * tariff_scale + tariff_add.
// Routes with the same benchmark rate share one expression (copies share the parsed program): tariff schedules
// repeat a few thousand distinct rates over a million GTAP routes, and free-trade routes all have rate 0.
class TariffRates {
 public:
  const Expression& Get(double t0) {
    auto [it, added] = cache_.try_emplace(t0);
    if (added) it->second = Expression::Linear(0.0, {{t0, "tariff_scale"}, {1.0, "tariff_add"}});
    return it->second;
  }

 private:
  std::unordered_map<double, Expression> cache_;
};

// "good is listed" for the shock options' name lists ("*" = every name).
bool Listed(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& n : names)
    if (n == "*" || n == name) return true;
  return false;
}

// xbar x (product of the named multipliers) / divisor, or the constant xbar when no name is given. Only models built
// with shock parameters take this path (a few hundred flows), so the text is parsed.
Expression Scaled(double xbar, std::initializer_list<const std::string*> multipliers, const std::string* divisor) {
  std::string text;
  for (const std::string* m : multipliers)
    if (m != nullptr && !m->empty()) text += "*" + *m;
  if (divisor != nullptr && !divisor->empty()) text += "/" + *divisor;
  if (text.empty()) return Expression(xbar);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), xbar);
  return Expression::FromText(std::string(buf, res.ptr) + text);
}

}  // namespace

bool MultiRegionOptions::IsValid(std::string* error) const {
  for (const auto& [account, e] : shock_parameters.resource_supply_elasticity) {
    if (!(e >= 0) || !std::isfinite(e)) {
      if (error) *error = "resource_supply_elasticity of '" + account + "' must be a number >= 0";
      return false;
    }
  }
  if (current_account != "fixed") {
    if (error) *error = "current_account must be 'fixed'";
    return false;
  }
  return true;
}

std::string Name(const std::string& prefix, const std::string& a, const std::string& b) {
  std::string out = prefix + "_" + Sanitize(a);
  if (!b.empty()) out += "_" + Sanitize(b);
  return out;
}

std::string TariffParameter(const std::string& good, const std::string& exporter, const std::string& importer) {
  return Join("tm", Sanitize(good), Sanitize(exporter), Sanitize(importer));
}
std::string EndowmentParameter(const std::string& region, const std::string& factor, const std::string& sector) {
  return Join("qe", Sanitize(region), Sanitize(factor), sector.empty() ? std::string() : Sanitize(sector));
}
std::string ProductivityParameter(const std::string& region, const std::string& sector) {
  return Join("ao", Sanitize(region), Sanitize(sector));
}
std::string DemandParameter(const std::string& region, const std::string& good) {
  return Join("dm", Sanitize(region), Sanitize(good));
}
std::string InputParameter(const std::string& region, const std::string& good, const std::string& sector) {
  return Join("ai", Sanitize(region), Sanitize(good), Sanitize(sector));
}

Status BuildMultiRegionModel(const data::Dataset& d, const MultiRegionOptions& options, Model* out) {
  Model m;
  Status s = AssembleMultiRegionModel(d, options, &m);
  if (!s.ok()) return s;
  // The benchmark is balanced by construction from data that passed CheckDataset: no benchmark checks (they would add
  // about 5 % to the build; MultiRegion.SyntheticBenchmarksReplicateAtIterationZero runs them on built models). A
  // model assembled and extended elsewhere (the battery chain's) is checked as any other.
  m.SetBenchmarkCheck(false);
  s = m.Finalize();
  if (!s.ok()) return s;
  *out = std::move(m);
  return Status::Ok();
}

Status AssembleMultiRegionModel(const data::Dataset& d, const MultiRegionOptions& options, Model* out) {
  using data::AccountClass;
  using data::Elasticity;
  std::string error;
  if (!options.IsValid(&error)) return Status::Invalid("multi-region options: " + error);
  const int R = d.num_regions(), S = d.num_sectors();
  if (R == 0 || S == 0) return Status::Invalid("the dataset has no regions or no sectors");
  int r0 = 0;
  if (!options.numeraire_region.empty()) {
    r0 = d.RegionIndex(options.numeraire_region);
    if (r0 < 0) return Status::Invalid("unknown numeraire region '" + options.numeraire_region + "'");
  }
  const int hh = d.FirstAccount(AccountClass::kHousehold);
  const int inv = d.FirstAccount(AccountClass::kInvestment);
  const int world = d.FirstAccount(AccountClass::kWorld);
  const int gov = d.FirstAccount(AccountClass::kGovernment);
  if (hh < 0 || inv < 0 || world < 0)
    return Status::Invalid("the account scheme needs household, investment and world accounts");
  // Mobile factors (labour accounts, then capital), resources and production taxes, in the scheme's order.
  std::vector<int> mobile, resources, ptaxes;
  for (std::vector<int>* v : {&mobile, &resources, &ptaxes}) v->reserve(d.accounts.size());
  for (AccountClass c :
       {AccountClass::kLabour, AccountClass::kCapital, AccountClass::kResource, AccountClass::kProductionTax}) {
    std::vector<int>& out = c == AccountClass::kResource        ? resources
                            : c == AccountClass::kProductionTax ? ptaxes
                                                                : mobile;
    for (size_t k = 0; k < d.accounts.size(); ++k)
      if (d.accounts[k].account_class == c) out.push_back(static_cast<int>(k));
  }
  // Sanitized names, formed once (Name() would sanitize on every call).
  std::vector<std::string> rid(static_cast<size_t>(R)), sid(static_cast<size_t>(S)), kid(d.accounts.size());
  for (int r = 0; r < R; ++r) rid[static_cast<size_t>(r)] = Sanitize(d.regions[static_cast<size_t>(r)]);
  for (int s = 0; s < S; ++s) sid[static_cast<size_t>(s)] = Sanitize(d.sectors[static_cast<size_t>(s)].name);
  for (size_t k = 0; k < d.accounts.size(); ++k) kid[k] = Sanitize(d.accounts[k].name);
  // The commodity of resource k used by sector s (one per resource and sector).
  auto resource_good = [&](int r, int k, int s) {
    return Join("PR", rid[static_cast<size_t>(r)], kid[static_cast<size_t>(k)], sid[static_cast<size_t>(s)]);
  };
  auto region_id = [&](int r) -> const std::string& { return rid[static_cast<size_t>(r)]; };
  auto sector_id = [&](int s) -> const std::string& { return sid[static_cast<size_t>(s)]; };
  auto account_id = [&](int k) -> const std::string& { return kid[static_cast<size_t>(k)]; };
  auto account_name = [&](int k) -> const std::string& { return d.accounts[static_cast<size_t>(k)].name; };

  Model m("multi_region");
  m.SetTitle("Standard multi-region model, " + std::to_string(R) + " regions x " + std::to_string(S) + " sectors");
  m.AddParameter("tariff_scale", 1.0);
  m.AddParameter("tariff_add", 0.0);
  m.AddParameter("ptax_scale", 1.0);
  // Shock parameters (options.shock_parameters), added where a flow first uses them.
  const ShockParameterOptions& shocks = options.shock_parameters;
  std::unordered_set<std::string> shock_names;
  auto shock_param = [&](std::string name, double value) {
    if (shock_names.insert(name).second) m.AddParameter(name, value);
    return name;
  };

  auto cet = [&](int r, int s) { return std::isfinite(d.ElasticityOf(Elasticity::kEtrn, r, s)); };
  // Names used on every trade route are formed once: a GTAP-size model has a million route flows.
  const auto at = [S](int r, int s) {
    return static_cast<size_t>(r) * static_cast<size_t>(S) + static_cast<size_t>(s);
  };
  // Names that are used as variables and again in blocks, formed once, with the Armington supply of each region and
  // good (a sum over trading partners, used several times below).
  struct SectorNames {
    std::string dom, exp;          // PD and PE of a CET sector; PY (both) otherwise
    std::string armington;         // PA
    std::string activity;          // Y
    std::string armington_sector;  // A
    double armington_supply = 0;
  };
  struct RegionNames {
    std::string household, welfare, utility, route;  // HH, W, PU and the import nest "from_r"
  };
  std::vector<SectorNames> by_sector(static_cast<size_t>(R) * static_cast<size_t>(S));
  std::vector<RegionNames> by_region(static_cast<size_t>(R));
  std::vector<std::string> factor_names(static_cast<size_t>(R) * mobile.size());  // PF by region and mobile factor
  for (int r = 0; r < R; ++r) {
    RegionNames& rn = by_region[static_cast<size_t>(r)];
    rn.household = Join("HH", region_id(r));
    rn.welfare = Join("W", region_id(r));
    rn.utility = Join("PU", region_id(r));
    rn.route = "from_" + region_id(r);
    for (size_t k = 0; k < mobile.size(); ++k)
      factor_names[static_cast<size_t>(r) * mobile.size() + k] = Join("PF", region_id(r), account_id(mobile[k]));
    for (int s = 0; s < S; ++s) {
      SectorNames& sn = by_sector[at(r, s)];
      const bool split = cet(r, s);
      sn.dom = Join(split ? "PD" : "PY", region_id(r), sector_id(s));
      sn.exp = split ? Join("PE", region_id(r), sector_id(s)) : sn.dom;
      sn.armington = Join("PA", region_id(r), sector_id(s));
      sn.activity = Join("Y", region_id(r), sector_id(s));
      sn.armington_sector = Join("A", region_id(r), sector_id(s));
      sn.armington_supply = d.ArmingtonSupply(r, s);
    }
  }
  // The price of mobile factor mobile[k] in region r.
  auto factor_good = [&](int r, size_t k) -> const std::string& {
    return factor_names[static_cast<size_t>(r) * mobile.size() + k];
  };
  auto dom_good = [&](int r, int s) -> const std::string& { return by_sector[at(r, s)].dom; };
  auto exp_good = [&](int r, int s) -> const std::string& { return by_sector[at(r, s)].exp; };
  auto armington_good = [&](int r, int s) -> const std::string& { return by_sector[at(r, s)].armington; };
  double total_margins = 0;
  for (int s = 0; s < S; ++s) total_margins += d.margins[static_cast<size_t>(s)].sum();

  // ---- variables ----
  // At most: per region and sector Y, PD, PE, A, PA, M, PM and the resource prices; per region the factor prices,
  // W, PU, HH; then T and PT.
  m.ReserveVariables(static_cast<size_t>(R) * (static_cast<size_t>(S) * (7 + resources.size()) + mobile.size() + 3) +
                     2);
  for (int r = 0; r < R; ++r) {
    // Each region's variables form one group: the block preconditioner of "newton-krylov" then solves every
    // region's markets and activities exactly and leaves only trade between regions to GMRES.
    auto add = [&](void (Model::*adder)(const std::string&, SourceLocation), const std::string& name) {
      (m.*adder)(name, SourceLocation());
      m.SetVariableGroup(name, region_id(r));
    };
    for (int s = 0; s < S; ++s) {
      const auto& sec = d.sectors[static_cast<size_t>(s)];
      if (sec.activity >= 0 && d.Output(r, s) > kTiny) {
        add(&Model::AddSector, by_sector[at(r, s)].activity);
        add(&Model::AddCommodity, dom_good(r, s));                 // PD (CET sectors) or PY
        if (cet(r, s)) add(&Model::AddCommodity, exp_good(r, s));  // PE
        for (int k : resources)
          if (d.sam[static_cast<size_t>(r)](k, sec.activity) > kTiny) add(&Model::AddCommodity, resource_good(r, k, s));
      }
      if (by_sector[at(r, s)].armington_supply > kTiny) {
        add(&Model::AddSector, by_sector[at(r, s)].armington_sector);
        add(&Model::AddCommodity, armington_good(r, s));
        if (options.explicit_import_composite && HasImports(d, r, s)) {
          add(&Model::AddSector, Join("M", region_id(r), sector_id(s)));
          add(&Model::AddCommodity, Join("PM", region_id(r), sector_id(s)));
        }
      }
    }
    for (size_t k = 0; k < mobile.size(); ++k) add(&Model::AddCommodity, factor_good(r, k));
    add(&Model::AddSector, by_region[static_cast<size_t>(r)].welfare);
    add(&Model::AddCommodity, by_region[static_cast<size_t>(r)].utility);
    add(&Model::AddConsumer, by_region[static_cast<size_t>(r)].household);
  }
  if (total_margins > kTiny) {
    m.AddSector("T");
    m.AddCommodity("PT");
  }
  const std::string numeraire = Name("PU", d.regions[static_cast<size_t>(r0)]);
  // At most: per region and sector Y, A and M; per region W; then T.
  m.ReserveBlocks(static_cast<size_t>(R) * static_cast<size_t>(S) * (options.explicit_import_composite ? 3 : 2) +
                      static_cast<size_t>(R) + 1,
                  static_cast<size_t>(R));

  // ---- production ----
  for (int r = 0; r < R; ++r) {
    const std::string& household = by_region[static_cast<size_t>(r)].household;
    const Eigen::MatrixXd& sam = d.sam[static_cast<size_t>(r)];
    for (int s = 0; s < S; ++s) {
      const auto& sec = d.sectors[static_cast<size_t>(s)];
      if (sec.activity < 0 || d.Output(r, s) <= kTiny) continue;
      const int a = sec.activity;
      Production p;
      p.sector = by_sector[at(r, s)].activity;
      p.input_elasticity = d.ElasticityOf(Elasticity::kEsubTop, r, s);
      p.inputs.reserve(static_cast<size_t>(S) + mobile.size() + resources.size());
      const std::string& rname = d.regions[static_cast<size_t>(r)];
      const std::string ao = shocks.productivity ? shock_param(ProductivityParameter(rname, sec.name), 1.0) : "";
      const bool input_shocks = Listed(shocks.input_sectors, sec.name);
      // Benchmark quantity of input good g, with its shock parameters when the options ask for them.
      auto input_quantity = [&](int g, double value) -> Expression {
        if (!shocks.any()) return value;
        const std::string& gname = d.sectors[static_cast<size_t>(g)].name;
        const std::string dm =
            Listed(shocks.demand_goods, gname) ? shock_param(DemandParameter(rname, gname), 1.0) : "";
        const std::string ai = input_shocks ? shock_param(InputParameter(rname, gname, sec.name), 1.0) : "";
        return Scaled(value, {&dm, &ai}, &ao);
      };
      // Intermediate inputs: goods directly in "int", then the data's sub-nests (nests.csv) in depth-first order,
      // each with its goods; a sub-nest without any used good (here or below it) is left out.
      const std::vector<const data::InputNest*> sub = d.InputNestsOf(r, s);
      auto used = [&](int g) {
        const int c = d.sectors[static_cast<size_t>(g)].commodity;
        return c >= 0 && sam(c, a) > kTiny;
      };
      std::vector<char> active(sub.size(), 0);
      for (bool changed = true; changed;) {  // bottom-up: a nest is active if a good or a child nest is
        changed = false;
        for (size_t i = 0; i < sub.size(); ++i) {
          if (active[i]) continue;
          bool on = std::any_of(sub[i]->goods.begin(), sub[i]->goods.end(), used);
          for (size_t j = 0; j < sub.size() && !on; ++j) on = active[j] && sub[j]->parent == sub[i]->name;
          if (on) active[i] = changed = true;
        }
      }
      std::vector<int> nest_of_good(static_cast<size_t>(S), -1);
      for (size_t i = 0; i < sub.size(); ++i)
        for (int g : sub[i]->goods) nest_of_good[static_cast<size_t>(g)] = static_cast<int>(i);
      bool any_int = false, any_va = false;
      auto add_goods_of = [&](int nest, const std::string& nest_name) {
        for (int g = 0; g < S; ++g) {
          if (nest_of_good[static_cast<size_t>(g)] != nest || !used(g)) continue;
          const int c = d.sectors[static_cast<size_t>(g)].commodity;
          Flow& f = AddFlow(p.inputs, armington_good(r, g), 0.0, nest_name);
          f.quantity = input_quantity(g, sam(c, a));
          any_int = true;
        }
      };
      add_goods_of(-1, "int");
      std::vector<Nest> int_nests;
      // Depth-first pre-order from "int" (each nest's goods right after it), as Finalize's fast path expects.
      // Depth is bounded by the number of nests, so a cycle given in memory cannot recurse forever.
      auto visit = [&](auto&& self, const std::string& parent, size_t depth) -> void {
        if (depth > sub.size()) return;
        for (size_t i = 0; i < sub.size(); ++i) {
          if (!active[i] || sub[i]->parent != parent) continue;
          int_nests.push_back({sub[i]->name, sub[i]->parent, sub[i]->elasticity, sub[i]->where});
          add_goods_of(static_cast<int>(i), sub[i]->name);
          self(self, sub[i]->name, depth + 1);
        }
      };
      visit(visit, "int", 0);
      for (size_t k = 0; k < mobile.size(); ++k) {
        if (sam(mobile[k], a) > kTiny) {
          Flow& f = AddFlow(p.inputs, factor_good(r, k), sam(mobile[k], a), "va");
          if (!ao.empty()) f.quantity = Scaled(sam(mobile[k], a), {}, &ao);
          any_va = true;
        }
      }
      for (int k : resources) {
        if (sam(k, a) > kTiny) {
          Flow& f = AddFlow(p.inputs, resource_good(r, k, s), sam(k, a), "va");
          if (!ao.empty()) f.quantity = Scaled(sam(k, a), {}, &ao);
          any_va = true;
        }
      }
      p.input_nests.reserve(2 + int_nests.size());
      if (any_int) p.input_nests.push_back({"int", "top", d.ElasticityOf(Elasticity::kEsubInt, r, s), {}});
      for (Nest& n : int_nests) p.input_nests.push_back(std::move(n));
      if (any_va) p.input_nests.push_back({"va", "top", d.ElasticityOf(Elasticity::kEsubVa, r, s), {}});
      // Output tax in MPSGE form: the producer receives P (1 - t) with t = tax / output at market prices; the
      // data's rate on basic prices is ptax = tax / (output - tax), so t = ptax / (1 + ptax).
      double tax = 0;
      for (int k : ptaxes) tax += sam(k, a);
      const double output = d.Output(r, s);
      const double t0 = tax / output;
      const double basic_rate = tax / (output - tax);
      Expression output_tax;  // one expression for both outputs of a CET sector
      if (tax != 0.0)
        output_tax = Expression::Ratio(0.0, {{basic_rate, "ptax_scale"}}, 1.0, {{basic_rate, "ptax_scale"}});
      auto add_output = [&](const std::string& good, double quantity) {
        if (quantity <= kTiny) return;
        Flow& f = AddFlow(p.outputs, good, quantity);
        if (tax != 0.0) {
          f.reference_price = 1.0 - t0;
          Tax& t = f.taxes.emplace_back();
          t.agent = household;
          t.rate = output_tax;
        }
      };
      if (cet(r, s)) {
        p.outputs.reserve(2);
        p.output_elasticity = d.ElasticityOf(Elasticity::kEtrn, r, s);
        add_output(dom_good(r, s), d.DomesticSales(r, s));
        add_output(exp_good(r, s), d.Exports(r, s) + d.MarginSupply(r, s));
      } else {
        add_output(dom_good(r, s), output);
      }
      m.AddProduction(std::move(p));
    }
  }

  // ---- Armington aggregation ----
  TariffRates tariff_rates;
  // A_r_g combines domestic sales and the import composite (esub_dm); the composite combines the routes (esub_mm).
  // With options.explicit_import_composite the composite is its own activity M_r_g with price PM_r_g (the same
  // equilibrium, since CES nests are constant returns; docs/multi-region.md, "Import composite").
  for (int r = 0; r < R; ++r) {
    const std::string& household = by_region[static_cast<size_t>(r)].household;
    for (int g = 0; g < S; ++g) {
      const auto& sec = d.sectors[static_cast<size_t>(g)];
      if (by_sector[at(r, g)].armington_supply <= kTiny) continue;
      const double esub_mm = d.ElasticityOf(Elasticity::kEsubMm, r, g);
      Production p;
      p.sector = by_sector[at(r, g)].armington_sector;
      p.input_elasticity = d.ElasticityOf(Elasticity::kEsubDm, r, g);
      AddFlow(p.outputs, armington_good(r, g), by_sector[at(r, g)].armington_supply);
      const bool imported = HasImports(d, r, g);
      const bool composite = imported && options.explicit_import_composite;
      p.inputs.reserve(imported && !composite ? 1 + 2 * static_cast<size_t>(R) : 2);
      if (sec.activity >= 0 && d.DomesticSales(r, g) > kTiny) AddFlow(p.inputs, dom_good(r, g), d.DomesticSales(r, g));
      if (!imported) {
        m.AddProduction(std::move(p));
        continue;
      }
      Production mp;
      Production& importer = composite ? mp : p;
      if (composite) importer.inputs.reserve(2 * static_cast<size_t>(R));
      importer.input_nests.reserve(static_cast<size_t>(R) + 1);
      if (composite) {
        mp.sector = Join("M", region_id(r), sector_id(g));
        mp.input_elasticity = esub_mm;
      }
      const std::string imports_nest = composite ? "" : "imports";
      double imports_value = 0;
      for (int e = 0; e < R; ++e) {
        const double fob = d.trade[static_cast<size_t>(g)](e, r);
        const double margin = d.margins[static_cast<size_t>(g)](e, r);
        if (fob + margin <= kTiny) continue;
        const double t0 = d.tariffs[static_cast<size_t>(g)](e, r);
        const std::string& route = by_region[static_cast<size_t>(e)].route;
        importer.input_nests.push_back({route, composite ? "top" : imports_nest, 0.0, {}});
        // One tariff-rate expression per route, shared by its fob and margin flows; with a route parameter when the
        // options ask for one.
        Expression route_rate;
        if (Listed(shocks.tariff_goods, sec.name)) {
          const std::string tm = shock_param(
              TariffParameter(sec.name, d.regions[static_cast<size_t>(e)], d.regions[static_cast<size_t>(r)]), 0.0);
          route_rate = Expression::Linear(0.0, {{t0, "tariff_scale"}, {1.0, "tariff_add"}, {1.0, tm}});
        }
        const Expression& rate = route_rate.is_constant() ? tariff_rates.Get(t0) : route_rate;
        auto leaf = [&](const std::string& good, double quantity) {
          Flow& f = AddFlow(importer.inputs, good, quantity, route);
          f.reference_price = 1.0 + t0;
          Tax& t = f.taxes.emplace_back();
          t.agent = household;
          t.rate = rate;
          imports_value += quantity * (1.0 + t0);
        };
        if (fob > kTiny) leaf(exp_good(e, g), fob);
        if (margin > kTiny) leaf("PT", margin);
      }
      if (composite) {
        AddFlow(mp.outputs, Join("PM", region_id(r), sector_id(g)), imports_value);
        AddFlow(p.inputs, Join("PM", region_id(r), sector_id(g)), imports_value);
        m.AddProduction(std::move(mp));
      } else {
        p.input_nests.insert(p.input_nests.begin(), {"imports", "top", esub_mm, {}});
      }
      m.AddProduction(std::move(p));
    }
  }

  // ---- global transport ----
  if (total_margins > kTiny) {
    Production p;
    p.sector = "T";
    p.input_elasticity = 1.0;
    AddFlow(p.outputs, "PT", total_margins);
    for (int r = 0; r < R; ++r)
      for (int s = 0; s < S; ++s)
        if (d.MarginSupply(r, s) > kTiny) AddFlow(p.inputs, exp_good(r, s), d.MarginSupply(r, s));
    m.AddProduction(std::move(p));
  }

  // ---- final demand and households ----
  for (int r = 0; r < R; ++r) {
    const std::string& rn = d.regions[static_cast<size_t>(r)];
    const Eigen::MatrixXd& sam = d.sam[static_cast<size_t>(r)];
    Production w;
    w.sector = by_region[static_cast<size_t>(r)].welfare;
    w.input_elasticity = 0.0;
    w.inputs.reserve(3 * static_cast<size_t>(S));
    w.input_nests.reserve(3);
    double expenditure = 0;
    struct Use {
      int account;
      const char* nest;
      double elasticity;
    };
    const std::array<Use, 3> uses = {{{hh, "consumption", d.ElasticityOf(Elasticity::kEsubFd, r, 0)},
                                      {gov, "government", 1.0},
                                      {inv, "investment", 0.0}}};
    for (const Use& u : uses) {
      if (u.account < 0) continue;
      bool any = false;
      for (int g = 0; g < S; ++g) {
        const int c = d.sectors[static_cast<size_t>(g)].commodity;
        if (c < 0 || sam(c, u.account) <= kTiny) continue;
        Flow& f = AddFlow(w.inputs, armington_good(r, g), sam(c, u.account), u.nest);
        const std::string& gname = d.sectors[static_cast<size_t>(g)].name;
        if (Listed(shocks.demand_goods, gname)) {
          const std::string dm = shock_param(DemandParameter(rn, gname), 1.0);
          f.quantity = Scaled(sam(c, u.account), {&dm}, nullptr);
        }
        expenditure += sam(c, u.account);
        any = true;
      }
      if (any) w.input_nests.push_back({u.nest, "top", u.elasticity, {}});
    }
    if (expenditure <= 0) return Status::Invalid("region '" + rn + "' has no final demand");
    AddFlow(w.outputs, by_region[static_cast<size_t>(r)].utility, expenditure);
    m.AddProduction(std::move(w));

    Demand h;
    h.consumer = by_region[static_cast<size_t>(r)].household;
    h.endowments.reserve(mobile.size() + resources.size() * static_cast<size_t>(S) + 1);
    AddFlow(h.final_demands, by_region[static_cast<size_t>(r)].utility, expenditure);
    for (size_t k = 0; k < mobile.size(); ++k) {
      double endowment = 0;
      for (int s = 0; s < S; ++s)
        if (d.sectors[static_cast<size_t>(s)].activity >= 0 && d.Output(r, s) > kTiny)
          endowment += sam(mobile[k], d.sectors[static_cast<size_t>(s)].activity);
      if (endowment <= kTiny) continue;
      Expression quantity = endowment;
      if (shocks.endowments)
        quantity =
            Expression::Linear(0.0, {{endowment, shock_param(EndowmentParameter(rn, account_name(mobile[k])), 1.0)}});
      h.endowments.push_back({factor_good(r, k), std::move(quantity), {}});
    }
    for (int s = 0; s < S; ++s) {
      const auto& sec = d.sectors[static_cast<size_t>(s)];
      if (sec.activity < 0 || d.Output(r, s) <= kTiny) continue;
      for (int k : resources) {
        const double endowment = sam(k, sec.activity);
        if (endowment <= kTiny) continue;
        Expression quantity = endowment;
        if (shocks.endowments) {
          const std::string qe = shock_param(EndowmentParameter(rn, account_name(k), sec.name), 1.0);
          auto eta = shocks.resource_supply_elasticity.find(account_name(k));
          if (eta != shocks.resource_supply_elasticity.end() && eta->second != 0.0) {
            char buf[64];
            auto res = std::to_chars(buf, buf + sizeof(buf), eta->second);
            quantity =
                Expression::FromText(Scaled(endowment, {&qe}, nullptr).text() + "*(" + resource_good(r, k, s) + "/" +
                                     by_region[static_cast<size_t>(r)].utility + ")^" + std::string(buf, res.ptr));
          } else {
            quantity = Expression::Linear(0.0, {{endowment, qe}});
          }
        }
        h.endowments.push_back({resource_good(r, k, s), std::move(quantity), {}});
      }
    }
    const double foreign_savings = sam(inv, world);
    if (foreign_savings != 0.0) h.endowments.push_back({numeraire, foreign_savings, {}});
    m.AddDemand(std::move(h));
  }

  if (options.add_scenarios) {
    Scenario bench;
    bench.name = "benchmark";
    bench.fixed[numeraire] = 1.0;
    Scenario removal = bench;
    removal.name = "tariff_removal";
    removal.parameters["tariff_scale"] = 0.0;
    Scenario ten = bench;
    ten.name = "tariff_10";
    ten.parameters["tariff_add"] = 0.1;
    m.AddScenario(std::move(bench));
    m.AddScenario(std::move(removal));
    m.AddScenario(std::move(ten));
  }
  *out = std::move(m);
  return Status::Ok();
}

}  // namespace lccge::model

#!/usr/bin/env python3
"""Builds the bundled battery-chain data folder (data/battery/) from the sourced tables in data/battery/sources/.

Every number that enters the data comes from a row of a source table (with its label and source) or from a
transformation written here; docs/battery-data.md describes both. The script
  1. derives the physical chain of 2023 (cells -> cathode and graphite -> battery-grade chemicals -> mining, plus
     recycling) from cell production, the chemistry mix and BatPaC material intensities;
  2. splits production by region, allocates trade (pool rule), and values every flow at 2023 prices;
  3. calibrates four parameters to the paper's base-year stage shares (docs/battery-data.md, "Calibration"):
     the average CAM price and a multiplier on mining's purchases from the rest of the economy (value shares), and
     multipliers on the process and fuel emission factors of the Mining and Cathode stages (emission shares);
  4. writes an approximately balanced SAM (the rest of the economy from independent macro targets) and the
     battery files; `lccge balance` then balances it with the data layer's own balancing (cross-entropy), keeping
     every cell of the chain's accounts fixed.

Usage: python3 scripts/battery/generate.py [--lccge build/lccge] [--out data/battery]
Standard library only. Deterministic: the same sources give the same bytes.
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _regions():
    """The regions, in the order of their 'name' rows in sources/regions.csv: adding, removing or merging a region is
    an edit of the source tables (its name, macro rows and production shares), not of this script."""
    path = os.path.join(ROOT, "data", "battery", "sources", "regions.csv")
    with open(path, newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#") and line.strip())
        return [r["region"] for r in rows if r["item"] == "name"]


REGIONS = _regions()
MINING = ["li_mine", "ni_mine", "co_mine", "gr_mine", "mn_mine"]
CHEMICALS = ["li_chem", "ni_chem", "co_chem", "mn_chem"]
CHAIN = MINING + CHEMICALS + ["graphite", "cathode", "cell", "recycling"]
SECTORS = CHAIN + ["elec", "rest"]
METALS = ["li", "ni", "co", "mn"]  # the cathode metals; graphite is handled apart
CHEMISTRIES = ["LFP", "NMC811", "NCA", "NMC622", "NMC532"]

STAGE = {s: "Mining" for s in MINING}
STAGE.update({s: "Cathode" for s in CHEMICALS})
STAGE.update({"cathode": "Cathode", "graphite": "Refining", "cell": "Cell", "recycling": "Recycling"})

DESCRIPTION = {
    "li_mine": "lithium: spodumene and lepidolite concentrate, brine",
    "ni_mine": "nickel: ore and smelting or leaching to intermediates (NPI, matte, MHP)",
    "co_mine": "cobalt: Cu-Co ore to cobalt hydroxide",
    "gr_mine": "natural graphite concentrate",
    "mn_mine": "manganese ore",
    "li_chem": "battery-grade lithium carbonate and hydroxide",
    "ni_chem": "battery-grade nickel sulphate",
    "co_chem": "battery-grade cobalt sulphate",
    "mn_chem": "battery-grade manganese sulphate",
    "graphite": "battery-grade graphite (anode active material: purified spherical natural and synthetic)",
    "cathode": "precursor (pCAM) and cathode active material (CAM)",
    "cell": "cell manufacturing (electrodes, assembly, formation)",
    "recycling": "collection, pre-treatment and hydrometallurgical recovery: secondary battery-grade material",
    "elec": "electricity",
    "rest": "the rest of the economy (one composite)",
}
UNIT = {s: "t" for s in MINING + CHEMICALS + ["graphite", "cathode", "recycling"]}
UNIT.update({"cell": "GWh", "elec": "GWh"})
UNIT_NOTE = {
    "li_mine": "t Li contained", "ni_mine": "t Ni contained", "co_mine": "t Co contained", "gr_mine": "t graphite",
    "mn_mine": "t Mn contained", "li_chem": "t Li contained", "ni_chem": "t Ni contained",
    "co_chem": "t Co contained", "mn_chem": "t Mn contained", "graphite": "t graphite", "cathode": "t CAM",
    "cell": "GWh", "recycling": "t Li+Ni+Co+Mn contained", "elec": "GWh", "rest": "",
}
MUSD = 1e6  # values are in million USD


def read_rows(name):
    path = os.path.join(ROOT, "data", "battery", "sources", name)
    with open(path, newline="") as f:
        lines = [line for line in f if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines))


def num(text):
    return float(text)


class Sources:
    def __init__(self):
        self.region_rows = read_rows("regions.csv")
        self.chain_rows = read_rows("chain.csv")
        self.share_rows = read_rows("shares.csv")
        self.factor_rows = read_rows("factors.csv")
        self.tariff_rows = read_rows("tariffs.csv")
        self.elasticity_rows = read_rows("elasticities.csv")
        self.nest_rows = read_rows("nests.csv")
        self.dynamics_rows = read_rows("dynamics.csv")
        self.parameter_rows = read_rows("parameters.csv")
        self.chain = {r["item"]: r["value"] for r in self.chain_rows}

    def c(self, item):
        return num(self.chain[item])

    def region_item(self, region, item, default=None):
        """The region's own row, else the '*' row, else `default`."""
        own = [r for r in self.region_rows if r["region"] == region and r["item"] == item]
        if own:
            return own[0]["value"]
        star = [r for r in self.region_rows if r["region"] == "*" and r["item"] == item]
        if star:
            return star[0]["value"]
        if default is None:
            raise KeyError(f"regions.csv: no {item} for {region}")
        return default

    def rnum(self, region, item, default=None):
        return num(self.region_item(region, item, None if default is None else str(default)))

    def shares(self, sector):
        rows = [r for r in self.share_rows if r["sector"] == sector]
        total = sum(num(r["value"]) for r in rows)
        out = {r: 0.0 for r in REGIONS}
        for r in rows:
            out[r["region"]] = num(r["value"]) / total
        return out


# ---------------------------------------------------------------------------------------------------------------
# 1. The physical chain
# ---------------------------------------------------------------------------------------------------------------

def chemistry_mix(src):
    mix = {k: src.c("mix_" + k) for k in CHEMISTRIES}
    total = sum(mix.values())
    return {k: v / total for k, v in mix.items()}


def per_gwh(src):
    """Mix-average material intensities, t per GWh (= kg per kWh x 1000)."""
    mix = chemistry_mix(src)
    out = {}
    for m in METALS + ["gr"]:
        out[m] = 1000 * sum(mix[k] * src.c(f"{m}_{k}") for k in CHEMISTRIES)
    out["cam"] = 1000 * sum(mix[k] * src.c(f"li_{k}") / src.c(f"li_fraction_{k}") for k in CHEMISTRIES)
    return out


class Chain:
    """Physical production and use of every chain good by region (t, GWh)."""

    def __init__(self, src):
        self.src = src
        self.int = per_gwh(src)
        self.metal_per_gwh = sum(self.int[m] for m in METALS)
        prod = {s: {r: 0.0 for r in REGIONS} for s in SECTORS}
        use = {g: {s: {r: 0.0 for r in REGIONS} for s in SECTORS} for g in SECTORS}
        cells = {r: src.rnum(r, "cell_production", 0) for r in REGIONS}
        world_cells = sum(cells.values())
        cell_use = {r: src.rnum(r, "cell_use", 0) for r in REGIONS}
        if abs(sum(cell_use.values()) - world_cells) > 1e-9:
            raise SystemExit(f"cell use {sum(cell_use.values())} != cell production {world_cells}")
        for r in REGIONS:
            prod["cell"][r] = cells[r]
            use["cell"]["rest"][r] = cell_use[r]
        # Cathode: regional shares of world CAM output; use by the cell makers.
        world_cam = world_cells * self.int["cam"]
        for r, sh in src.shares("cathode").items():
            prod["cathode"][r] = sh * world_cam
        for r in REGIONS:
            use["cathode"]["cell"][r] = cells[r] * self.int["cam"]
        # Secondary material: a uniform share of the cathode makers' metal supply.
        recycled = src.c("recycled_metal")
        self.secondary_share = recycled / (world_cells * self.metal_per_gwh)
        for r, sh in src.shares("recycling").items():
            prod["recycling"][r] = sh * recycled
        metal_per_cam = {m: self.int[m] / self.int["cam"] for m in METALS}
        for r in REGIONS:
            use["recycling"]["cathode"][r] = prod["cathode"][r] * sum(metal_per_cam.values()) * self.secondary_share
            for m in METALS:
                use[f"{m}_chem"]["cathode"][r] = prod["cathode"][r] * metal_per_cam[m] * (1 - self.secondary_share)
        # Battery-grade chemicals and the mines behind them (1 t contained in, 1 t out).
        for m in METALS:
            world = sum(use[f"{m}_chem"]["cathode"].values())
            for r, sh in src.shares(f"{m}_chem").items():
                prod[f"{m}_chem"][r] = sh * world
            for r, sh in src.shares(f"{m}_mine").items():
                prod[f"{m}_mine"][r] = sh * world
            for r in REGIONS:
                use[f"{m}_mine"][f"{m}_chem"][r] = prod[f"{m}_chem"][r]
        # Anode graphite: natural flake for a share of it.
        world_graphite = world_cells * self.int["gr"]
        natural = src.c("natural_graphite_share")
        for r, sh in src.shares("graphite").items():
            prod["graphite"][r] = sh * world_graphite
        for r, sh in src.shares("gr_mine").items():
            prod["gr_mine"][r] = sh * world_graphite * natural
        for r in REGIONS:
            use["graphite"]["cell"][r] = cells[r] * self.int["gr"]
            use["gr_mine"]["graphite"][r] = prod["graphite"][r] * natural
        self.prod, self.use = prod, use
        self.world_cells = world_cells

    def total_use(self, g, r):
        return sum(self.use[g][s][r] for s in SECTORS)


def allocate_trade(prod, use):
    """Pool rule: a region first supplies its own use; the rest of its output is exported, and each importer buys
    from the exporters in proportion to their exports. Returns (domestic[r], flows[(e, m)])."""
    domestic = {r: min(prod[r], use[r]) for r in REGIONS}
    exports = {r: prod[r] - domestic[r] for r in REGIONS}
    imports = {r: use[r] - domestic[r] for r in REGIONS}
    total_x, total_m = sum(exports.values()), sum(imports.values())
    if abs(total_x - total_m) > 1e-6 * max(1.0, total_x):
        raise SystemExit(f"trade pool does not balance: exports {total_x} imports {total_m}")
    flows = {}
    for e in REGIONS:
        for m in REGIONS:
            if exports[e] > 0 and imports[m] > 0:
                flows[(e, m)] = exports[e] * imports[m] / total_m
    return domestic, flows


# ---------------------------------------------------------------------------------------------------------------
# 2. Values
# ---------------------------------------------------------------------------------------------------------------

class Economy:
    def __init__(self, src, chain, cam_price, mining_rest_multiplier):
        self.src, self.chain = src, chain
        c = src.c
        self.price = {}  # USD per physical unit, by (sector, region)
        for r in REGIONS:
            for m in METALS:
                self.price[(f"{m}_mine", r)] = c(f"price_{m}_mine")
                self.price[(f"{m}_chem", r)] = c(f"price_{m}_chem")
            self.price[("gr_mine", r)] = c("price_gr_mine")
            self.price[("graphite", r)] = c("price_graphite")
            self.price[("cathode", r)] = cam_price
            self.price[("cell", r)] = src.rnum(r, "cell_price", 100) * 1e6  # USD/kWh -> USD/GWh
        # Secondary material: the payable share of the primary chemicals' value of the same metal mix.
        mix_value = sum(chain.int[m] * c(f"price_{m}_chem") for m in METALS) / chain.metal_per_gwh
        for r in REGIONS:
            self.price[("recycling", r)] = c("secondary_payable") * mix_value
        self.tariff = {}
        for row in src.tariff_rows:
            self.tariff[(row["good"], row["exporter"], row["importer"])] = num(row["rate"])
        # Trade and the Armington composite of every chain good in every region.
        self.domestic, self.flows = {}, {}
        self.supply_value = {}  # (good, region) -> value of domestic sales + imports cif + tariffs (million USD)
        self.supply_qty = {}
        for g in CHAIN:
            prod = chain.prod[g]
            use = {r: chain.total_use(g, r) for r in REGIONS}
            dom, flows = allocate_trade(prod, use)
            self.domestic[g], self.flows[g] = dom, flows
            for m in REGIONS:
                v = dom[m] * self.price[(g, m)]
                for (e, mm), q in flows.items():
                    if mm == m:
                        v += q * self.price[(g, e)] * (1 + self.tariff.get((g, e, m), 0.0))
                self.supply_value[(g, m)] = v / MUSD
                self.supply_qty[(g, m)] = use[m]
        self.mining_rest_multiplier = mining_rest_multiplier
        self.build_costs()

    def purchase_value(self, g, user, r):
        """Value (million USD, purchasers' prices) of good g bought by `user` in r: its share of the composite."""
        q = self.chain.use[g][user][r]
        if q == 0:
            return 0.0
        return q / self.supply_qty[(g, r)] * self.supply_value[(g, r)]

    def build_costs(self):
        """Output value and cost structure (million USD) of every chain sector in every region."""
        src, c = self.src, self.src.c
        self.output = {}
        self.inputs = {}  # (sector, region) -> {good or factor: value}
        self.kwh = {}  # electricity use (kWh)
        for r in REGIONS:
            elec_price = src.rnum(r, "electricity_price")
            for s in CHAIN:
                q = self.chain.prod[s][r]
                if q <= 0:
                    continue
                out = q * self.price[(s, r)] / MUSD
                ins = {}
                for g in CHAIN:
                    v = self.purchase_value(g, s, r)
                    if v > 0:
                        ins[g] = v
                kwh = q * c(f"electricity_{s}") * (1e6 if s == "cell" else 1.0)  # cell: kWh per kWh
                self.kwh[(s, r)] = kwh
                ins["elec"] = kwh * elec_price / MUSD
                if s in MINING:
                    ins["rest"] = out * c(f"rest_share_{s}") * self.mining_rest_multiplier
                elif s == "cell":
                    ins["rest"] = q * 1e6 * c("rest_per_kwh_cell") / MUSD
                else:
                    ins["rest"] = out * c(f"rest_share_{s}")
                va = out - sum(ins.values())
                if va <= 0:
                    raise ValueError(f"{s} in {r}: inputs {sum(ins.values()):.1f} exceed output {out:.1f}")
                if s in MINING:
                    ins["res"] = va * c("resource_share_mining")
                    ins["lab"] = va * c("labour_share_mining")
                    ins["cap"] = va - ins["res"] - ins["lab"]
                elif s == "recycling":
                    ins["scrap"] = min(out * c("scrap_share_recycling"), 0.9 * va)
                    rest_va = va - ins["scrap"]
                    ins["lab"] = rest_va * c("labour_share_manufacturing")
                    ins["cap"] = rest_va - ins["lab"]
                else:
                    ins["lab"] = va * c("labour_share_manufacturing")
                    ins["cap"] = va - ins["lab"]
                self.output[(s, r)] = out
                self.inputs[(s, r)] = ins

    def value_added(self, s, r):
        ins = self.inputs.get((s, r))
        if ins is None:
            return 0.0
        return sum(v for k, v in ins.items() if k in ("lab", "cap", "res", "scrap"))

    def stage_value_shares(self):
        by_stage = {}
        for (s, r) in self.inputs:
            by_stage[STAGE[s]] = by_stage.get(STAGE[s], 0.0) + self.value_added(s, r)
        total = sum(by_stage.values())
        return {k: v / total for k, v in by_stage.items()}


def solve_2d(f, x0, names):
    """Newton's method with a finite-difference Jacobian on two unknowns."""
    x = list(x0)
    for _ in range(60):
        fx = f(x)
        if max(abs(v) for v in fx) < 1e-12:
            return x
        jac = []
        for i in range(2):
            h = 1e-6 * max(1.0, abs(x[i]))
            xp = list(x)
            xp[i] += h
            fp = f(xp)
            jac.append([(fp[k] - fx[k]) / h for k in range(2)])
        # jac[i][k] = d f_k / d x_i
        a, b, cc, d = jac[0][0], jac[1][0], jac[0][1], jac[1][1]
        det = a * d - b * cc
        dx0 = (-fx[0] * d + fx[1] * b) / det
        dx1 = (-fx[1] * a + fx[0] * cc) / det
        x = [x[0] + dx0, x[1] + dx1]
    raise SystemExit(f"calibration of {names} did not converge: {f(x)}")


# ---------------------------------------------------------------------------------------------------------------
# 3. Emissions
# ---------------------------------------------------------------------------------------------------------------

def grid_intensity(src):
    g = {}
    for r in REGIONS:
        text = src.region_item(r, "grid_intensity")
        if text != "derive":
            g[r] = num(text) / 1000.0  # kg per kWh
    gen = {r: src.rnum(r, "electricity_generation") for r in REGIONS}
    world = 0.486
    known = sum(g[r] * gen[r] for r in g)
    missing = [r for r in REGIONS if r not in g]
    for r in missing:
        g[r] = (world * sum(gen.values()) - known) / gen[r]
    return g


def factor(src, sector, region, kind):
    rows = [x for x in src.factor_rows if x["sector"] == sector and x["kind"] == kind]
    own = [x for x in rows if x["region"] == region]
    glo = [x for x in rows if x["region"] == "GLO"]
    chosen = own or glo
    return num(chosen[0]["value"]) if chosen else 0.0


def emissions(src, econ, grid, k_mining, k_cathode):
    """kg CO2e by (sector, region): (process + fuel) x multiplier x output + kWh x grid."""
    out = {}
    for (s, r) in econ.inputs:
        q = econ.chain.prod[s][r]
        k = k_mining if s in MINING else k_cathode if STAGE[s] == "Cathode" else 1.0
        direct = q * k * (factor(src, s, r, "process") + factor(src, s, r, "fuel"))
        out[(s, r)] = direct + econ.kwh[(s, r)] * grid[r]
    return out


def stage_emission_shares(em):
    by_stage = {}
    for (s, r), v in em.items():
        by_stage[STAGE[s]] = by_stage.get(STAGE[s], 0.0) + v
    total = sum(by_stage.values())
    return {k: v / total for k, v in by_stage.items()}, total


# ---------------------------------------------------------------------------------------------------------------
# 4. The SAM and the files
# ---------------------------------------------------------------------------------------------------------------

def fmt(x):
    """Shortest text that reads back to the same double (balanced accounts stay balanced)."""
    if x == 0:
        return "0"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def write_csv(path, header, rows, comments=()):
    with open(path, "w", newline="") as f:
        for line in comments:
            f.write("# " + line + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def ipf_rest_trade(exports, imports):
    """Bilateral trade of the rest of the economy: X_e M_m / total with no trade with oneself, fitted to both
    margins by iterative proportional fitting."""
    flows = {(e, m): exports[e] * imports[m] for e in REGIONS for m in REGIONS if e != m}
    for _ in range(500):
        for e in REGIONS:
            s = sum(v for (a, _), v in flows.items() if a == e)
            for m in REGIONS:
                if m != e:
                    flows[(e, m)] *= exports[e] / s
        for m in REGIONS:
            s = sum(v for (_, b), v in flows.items() if b == m)
            for e in REGIONS:
                if e != m:
                    flows[(e, m)] *= imports[m] / s
    return flows


def build_sam(src, econ):
    """Raw SAM cells {(region, row, column): value} in million USD, and trade rows."""
    sam = {}

    def add(r, row, col, v):
        if v != 0:
            sam[(r, row, col)] = sam.get((r, row, col), 0.0) + v

    trade = []
    tariffs = []
    # Chain goods: output, intermediate use, trade, tariffs.
    for g in CHAIN:
        for (e, m), q in sorted(econ.flows[g].items()):
            fob = q * econ.price[(g, e)] / MUSD
            trade.append((g, e, m, fob))
            rate = econ.tariff.get((g, e, m), 0.0)
            if rate:
                tariffs.append((g, e, m, rate))
    chain_exports = {(g, r): 0.0 for g in CHAIN for r in REGIONS}
    chain_imports = {(g, r): 0.0 for g in CHAIN for r in REGIONS}
    chain_tariff = {(g, r): 0.0 for g in CHAIN for r in REGIONS}
    for g, e, m, fob in trade:
        chain_exports[(g, e)] += fob
        chain_imports[(g, m)] += fob
        chain_tariff[(g, m)] += fob * econ.tariff.get((g, e, m), 0.0)
    for (s, r), out in econ.output.items():
        add(r, "a_" + s, "c_" + s, out)
        for k, v in econ.inputs[(s, r)].items():
            row = "c_" + k if k in SECTORS else k
            add(r, row, "a_" + s, v)
    for g in CHAIN:
        for r in REGIONS:
            add(r, "c_" + g, "world", chain_exports[(g, r)])
            add(r, "world", "c_" + g, chain_imports[(g, r)])
            add(r, "tariff", "c_" + g, chain_tariff[(g, r)])
    # Cells are bought by the rest of the economy (vehicle, storage and device makers).
    for r in REGIONS:
        add(r, "c_cell", "a_rest", econ.supply_value[("cell", r)])

    # The rest of the economy and electricity, from independent macro targets (not balanced by construction).
    c = src.c
    rest_exports = {r: src.rnum(r, "exports_share") * src.rnum(r, "gdp") * 1000 for r in REGIONS}
    rest_flows = ipf_rest_trade(rest_exports, rest_exports)
    for (e, m), v in sorted(rest_flows.items()):
        trade.append(("rest", e, m, v))
        add(e, "c_rest", "world", v)
        add(m, "world", "c_rest", v)
    for r in REGIONS:
        gdp = src.rnum(r, "gdp") * 1000
        elec_out = src.rnum(r, "electricity_generation") * src.rnum(r, "electricity_price") * 1000
        add(r, "a_elec", "c_elec", elec_out)
        fuel = elec_out * src.rnum(r, "electricity_fuel_share")
        add(r, "c_rest", "a_elec", fuel)
        va_elec = elec_out - fuel
        add(r, "lab", "a_elec", va_elec * src.rnum(r, "electricity_labour_share"))
        add(r, "cap", "a_elec", va_elec * (1 - src.rnum(r, "electricity_labour_share")))
        chain_elec = sum(econ.inputs[(s, rr)].get("elec", 0.0) for (s, rr) in econ.inputs if rr == r)
        household_elec = 0.3 * elec_out
        add(r, "c_elec", "hh", household_elec)
        rest_elec = elec_out - chain_elec - household_elec
        add(r, "c_elec", "a_rest", rest_elec)
        chain_va = sum(econ.value_added(s, rr) for (s, rr) in econ.inputs if rr == r)
        va_rest = gdp - chain_va - va_elec
        out_rest = va_rest * src.rnum(r, "gross_output_ratio")
        cells = econ.supply_value[("cell", r)]
        own_use = out_rest - va_rest - rest_elec - cells
        add(r, "a_rest", "c_rest", out_rest)
        add(r, "c_rest", "a_rest", own_use)
        add(r, "lab", "a_rest", va_rest * src.rnum(r, "rest_labour_share"))
        add(r, "cap", "a_rest", va_rest * (1 - src.rnum(r, "rest_labour_share")))
        gov = gdp * src.rnum(r, "government_share")
        add(r, "c_rest", "gov", gov)
        add(r, "gov", "hh", gov)
        add(r, "c_rest", "hh", gdp * src.rnum(r, "consumption_share") - household_elec)
        add(r, "c_rest", "inv", gdp * src.rnum(r, "investment_share"))
        # Incomes: every factor and tariff to the household; savings and foreign savings close the accounts.
        for f in ("lab", "cap", "res", "scrap"):
            income = sum(v for (rr, row, col), v in sam.items() if rr == r and row == f)
            add(r, "hh", f, income)
        add(r, "hh", "tariff", sum(chain_tariff[(g, r)] for g in CHAIN))
        income = sum(v for (rr, row, col), v in sam.items() if rr == r and row == "hh")
        spent = sum(v for (rr, row, col), v in sam.items() if rr == r and col == "hh")
        add(r, "inv", "hh", income - spent)
        imports = sum(v for (rr, row, col), v in sam.items() if rr == r and row == "world")
        exports = sum(v for (rr, row, col), v in sam.items() if rr == r and col == "world")
        add(r, "inv", "world", imports - exports)
    return sam, trade, tariffs


def accounts():
    rows = [("a_" + s, "activity", s) for s in SECTORS] + [("c_" + s, "commodity", s) for s in SECTORS]
    rows += [("lab", "labour", ""), ("cap", "capital", ""), ("res", "resource", ""), ("scrap", "resource", ""),
             ("tariff", "import_tariff", ""), ("hh", "household", ""), ("gov", "government", ""),
             ("inv", "investment", ""), ("world", "world", "")]
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lccge", default=os.path.join(ROOT, "build", "lccge"), help="the lccge program (for balance)")
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "battery"))
    args = ap.parse_args()
    src = Sources()
    chain = Chain(src)
    write_inputs_doc(src, os.path.join(ROOT, "docs", "battery-data-inputs.md"))

    # ---- calibration of values: CAM price and mining's purchases from the rest of the economy ----
    tv_cathode, tv_mining = src.c("target_value_share_cathode"), src.c("target_value_share_mining")

    def value_gap(x):
        sh = Economy(src, chain, x[0], x[1]).stage_value_shares()
        return [sh["Cathode"] - tv_cathode, sh["Mining"] - tv_mining]

    cam_price, mining_rest = solve_2d(value_gap, [32000.0, 1.3], "CAM price and mining rest-input multiplier")
    econ = Economy(src, chain, cam_price, mining_rest)
    value_shares = econ.stage_value_shares()

    # ---- calibration of emissions: multipliers on Mining and Cathode process and fuel factors ----
    grid = grid_intensity(src)
    te_cathode, te_mining = src.c("target_emission_share_cathode"), src.c("target_emission_share_mining")

    def emission_gap(x):
        sh, _ = stage_emission_shares(emissions(src, econ, grid, x[0], x[1]))
        return [sh["Mining"] - te_mining, sh["Cathode"] - te_cathode]

    k_mining, k_cathode = solve_2d(emission_gap, [1.0, 1.0], "emission multipliers")
    em = emissions(src, econ, grid, k_mining, k_cathode)
    emission_shares, total_emissions = stage_emission_shares(em)

    print(f"chain: {chain.world_cells:.0f} GWh; per GWh: " +
          ", ".join(f"{k} {v:.1f} t" for k, v in chain.int.items()) +
          f"; secondary share {chain.secondary_share:.4f}")
    print(f"calibrated CAM price {cam_price:.0f} USD/t, mining rest-input multiplier {mining_rest:.4f}")
    print(f"calibrated emission multipliers: mining {k_mining:.4f}, cathode stage {k_cathode:.4f}")
    print("value shares: " + ", ".join(f"{k} {100 * v:.2f} %" for k, v in sorted(value_shares.items())))
    print("emission shares: " + ", ".join(f"{k} {100 * v:.2f} %" for k, v in sorted(emission_shares.items())))
    print(f"chain emissions {total_emissions / 1e9:.1f} Mt CO2e = {total_emissions / chain.world_cells / 1e6:.1f} "
          f"kg CO2e per kWh of cells made")

    sam, trade, tariffs = build_sam(src, econ)
    out = args.out
    os.makedirs(out, exist_ok=True)
    raw = tempfile.mkdtemp(prefix="battery_raw_")
    gen = "written by scripts/battery/generate.py from data/battery/sources/ (docs/battery-data.md)"
    for d in (raw,):
        write_csv(os.path.join(d, "accounts.csv"), ["account", "class", "sector"], accounts(), [gen])
        write_csv(os.path.join(d, "sam.csv"), ["region", "row", "column", "value"],
                  [(r, row, col, fmt(v)) for (r, row, col), v in sorted(
                      sam.items(), key=lambda kv: (REGIONS.index(kv[0][0]), kv[0][1], kv[0][2]))],
                  [gen, "million USD, 2023; the column account pays the row account"])
        write_csv(os.path.join(d, "trade.csv"), ["good", "exporter", "importer", "value"],
                  [(g, e, m, fmt(v)) for g, e, m, v in trade], [gen, "fob, million USD, 2023"])
        write_csv(os.path.join(d, "tariffs.csv"), ["good", "exporter", "importer", "rate"],
                  [(g, e, m, fmt(v)) for g, e, m, v in tariffs], [gen, "sources: data/battery/sources/tariffs.csv"])
        write_csv(os.path.join(d, "elasticities.csv"), ["parameter", "region", "sector", "value"],
                  [(x["parameter"], x["region"], x["sector"], x["value"]) for x in src.elasticity_rows],
                  [gen, "sources: data/battery/sources/elasticities.csv"])
        write_csv(os.path.join(d, "nests.csv"), ["region", "sector", "nest", "parent", "elasticity", "goods"],
                  [(x["region"], x["sector"], x["nest"], x["parent"], x["elasticity"], x["goods"])
                   for x in src.nest_rows], [gen, "sources: data/battery/sources/nests.csv"])
    # Balance with the data layer's own balancing; every cell of the chain's accounts stays as derived.
    fixed = []
    for s in CHAIN:
        fixed += ["--fix-account", "a_" + s, "--fix-account", "c_" + s]
    cmd = [args.lccge, "balance", raw, "--out", out, "--tolerance", "1e-13"] + fixed
    res = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(res.stdout)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit(f"lccge balance failed ({res.returncode})")

    # ---- battery files ----
    write_csv(os.path.join(out, "regions.csv"), ["region", "name"],
              [(r, src.region_item(r, "name")) for r in REGIONS], [gen, "region code (as in sam.csv) and name in reports"])
    write_csv(os.path.join(out, "sectors.csv"), ["sector", "stage", "unit", "description"],
              [(s, STAGE.get(s, ""), UNIT_NOTE[s], DESCRIPTION[s]) for s in SECTORS],
              [gen, "stage: the reported supply-chain stage (empty: outside the chain); unit: physical output"])
    phys = []
    for (s, r) in sorted(econ.output, key=lambda k: (REGIONS.index(k[1]), SECTORS.index(k[0]))):
        phys.append((r, s, fmt(chain.prod[s][r]), UNIT[s]))
    for r in REGIONS:
        phys.append((r, "elec", fmt(src.rnum(r, "electricity_generation") * 1000), "GWh"))
    write_csv(os.path.join(out, "physical.csv"), ["region", "sector", "value", "unit"], phys,
              [gen, "benchmark physical output of each activity (tonnes of contained metal, t of product, GWh)"])
    grid_rows = [(r, "", fmt(grid[r] * 1000), "g CO2e/kWh", "Ember via co2.js (docs/battery-data.md)")
                 for r in REGIONS]
    write_csv(os.path.join(out, "grid_intensity.csv"), ["region", "year", "value", "unit", "source"], grid_rows, [gen])
    ef = []
    for s in CHAIN:
        regions_with_rows = sorted({x["region"] for x in src.factor_rows if x["sector"] == s},
                                   key=lambda x: (x != "GLO", x))
        k = k_mining if s in MINING else k_cathode if STAGE[s] == "Cathode" else 1.0
        unit = "kg CO2e/GWh" if s == "cell" else "kg CO2e/t"
        kwh_unit = "kWh/GWh" if s == "cell" else "kWh/t"
        kwh = src.c(f"electricity_{s}") * (1e6 if s == "cell" else 1.0)
        for region in regions_with_rows or ["GLO"]:
            for kind in ("process", "fuel"):
                v = factor(src, s, region, kind) * k
                if v:
                    note = "calibrated x %.4f" % k if k != 1.0 else "as sourced"
                    ef.append((region, s, "", kind, fmt(v), unit, f"sources/factors.csv ({note})"))
            ef.append((region, s, "", "electricity", fmt(kwh), kwh_unit, "sources/chain.csv"))
    for s in ("elec", "rest"):
        ef.append(("GLO", s, "", "process", "0", "kg CO2e/USD",
                   "outside the chain's boundary (grid emissions are counted where electricity is used)"))
    write_csv(os.path.join(out, "emission_factors.csv"), ["region", "sector", "year", "kind", "value", "unit", "source"],
              ef, [gen, "per unit of physical output (physical.csv); electricity parts take the producing region's grid"])
    captive = []
    for x in (x for x in src.factor_rows if x["kind"] == "captive_power"):
        s, region = x["sector"], x["region"]
        k = k_mining if s in MINING else k_cathode if STAGE[s] == "Cathode" else 1.0
        if num(x["value"]) > factor(src, s, region, "process") + factor(src, s, region, "fuel"):
            raise SystemExit(f"sources/factors.csv: captive power of {s} in {region} exceeds its process and fuel")
        note = "calibrated x %.4f" % k if k != 1.0 else "as sourced"
        captive.append((region, s, fmt(num(x["value"]) * k), x["unit"], f"sources/factors.csv ({note})"))
    write_csv(os.path.join(out, "captive_power.csv"), ["region", "sector", "value", "unit", "source"], captive,
              [gen, "the part of a region's process + fuel factor (emission_factors.csv) emitted by the activity's own",
               "power plants: energy supply, which technology cooperation leaves as it leaves grids (docs/dynamics.md)"])
    rec = []
    feed_recovery = {}
    for r in REGIONS:
        rec_out = chain.prod["recycling"][r]
        rate = src.rnum(r, "collection_rate")
        eol = src.rnum(r, "eol_contained", 0)
        recovery = (chain.int["li"] * src.c("recovery_Li") + (chain.metal_per_gwh - chain.int["li"]) *
                    src.c("recovery_NiCoMn")) / chain.metal_per_gwh
        feed = rec_out / recovery
        manufacturing = max(0.0, feed - rate * eol)
        feed_recovery[r] = recovery
        rec.append((r, fmt(rate), fmt(eol), fmt(manufacturing), fmt(recovery)))
    write_csv(os.path.join(out, "recycling.csv"),
              ["region", "collection_rate", "eol_contained_t", "other_feed_t", "recovery_rate"], rec,
              [gen, "collection_rate: share of end-of-life batteries collected for recycling (0..1);",
               "eol_contained_t: metal contained in the end-of-life batteries arising (t);",
               "other_feed_t: production scrap and imported black mass (t contained); recovery_rate: share recovered",
               "the recycling sector's scrap endowment is proportional to other_feed_t + collection_rate x eol_contained_t"])
    bom = []
    for k in CHEMISTRIES:
        for m in METALS:
            bom.append((k, f"{m}_chem", fmt(1000 * src.c(f"{m}_{k}")), "t/GWh"))
        bom.append((k, "graphite", fmt(1000 * src.c(f"gr_{k}")), "t/GWh"))
        bom.append((k, "cathode", fmt(1000 * src.c(f"li_{k}") / src.c(f"li_fraction_{k}")), "t/GWh"))
    write_csv(os.path.join(out, "chemistries.csv"), ["chemistry", "good", "value", "unit"], bom,
              [gen, "bills of materials per GWh of cells (BatPaC 5.1 via pmbusch/Critical-Minerals-EV; CAM mass from",
               "the lithium content of its formula): for the implied footprints of docs/validation.md"])
    write_paths(src, chain, grid, rec, out)
    write_csv(os.path.join(out, "calibration.csv"), ["parameter", "value", "unit", "target"],
              [("cam_price", fmt(cam_price), "USD/t CAM", "cathode value share 42.56 %"),
               ("mining_rest_input_multiplier", fmt(mining_rest), "x sources/chain.csv rest_share_*_mine",
                "mining value share 18.78 %"),
               ("mining_emission_multiplier", fmt(k_mining), "x process and fuel factors of Mining",
                "mining emission share 38.52 %"),
               ("cathode_emission_multiplier", fmt(k_cathode), "x process and fuel factors of Cathode",
                "cathode emission share 34.82 %")],
              [gen, "the four calibrated parameters (docs/battery-data.md, Calibration)"])


def chemistry_mix_at(src, year_rows):
    """A mix (chemistry -> share) from rows mix_<chemistry> of one year, normalised."""
    mix = {r["variable"][4:]: num(r["value"]) for r in year_rows}
    total = sum(mix.values())
    return {k: v / total for k, v in mix.items()}


def intensities(src, mix):
    out = {}
    for m in METALS + ["gr"]:
        out[m] = 1000 * sum(share * src.c(f"{m}_{k}") for k, share in mix.items())
    out["cam"] = 1000 * sum(share * src.c(f"li_{k}") / src.c(f"li_fraction_{k}") for k, share in mix.items())
    return out


def interpolate(points, year):
    """Linear between (year, value) points, flat outside."""
    pts = sorted(points)
    if year <= pts[0][0]:
        return pts[0][1]
    if year >= pts[-1][0]:
        return pts[-1][1]
    for (y0, v0), (y1, v1) in zip(pts, pts[1:]):
        if y0 <= year <= y1:
            return v0 + (year - y0) / (y1 - y0) * (v1 - v0)
    return pts[-1][1]


def write_paths(src, chain, grid, recycling_rows, out):
    """data/battery/paths.csv: every exogenous path of the dynamics, by region and year."""
    rows = []
    dyn = src.dynamics_rows

    def points(variable, region):
        return [(int(r["year"]), r["value"]) for r in dyn if r["variable"] == variable and r["region"] == region]

    # Battery demand by region: (EV + other) world totals x regional shares; the rest of world takes the remainder.
    ev = [(y, num(v)) for y, v in points("world_ev_battery_demand", "*")]
    other = [(y, num(v)) for y, v in points("world_other_battery_demand", "*")]
    years = sorted({y for y, _ in ev} | {y for y, _ in other} |
                   {int(r["year"]) for r in dyn if r["variable"] == "share_battery_demand"})
    for y in years:
        total = interpolate(ev, y) + interpolate(other, y)
        shares = {}
        for r in REGIONS:
            p = [(yy, num(v)) for yy, v in points("share_battery_demand", r) if v != "remainder"]
            if p:
                shares[r] = interpolate(p, y)
        rest = [r for r in REGIONS if r not in shares and points("share_battery_demand", r)]
        for r in rest:
            shares[r] = max(0.0, 1 - sum(shares.values()))
        for r in REGIONS:
            if r in shares:
                rows.append(("battery_demand", r, y, fmt(total * shares[r]), "GWh",
                             "sources/dynamics.csv: world EV + other demand x regional share"))
    for y, v in points("battery_demand_history", "*"):
        rows.append(("battery_demand_history", "*", y, v, "GWh", "sources/dynamics.csv"))
    for variable, unit in (("labour", "index"), ("productivity", "index"), ("process_efficiency", "index"),
                           ("electricity_efficiency", "index"), ("captive_power", "index")):
        regions = sorted({r["region"] for r in dyn if r["variable"] == variable}, key=lambda x: (x == "*", x))
        for region in regions:
            pts = points(variable, region)
            if all(y != 2023 for y, _ in pts):
                pts = [(2023, "1")] + pts
            for y, v in sorted(pts):
                rows.append((variable, region, y, v, unit, "sources/dynamics.csv"))
    for r in REGIONS:
        pts = [(2023, fmt(grid[r] * 1000))] + points("grid_intensity", r)
        for y, v in sorted(pts):
            rows.append(("grid_intensity", r, y, v, "g CO2e/kWh", "sources/dynamics.csv (2023: grid_intensity.csv)"))
    base_recovery = num(recycling_rows[0][4])
    for y, v in [(2023, fmt(base_recovery))] + points("recovery_rate", "*"):
        rows.append(("recovery_rate", "*", y, v, "share", "sources/dynamics.csv (2023: recycling.csv)"))
    for r in recycling_rows:
        rows.append(("collection_rate", r[0], 2023, r[1], "share", "recycling.csv (the baseline keeps the 2023 rate)"))
    # Material per GWh of cells: the chemistry mix of 2023 and 2030 (flat after).
    mix2030 = chemistry_mix_at(src, [r for r in dyn if r["variable"].startswith("mix_") and r["year"] == "2030"])
    for y, inten in ((2023, chain.int), (2030, intensities(src, mix2030))):
        for m, name in [(m, m) for m in METALS] + [("gr", "gr"), ("gr", "graphite"), ("cam", "cathode")]:
            rows.append((f"{name}_per_gwh", "*", y, fmt(inten[m]), "t/GWh", "BatPaC 5.1 x polca/premise MIX"))
    write_csv(os.path.join(out, "paths.csv"), ["variable", "region", "year", "value", "unit", "source"], rows,
              ["written by scripts/battery/generate.py from data/battery/sources/dynamics.csv (docs/dynamics.md)",
               "linear between years, flat after the last; region * = every region without rows of its own"])
    write_csv(os.path.join(out, "parameters.csv"), ["parameter", "value", "unit", "source"],
              [(r["parameter"], r["value"], r["unit"], r["label"] + ": " + r["source"]) for r in src.parameter_rows],
              ["written by scripts/battery/generate.py from data/battery/sources/parameters.csv"])


def write_inputs_doc(src, path):
    """docs/battery-data-inputs.md: every row of the source tables, as the generator read them."""
    def table(title, rows, columns):
        out = [f"## {title}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for r in rows:
            out.append("| " + " | ".join(str(r.get(c, "")).replace("|", "/") for c in columns) + " |")
        return "\n".join(out) + "\n\n"
    text = ("# Battery data: every input number\n\n"
            "Written by `scripts/battery/generate.py` from `data/battery/sources/` (do not edit by hand). Labels: P "
            "primary source read directly; P-m primary text read through a mirror; S secondary (news, aggregator); "
            "R a third-party research repository; D derived from cited numbers; A an assumption; I inferred. What is "
            "done with each number, and the licences: [battery-data.md](battery-data.md).\n\n")
    text += table("Regions (sources/regions.csv)", src.region_rows, ["region", "item", "value", "unit", "label", "source"])
    text += table("Chain (sources/chain.csv)", src.chain_rows, ["item", "value", "unit", "label", "source"])
    text += table("Production shares (sources/shares.csv)", src.share_rows, ["sector", "region", "value", "label", "source"])
    text += table("Emission factors before calibration (sources/factors.csv)", src.factor_rows,
                  ["sector", "region", "kind", "value", "unit", "label", "source"])
    text += table("Tariffs in force in 2023 (sources/tariffs.csv)", src.tariff_rows,
                  ["good", "exporter", "importer", "rate", "label", "source"])
    text += table("Elasticities (sources/elasticities.csv)", src.elasticity_rows,
                  ["parameter", "region", "sector", "value", "label", "source"])
    text += table("Input sub-nests (sources/nests.csv)", src.nest_rows,
                  ["region", "sector", "nest", "parent", "elasticity", "goods", "label", "source"])
    text += table("Paths to 2060 (sources/dynamics.csv)", src.dynamics_rows,
                  ["variable", "region", "year", "value", "unit", "label", "source"])
    text += table("Constants of the dynamics (sources/parameters.csv)", src.parameter_rows,
                  ["parameter", "value", "unit", "label", "source"])
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()

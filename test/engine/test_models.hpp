// Shared helpers for engine tests: loading the bundled test models.
#pragma once

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "lccge/io/model_file.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::testing {

inline std::string ModelPath(const std::string& name) { return std::string(LCCGE_TEST_DATA_DIR) + "/models/" + name; }

inline Model LoadOrDie(const std::string& name) {
  Model m;
  const Status s = io::LoadModel(ModelPath(name), &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

inline double ValueOf(const Model& m, const Solution& sol, const std::string& name) {
  const int v = m.VariableIndex(name);
  EXPECT_GE(v, 0) << name;
  return v >= 0 ? sol.values[static_cast<size_t>(v)] : 0.0;
}

// Published GAMS/MPSGE models from MPSGE.jl's test suite whose numbers lccge replicates (benchmark_replication_test.cc;
// docs/validation.md, "Further GAMS/MPSGE solutions from MPSGE.jl's test suite"; each file's "source" names where
// every number comes from). The first scenario of each is its benchmark.
inline const char* const kMpsgeJlModels[] = {
    "twobytwo_price_inputs.json",
    "twobytwo_price_outputs.json",
    "twobytwo_price_demand.json",
    "benchmark_theta.json",
    "simple_demand_nest.json",
    "simple_demand_nest_nested.json",
    "mge123.json",
    "mge123_nested.json",
    "jpmge.json",
};

// `files` followed by the MPSGE.jl models.
inline std::vector<const char*> WithMpsgeJlModels(std::vector<const char*> files) {
  files.insert(files.end(), std::begin(kMpsgeJlModels), std::end(kMpsgeJlModels));
  return files;
}

// All the models in test/data/models that every invariant test runs on.
inline std::vector<const char*> AllModels() {
  return WithMpsgeJlModels({"twobytwo_ces.json", "twobytwo_cobb_douglas.json", "shutdown_free_good.yaml",
                            "taxes_two_agents.yaml", "aux_endogenous_tax.yaml", "nested_three_levels.yaml"});
}

}  // namespace lccge::testing

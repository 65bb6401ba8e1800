// Synthetic multi-region datasets of any size: balanced by construction (to rounding, ~1e-15 relative), with
// skewed region and sector sizes, sparse gravity-like bilateral trade with zero links, transport margins,
// production taxes and bilateral tariffs. Deterministic for a seed (SplitMix64 and lccge's own
// distributions, not the standard library's). docs/data.md, "Synthetic data".
#pragma once

#include <cstdint>
#include <string>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"

namespace lccge::data {

struct SynthOptions {
  int regions = 3;
  int sectors = 4;
  std::uint64_t seed = 1;
  bool government = true;        // a government account (public consumption)
  bool margins = true;           // international transport margins supplied by the last sector ("transport")
  bool cet = false;              // write etrn elasticities (CET between domestic sales and exports)
  double zero_link_share = 0.3;  // about this share of bilateral links of traded goods carries no trade
  double mean_tariff = 0.05;     // average tariff on goods (services are not tariffed)
  bool IsValid(std::string* error) const;
};

// Fills `dataset` with a synthetic dataset that passes every check of CheckDataset.
Status Synthesize(const SynthOptions& options, Dataset* dataset);

}  // namespace lccge::data

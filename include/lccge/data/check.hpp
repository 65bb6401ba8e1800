// Checks that a dataset is consistent: every account balances, trade agrees with the SAMs, signs are allowed,
// tariffs and taxes agree with the revenue in the SAMs. Each problem names the file, the line (when the entry
// came from a file), the region and the account. The messages are quoted in docs/data.md, "Checks".
#pragma once

#include <string>

#include "lccge/core/status.hpp"
#include "lccge/data/dataset.hpp"

namespace lccge::data {

struct CheckOptions {
  // Two totals a and b agree when |a - b| <= relative_tolerance * max(|a|, |b|) + absolute_tolerance.
  double relative_tolerance = 1e-6;
  double absolute_tolerance = 1e-9;
  bool IsValid(std::string* error) const;
};

// Adds every problem found to `diagnostics` (it does not stop at the first).
void CheckDataset(const Dataset& dataset, const CheckOptions& options, Diagnostics* diagnostics);

// Reads the data directory and runs every check on it, collecting all problems (for `lccge check DIR`).
// Returns Ok when the data are clean, otherwise an InvalidInput status counting the problems.
Status CheckDataDirectory(const std::string& dir, Diagnostics* diagnostics,
                          const CheckOptions& options = CheckOptions());

// Whether two totals agree under the options.
bool TotalsAgree(double a, double b, const CheckOptions& options);

}  // namespace lccge::data

// The data layer: account scheme, datasets, files, checks, balancing and synthetic data (docs/data.md).
#pragma once

#include "lccge/data/account.hpp"
#include "lccge/data/balance.hpp"
#include "lccge/data/check.hpp"
#include "lccge/data/dataset.hpp"
#include "lccge/data/io.hpp"
#include "lccge/data/synth.hpp"

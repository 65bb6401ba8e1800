// The life-cycle emission accounts layer: emission factors and grid intensities, input-output (Leontief) accounts
// with the value-emission decomposition by stage, the accounts of an equilibrium solution, transport of critical
// minerals, and product footprints.
#pragma once

#include "lccge/lca/emission_factors.hpp"
#include "lccge/lca/equilibrium.hpp"
#include "lccge/lca/footprint.hpp"
#include "lccge/lca/grid_intensity.hpp"
#include "lccge/lca/io_table.hpp"
#include "lccge/lca/transport.hpp"

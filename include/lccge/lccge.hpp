// The umbrella header: everything in lccge's public API.
#pragma once

#include "lccge/battery/battery.hpp"
#include "lccge/core/csv.hpp"
#include "lccge/core/file.hpp"
#include "lccge/core/status.hpp"
#include "lccge/data/data.hpp"
#include "lccge/dynamics/dynamics.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/lca/lca.hpp"
#include "lccge/mcp/system.hpp"
#include "lccge/model/benchmark_model.hpp"
#include "lccge/model/expression.hpp"
#include "lccge/model/flows.hpp"
#include "lccge/model/model.hpp"
#include "lccge/model/multi_region.hpp"
#include "lccge/scenario/iamc.hpp"
#include "lccge/solve/solver.hpp"

// The battery supply-chain application (lccge::battery): data folder, model, policy levers, accounts, reports,
// scenario files and the dynamics to 2060.
#pragma once

#include "lccge/battery/accounts.hpp"
#include "lccge/battery/data.hpp"
#include "lccge/battery/dynamics.hpp"
#include "lccge/battery/model.hpp"
#include "lccge/battery/report.hpp"
#include "lccge/battery/scenario.hpp"
#include "lccge/battery/sweep.hpp"

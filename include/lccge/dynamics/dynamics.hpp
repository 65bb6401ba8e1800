// Dynamics to 2060 (lccge::dynamics): exogenous paths, recursive year loop, cohort stock-flow on Boost.Odeint.
#pragma once

#include "lccge/dynamics/paths.hpp"
#include "lccge/dynamics/recursive.hpp"
#include "lccge/dynamics/stock_flow.hpp"

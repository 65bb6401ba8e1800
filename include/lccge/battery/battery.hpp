// The battery supply-chain application (lccge::battery): data folder, model, policy levers, accounts, reports.
#pragma once

#include "lccge/battery/accounts.hpp"
#include "lccge/battery/data.hpp"
#include "lccge/battery/model.hpp"
#include "lccge/battery/report.hpp"

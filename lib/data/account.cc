#include "lccge/data/account.hpp"

namespace lccge::data {

namespace {
constexpr const char* kClassNames[kAccountClassCount] = {"activity",   "commodity",      "labour",        "capital",
                                                         "resource",   "production_tax", "import_tariff", "household",
                                                         "government", "investment",     "world",         "margins"};
}  // namespace

const char* ToString(AccountClass c) { return kClassNames[static_cast<int>(c)]; }

bool ParseAccountClass(std::string_view text, AccountClass* c) {
  for (int i = 0; i < kAccountClassCount; ++i) {
    if (text == kClassNames[i]) {
      *c = static_cast<AccountClass>(i);
      return true;
    }
  }
  return false;
}

const char* ToString(CellRole role) {
  switch (role) {
    case CellRole::kNotAllowed:
      return "not allowed";
    case CellRole::kIntermediate:
      return "intermediate use";
    case CellRole::kFactorPayment:
      return "factor payment";
    case CellRole::kProductionTax:
      return "production tax";
    case CellRole::kOutput:
      return "output";
    case CellRole::kImports:
      return "imports";
    case CellRole::kTariff:
      return "tariff revenue";
    case CellRole::kFinalDemand:
      return "final demand";
    case CellRole::kExports:
      return "exports";
    case CellRole::kMarginSupply:
      return "margin supply";
    case CellRole::kFactorIncome:
      return "factor income";
    case CellRole::kTaxRevenue:
      return "tax revenue";
    case CellRole::kGovernmentBudget:
      return "government budget";
    case CellRole::kHouseholdSavings:
      return "household savings";
    case CellRole::kForeignSavings:
      return "foreign savings";
    case CellRole::kMarginPayment:
      return "margin payment";
  }
  return "?";
}

CellRole RoleOf(AccountClass row, AccountClass column) {
  using C = AccountClass;
  switch (column) {
    case C::kActivity:
      if (row == C::kCommodity) return CellRole::kIntermediate;
      if (IsFactor(row)) return CellRole::kFactorPayment;
      if (row == C::kProductionTax) return CellRole::kProductionTax;
      break;
    case C::kCommodity:
      if (row == C::kActivity) return CellRole::kOutput;
      if (row == C::kWorld) return CellRole::kImports;
      if (row == C::kImportTariff) return CellRole::kTariff;
      break;
    case C::kLabour:
    case C::kCapital:
    case C::kResource:
      if (row == C::kHousehold) return CellRole::kFactorIncome;
      break;
    case C::kProductionTax:
    case C::kImportTariff:
      if (row == C::kHousehold) return CellRole::kTaxRevenue;
      break;
    case C::kHousehold:
      if (row == C::kCommodity) return CellRole::kFinalDemand;
      if (row == C::kGovernment) return CellRole::kGovernmentBudget;
      if (row == C::kInvestment) return CellRole::kHouseholdSavings;
      break;
    case C::kGovernment:
    case C::kInvestment:
      if (row == C::kCommodity) return CellRole::kFinalDemand;
      break;
    case C::kWorld:
      if (row == C::kCommodity) return CellRole::kExports;
      if (row == C::kInvestment) return CellRole::kForeignSavings;
      if (row == C::kMargins) return CellRole::kMarginPayment;
      break;
    case C::kMargins:
      if (row == C::kCommodity) return CellRole::kMarginSupply;
      break;
  }
  return CellRole::kNotAllowed;
}

bool AllowsNegative(CellRole role) {
  return role == CellRole::kProductionTax || role == CellRole::kTariff || role == CellRole::kTaxRevenue ||
         role == CellRole::kHouseholdSavings || role == CellRole::kForeignSavings;
}

}  // namespace lccge::data

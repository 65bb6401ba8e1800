// The account scheme of a regional social accounting matrix (SAM): every account belongs to one class, and the
// class decides which cells of the SAM may hold a value (docs/data.md, "Account scheme").
// Convention: the column account pays the row account; SAM(row, column) >= 0 unless the cell's rule allows a sign.
#pragma once

#include <string>
#include <string_view>

namespace lccge::data {

enum class AccountClass {
  kActivity,       // a sector's production: column = its costs, row = its output sold to its commodity
  kCommodity,      // a good's market (Armington composite): column = supply, row = uses
  kLabour,         // factor (mobile across sectors)
  kCapital,        // factor (mobile across sectors)
  kResource,       // factor (sector-specific: each user sector gets its own endowment)
  kProductionTax,  // ad valorem output tax (at most one account); revenue to the household
  kImportTariff,   // bilateral import tariffs (at most one account); revenue to the household
  kHousehold,      // the regional household (exactly one): factor income and taxes; consumption and savings
  kGovernment,     // public consumption financed by the household (at most one)
  kInvestment,     // savings and investment (exactly one)
  kWorld,          // the rest of the world: imports (cif), exports (fob), foreign savings (exactly one)
  kMargins,        // international transport: services sold to the global margin pool (at most one)
};

inline constexpr int kAccountClassCount = 12;

// Lower-case name used in accounts.csv ("activity", "commodity", "labour", "capital", "resource",
// "production_tax", "import_tariff", "household", "government", "investment", "world", "margins").
const char* ToString(AccountClass c);
// Parses the name above; false when unknown.
bool ParseAccountClass(std::string_view text, AccountClass* c);

inline bool IsFactor(AccountClass c) {
  return c == AccountClass::kLabour || c == AccountClass::kCapital || c == AccountClass::kResource;
}
inline bool IsTax(AccountClass c) { return c == AccountClass::kProductionTax || c == AccountClass::kImportTariff; }

struct Account {
  std::string name;
  AccountClass account_class = AccountClass::kCommodity;
  // For activity and commodity accounts: the sector (= good) they belong to; empty for other classes.
  std::string sector;
};

// The role of a SAM cell under the scheme, from the classes of its row and column accounts.
enum class CellRole {
  kNotAllowed,
  kIntermediate,      // commodity <- activity
  kFactorPayment,     // labour/capital/resource <- activity
  kProductionTax,     // production_tax <- activity (may be negative: subsidy)
  kOutput,            // activity <- commodity (only the activity's own good)
  kImports,           // world <- commodity (cif)
  kTariff,            // import_tariff <- commodity (may be negative)
  kFinalDemand,       // commodity <- household / government / investment
  kExports,           // commodity <- world (fob)
  kMarginSupply,      // commodity <- margins
  kFactorIncome,      // household <- factor
  kTaxRevenue,        // household <- tax (may be negative)
  kGovernmentBudget,  // government <- household
  kHouseholdSavings,  // investment <- household (may be negative)
  kForeignSavings,    // investment <- world (may be negative: a current-account surplus)
  kMarginPayment,     // margins <- world
};

const char* ToString(CellRole role);
// The role of cell (row, column) by account classes (kOutput is further restricted to the activity's own good).
CellRole RoleOf(AccountClass row, AccountClass column);
// Whether a negative value is allowed in a cell of this role.
bool AllowsNegative(CellRole role);

}  // namespace lccge::data

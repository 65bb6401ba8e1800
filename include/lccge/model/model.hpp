// An MPSGE-style equilibrium model: sectors (activity levels), commodities (prices), consumers (incomes),
// auxiliary variables; production blocks with nested CES input trees and CET output trees, in calibrated share
// form; consumers with endowments and nested CES final demand; ad valorem taxes; auxiliary constraints.
// Equations: docs/theory.md. Build a Model in C++ (add the parts, then Finalize) or load one from a file
// (lccge/io/model_file.hpp). After Finalize the model is immutable and can be solved on many threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lccge/core/name_index.hpp"
#include "lccge/core/status.hpp"
#include "lccge/model/expression.hpp"

namespace lccge {

namespace internal {
struct CompiledModel;
}

enum class VariableKind { kSector, kCommodity, kConsumer, kAuxiliary };
// "sector", "commodity", "consumer" or "auxiliary".
const char* VariableKindName(VariableKind kind);

struct Tax {
  std::string agent;  // consumer receiving the revenue
  Expression rate;    // ad valorem; inputs pay p*(1+rate), outputs receive p*(1-rate)
  SourceLocation where;
};

// An input, output or final demand of a commodity.
struct Flow {
  std::string commodity;
  Expression quantity;              // benchmark quantity per unit of activity (or of utility)
  Expression reference_price{1.0};  // benchmark gross (inputs) or net (outputs) price
  std::vector<Tax> taxes;
  std::string nest;  // parent nest; empty = the top nest
  SourceLocation where;
};

// A nest of a CES (inputs, final demand) or CET (outputs) tree.
struct Nest {
  std::string name;
  std::string parent;  // "top" or another nest of the same tree
  Expression elasticity;
  SourceLocation where;
};

struct Production {
  std::string sector;
  Expression input_elasticity{0.0};   // "s": top input nest; 0 Leontief, 1 Cobb-Douglas
  Expression output_elasticity{0.0};  // "t": top output (CET) nest; 0 fixed proportions
  std::vector<Nest> input_nests;
  std::vector<Nest> output_nests;
  std::vector<Flow> inputs;
  std::vector<Flow> outputs;
  SourceLocation where;
};

struct Endowment {
  std::string commodity;
  Expression quantity;  // may be negative and may depend on variables
  SourceLocation where;
};

struct Demand {
  std::string consumer;
  Expression elasticity{1.0};  // top final-demand nest
  std::vector<Nest> nests;
  std::vector<Flow> final_demands;
  std::vector<Endowment> endowments;
  SourceLocation where;
};

enum class AuxConstraintType {
  kEquation,         // expr = 0, aux free
  kComplementarity,  // expr >= 0 perp aux >= 0
};

struct AuxConstraint {
  std::string aux;
  Expression expr;
  AuxConstraintType type = AuxConstraintType::kEquation;
  SourceLocation where;
};

// A scenario: parameter values, fixed variables (their paired conditions are dropped), start values.
struct Scenario {
  std::string name = "default";
  std::map<std::string, double> parameters;
  std::map<std::string, double> fixed;
  std::map<std::string, double> start;
  std::map<std::string, double> expected;          // published solution values (variables and report keys), if any
  std::map<std::string, SourceLocation> where_of;  // locations of the entries above, by name, for errors
  SourceLocation where;
};

struct VariableInfo {
  std::string name;
  VariableKind kind;
  double lower = 0.0;  // default bounds: levels, prices and complementarity aux >= 0; incomes and equation aux free
  double upper = 0.0;
};

class Model {
 public:
  Model();
  explicit Model(std::string name);
  Model(const Model&);
  Model& operator=(const Model&);
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // ---- building (before Finalize) ----
  void SetName(std::string name) { name_ = std::move(name); }
  void SetTitle(std::string title) { title_ = std::move(title); }
  void AddParameter(const std::string& name, double value, SourceLocation where = {});
  void AddSector(const std::string& name, SourceLocation where = {});
  void AddCommodity(const std::string& name, SourceLocation where = {});
  void AddConsumer(const std::string& name, SourceLocation where = {});
  void AddAuxiliary(const std::string& name, SourceLocation where = {});
  // A hint for builders that know how many variables they will add (as std::vector::reserve): saves re-copying the
  // variable tables while they grow.
  void ReserveVariables(size_t count);
  // The same hint for production and demand blocks.
  void ReserveBlocks(size_t productions, size_t demands);
  // Blocks are copied or moved in (a moved-in block is not copied: builders add millions of flows this way).
  void AddProduction(const Production& block) { productions_.push_back(block); }
  void AddProduction(Production&& block) { productions_.push_back(std::move(block)); }
  void AddDemand(const Demand& block) { demands_.push_back(block); }
  void AddDemand(Demand&& block) { demands_.push_back(std::move(block)); }
  void AddAuxConstraint(AuxConstraint c) { aux_constraints_.push_back(std::move(c)); }
  // The blocks added so far, to edit before Finalize (a builder that extends another's model, e.g. rerouting an
  // input through a new activity). Editing a finalized model has no effect on its compiled tables.
  std::vector<Production>& mutable_productions() { return productions_; }
  void SetLowerBound(const std::string& variable, double value, SourceLocation where = {});
  void SetUpperBound(const std::string& variable, double value, SourceLocation where = {});
  void SetStart(const std::string& variable, double value, SourceLocation where = {});
  void AddScenario(Scenario scenario) { scenarios_.push_back(std::move(scenario)); }
  // Puts `variable` in the named group. Groups are a hint for the block preconditioner of the "newton-krylov"
  // back end (docs/theory.md, "Block preconditioner"): variables that interact strongly (a region's markets and
  // activities, say) belong together. They never change the equations. A variable belongs to at most one group.
  void SetVariableGroup(const std::string& variable, const std::string& group, SourceLocation where = {});

  // Resolves names, checks the structure (unknown names, duplicates, nest cycles, empty nests, negative
  // elasticities, a sector without a block, ...) and compiles the evaluator's tables. Then checks the benchmark
  // (docs/model-format.md, "Benchmark checks"): a production block whose inputs are all 0 while its outputs are not
  // (or the reverse), or a consumer with income but no final demand, cannot be calibrated and is an error; a
  // benchmark that is not an equilibrium (a sector out of zero profit, a consumer spending other than its income, a
  // market that does not clear, a nest with nothing in it) is a warning, as MPSGE solves such data too. Lists every
  // problem and warning in `diagnostics` (if given); returns the first problem.
  Status Finalize(Diagnostics* diagnostics = nullptr);
  bool finalized() const { return compiled_ != nullptr; }
  // The warnings of the last Finalize (each names the file and line of the block, nest or commodity concerned).
  const std::vector<Status>& warnings() const { return warnings_; }
  // Whether Finalize checks the benchmark (on unless set off). A builder whose benchmark is balanced by construction
  // turns it off to save the pass (the multi-region builder: its data are checked first, and its benchmark is tested
  // to replicate at iteration zero); a model file written from such a model is checked when it is read.
  void SetBenchmarkCheck(bool on) { check_benchmark_ = on; }
  bool benchmark_check() const { return check_benchmark_; }

  // Checks a scenario against this (finalized) model: parameters, fixed and start variables must exist.
  Status CheckScenario(const Scenario& scenario) const;

  // ---- reading ----
  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }
  const std::vector<std::pair<std::string, double>>& parameters() const { return parameters_; }
  const std::vector<VariableInfo>& variables() const { return variables_; }
  int num_variables() const { return static_cast<int>(variables_.size()); }
  // Index of a variable by name, or -1.
  int VariableIndex(const std::string& name) const;
  // Index of a parameter by name, or -1.
  int ParameterIndex(const std::string& name) const;
  const std::vector<Production>& productions() const { return productions_; }
  const std::vector<Demand>& demands() const { return demands_; }
  const std::vector<AuxConstraint>& aux_constraints() const { return aux_constraints_; }
  const std::vector<Scenario>& scenarios() const { return scenarios_; }
  const Scenario* FindScenario(const std::string& name) const;
  const std::map<std::string, double>& start() const { return start_; }
  // Group names in order of first use, and each variable's group index into them (-1: none); valid after Finalize.
  const std::vector<std::string>& group_names() const { return group_names_; }
  const std::vector<int>& group_of_variable() const { return group_of_variable_; }

  // Internal: the compiled tables (valid after Finalize).
  const internal::CompiledModel& compiled() const { return *compiled_; }

 private:
  int AddVariable(const std::string& name, VariableKind kind, SourceLocation where);
  // The names the indexes below point at.
  auto VariableName() const {
    return [this](int i) -> const std::string& { return variables_[static_cast<size_t>(i)].name; };
  }
  auto ParameterName() const {
    return [this](int i) -> const std::string& { return parameters_[static_cast<size_t>(i)].first; };
  }
  void CheckScenarioNames(const Scenario& scenario, Diagnostics* diagnostics) const;
  // The benchmark checks of Finalize, on the compiled tables of a model without structural problems
  // (benchmark_check.cc): adds errors to `diagnostics` and warnings to it and to warnings_.
  void CheckBenchmark(const internal::CompiledModel& compiled, Diagnostics* diagnostics);

  std::string name_ = "model";
  std::string title_;
  std::vector<std::pair<std::string, double>> parameters_;
  std::vector<SourceLocation> parameter_where_;
  std::vector<VariableInfo> variables_;
  std::vector<SourceLocation> variable_where_;
  internal::NameIndex variable_index_;   // into variables_
  internal::NameIndex parameter_index_;  // into parameters_
  std::vector<Production> productions_;
  std::vector<Demand> demands_;
  std::vector<AuxConstraint> aux_constraints_;
  std::vector<Scenario> scenarios_;
  std::map<std::string, double> start_;
  struct BoundSpec {
    std::string variable;
    double value;
    bool upper;
    SourceLocation where;
  };
  std::vector<BoundSpec> bounds_;
  std::vector<std::pair<std::string, SourceLocation>> start_where_;
  // A SetVariableGroup call: the variable by index if it existed then, else by name (resolved by Finalize).
  struct GroupSpec {
    int variable = -1;
    std::string variable_name;  // only when `variable` is -1
    int group = -1;             // index into group_names_
    SourceLocation where;
  };
  int GroupIndex(const std::string& group);
  std::vector<GroupSpec> group_specs_;
  std::vector<std::string> group_names_;
  internal::NameIndex group_index_;  // into group_names_
  int last_group_ = -1;              // builders add a group's variables one after another
  std::vector<int> group_of_variable_;
  std::vector<Status> warnings_;
  bool check_benchmark_ = true;
  std::vector<std::string> duplicate_names_;
  std::vector<SourceLocation> duplicate_where_;
  std::shared_ptr<const internal::CompiledModel> compiled_;
};

}  // namespace lccge

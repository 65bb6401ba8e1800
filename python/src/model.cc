// lccge.Model (load, build in Python, finalize, save), its parts (Flow, Tax, Nest, Endowment), lccge.Scenario,
// solving (the GIL released) and lccge.Result.
#include "lccge/model/model.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::python {

namespace {

std::vector<std::string> KindNames(const Result& result) {
  std::vector<std::string> kinds;
  kinds.reserve(result.kinds.size());
  for (VariableKind k : result.kinds) kinds.emplace_back(VariableKindName(k));
  return kinds;
}

void RequireBuilding(const Model& model) {
  if (model.finalized()) {
    ThrowInvalid("model '" + model.name() +
                 "' is finalized: it can be solved but no longer changed (build it, then "
                 "finalize or solve)");
  }
}

// Model.add_sector(*names) and its siblings, over Model::AddSector and its siblings.
auto NameAdder(void (Model::*add)(const std::string&, SourceLocation)) {
  return [add](Model& model, const py::args& names) {
    RequireBuilding(model);
    for (py::handle name : names) (model.*add)(name.cast<std::string>(), SourceLocation{});
  };
}

// A flow from a Flow or a (commodity, quantity) pair.
Flow ToFlow(py::handle item, const std::string& what) {
  if (py::isinstance<Flow>(item)) return item.cast<Flow>();
  if (py::isinstance<py::tuple>(item) || py::isinstance<py::list>(item)) {
    py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
    if (pair.size() == 2 && py::isinstance<py::str>(pair[0])) {
      Flow flow;
      flow.commodity = pair[0].cast<std::string>();
      flow.quantity = ToExpression(pair[1], what + " quantity of '" + flow.commodity + "'");
      return flow;
    }
  }
  ThrowInvalid(what + ": expected an lccge.Flow or a (commodity, quantity) pair, not " +
               std::string(py::str(py::repr(item))));
}

std::vector<Flow> ToFlows(const py::iterable& items, const std::string& what) {
  std::vector<Flow> flows;
  for (py::handle item : items) flows.push_back(ToFlow(item, what));
  return flows;
}

std::vector<Endowment> ToEndowments(const py::iterable& items, const std::string& what) {
  std::vector<Endowment> endowments;
  for (py::handle item : items) {
    if (py::isinstance<Endowment>(item)) {
      endowments.push_back(item.cast<Endowment>());
      continue;
    }
    const Flow flow = ToFlow(item, what);  // the same (commodity, quantity) pair
    Endowment e;
    e.commodity = flow.commodity;
    e.quantity = flow.quantity;
    endowments.push_back(std::move(e));
  }
  return endowments;
}

// `value` as a T, or an InputError saying that `what` must be `expected`.
template <typename T>
T CastOr(py::handle value, const std::string& what, const char* expected) {
  try {
    return value.cast<T>();
  } catch (const py::cast_error&) {
    ThrowInvalid(what + " must be " + expected + ", not " + std::string(py::str(py::repr(value))));
  }
}

std::map<std::string, double> ToValues(const py::object& mapping, const char* what) {
  if (mapping.is_none()) return {};
  return CastOr<std::map<std::string, double>>(mapping, what, "a dict of names and numbers");
}

// `base` with the parameter values, fixed variables and start values of the dicts laid over it.
Scenario LayOver(Scenario base, const py::object& parameters, const py::object& fixed, const py::object& start) {
  for (const auto& [name, value] : ToValues(parameters, "parameters")) base.parameters[name] = value;
  for (const auto& [name, value] : ToValues(fixed, "fixed")) base.fixed[name] = value;
  for (const auto& [name, value] : ToValues(start, "start")) base.start[name] = value;
  return base;
}

// The scenario to solve: the model's first (or an empty one) for None, the named one for a string, a Scenario
// itself.
Scenario ChooseScenario(const Model& model, const py::object& scenario) {
  if (scenario.is_none()) return model.scenarios().empty() ? Scenario() : model.scenarios().front();
  if (py::isinstance<py::str>(scenario)) {
    const std::string name = scenario.cast<std::string>();
    const Scenario* found = model.FindScenario(name);
    if (found == nullptr) ThrowInvalid("model '" + model.name() + "' has no scenario named '" + name + "'");
    return *found;
  }
  return CastOr<Scenario>(scenario, "scenario", "None, a scenario's name or an lccge.Scenario");
}

void FinalizeOrThrow(Model* model) {
  if (model->finalized()) return;
  Diagnostics diagnostics;
  const Status s = model->Finalize(&diagnostics);
  ThrowIfError(s, &diagnostics);
}

Result SolveModel(Model& model, const py::object& scenario, const py::object& parameters, const py::object& fixed,
                  const std::string& method, double tolerance, int max_iterations, double max_seconds,
                  const py::object& warm_start) {
  FinalizeOrThrow(&model);
  Result result;
  result.scenario = LayOver(ChooseScenario(model, scenario), parameters, fixed, py::none());
  Solver::Options options;
  options.method = method;
  options.tolerance = tolerance;
  options.max_iterations = max_iterations;
  options.max_seconds = max_seconds;
  if (py::isinstance<Result>(warm_start)) {
    options.warm_start = warm_start.cast<const Result&>().values;
  } else if (!warm_start.is_none()) {
    options.warm_start = CastOr<std::vector<double>>(warm_start, "warm_start", "an lccge.Result or a list of numbers");
  }
  if (std::string why; !options.IsValid(&why)) ThrowInvalid("invalid solver option: " + why);
  Solution solution;
  Status s;
  {
    py::gil_scoped_release release;  // the model is finalized: nothing in Python can change it meanwhile
    s = lccge::Solve(model, result.scenario, options, &solution, &result.summary);
  }
  ThrowIfError(s);
  result.values = std::move(solution.values);
  result.reports = std::move(solution.reports);
  result.names.reserve(model.variables().size());
  for (const VariableInfo& v : model.variables()) {
    result.names.push_back(v.name);
    result.kinds.push_back(v.kind);
  }
  return result;
}

std::vector<std::string> NamesOfKind(const Model& model, VariableKind kind) {
  std::vector<std::string> names;
  for (const VariableInfo& v : model.variables())
    if (v.kind == kind) names.push_back(v.name);
  return names;
}

Nest MakeNest(const std::string& name, py::handle elasticity, const std::string& parent) {
  Nest nest;
  nest.name = name;
  nest.parent = parent;
  nest.elasticity = ToExpression(elasticity, "nest '" + name + "' elasticity");
  return nest;
}

void BindParts(py::module_& m) {
  py::class_<Tax>(m, "Tax", "An ad valorem tax on a flow, its revenue to a consumer.")
      .def(py::init([](const std::string& agent, py::handle rate) {
             Tax tax;
             tax.agent = agent;
             tax.rate = ToExpression(rate, "tax rate");
             return tax;
           }),
           py::arg("agent"), py::arg("rate"),
           "Tax(agent, rate)\n\nA tax whose revenue goes to consumer `agent`; rate a number or an expression; inputs "
           "pay p*(1+rate), outputs receive p*(1-rate).")
      .def_readonly("agent", &Tax::agent, "The consumer receiving the revenue.")
      .def_property_readonly(
          "rate", [](const Tax& t) { return FromExpression(t.rate); }, "The rate: a float, or an expression's text.")
      .def("__repr__", [](const Tax& t) { return "lccge.Tax('" + t.agent + "', " + t.rate.text() + ")"; });

  py::class_<Flow>(m, "Flow", "An input, output or final demand of a commodity, in benchmark quantities.")
      .def(py::init([](const std::string& commodity, py::handle quantity, py::handle reference_price,
                       std::vector<Tax> taxes, const std::string& nest) {
             Flow flow;
             flow.commodity = commodity;
             flow.quantity = ToExpression(quantity, "quantity of '" + commodity + "'");
             flow.reference_price = ToExpression(reference_price, "reference price of '" + commodity + "'");
             flow.taxes = std::move(taxes);
             flow.nest = nest;
             return flow;
           }),
           py::arg("commodity"), py::arg("quantity"), py::arg("reference_price") = 1.0,
           py::arg("taxes") = std::vector<Tax>(), py::arg("nest") = "",
           "Flow(commodity, quantity, reference_price=1.0, taxes=[], nest='')\n\nThe quantity per unit of activity (or "
           "of "
           "utility) is a number or an expression; `nest` the parent nest ('' = the top nest). Where a list of flows "
           "is asked for, a (commodity, quantity) pair stands for Flow(commodity, quantity).")
      .def_readonly("commodity", &Flow::commodity, "The commodity.")
      .def_property_readonly(
          "quantity", [](const Flow& f) { return FromExpression(f.quantity); }, "Benchmark quantity.")
      .def_property_readonly(
          "reference_price", [](const Flow& f) { return FromExpression(f.reference_price); },
          "Benchmark gross (inputs) or net (outputs) price.")
      .def_readonly("taxes", &Flow::taxes, "Taxes on the flow.")
      .def_readonly("nest", &Flow::nest, "Parent nest ('' = the top nest).")
      .def("__repr__", [](const Flow& f) { return "lccge.Flow('" + f.commodity + "', " + f.quantity.text() + ")"; });

  py::class_<Nest>(m, "Nest", "A nest of a CES (inputs, final demand) or CET (outputs) tree.")
      .def(py::init(&MakeNest), py::arg("name"), py::arg("elasticity"), py::arg("parent") = "top",
           "Nest(name, elasticity, parent='top')\n\nA nest under `parent`; flows name it as their `nest`.")
      .def_readonly("name", &Nest::name, "The nest's name.")
      .def_readonly("parent", &Nest::parent, "'top' or another nest of the same tree.")
      .def_property_readonly(
          "elasticity", [](const Nest& n) { return FromExpression(n.elasticity); },
          "Elasticity of substitution (or transformation): a float or an expression's text.")
      .def("__repr__", [](const Nest& n) {
        return "lccge.Nest('" + n.name + "', " + n.elasticity.text() + ", parent='" + n.parent + "')";
      });

  py::class_<Endowment>(m, "Endowment", "A consumer's endowment of a commodity.")
      .def(py::init([](const std::string& commodity, py::handle quantity) {
             Endowment e;
             e.commodity = commodity;
             e.quantity = ToExpression(quantity, "endowment of '" + commodity + "'");
             return e;
           }),
           py::arg("commodity"), py::arg("quantity"),
           "Endowment(commodity, quantity)\n\nThe quantity is a number or an expression (it may be negative and may "
           "name "
           "variables). A (commodity, quantity) pair stands for it in Model.add_demand.")
      .def_readonly("commodity", &Endowment::commodity, "The commodity.")
      .def_property_readonly(
          "quantity", [](const Endowment& e) { return FromExpression(e.quantity); }, "The quantity.");

  py::class_<Scenario>(m, "Scenario",
                       "A scenario: parameter values, fixed variables and start values laid over the model's own; "
                       "`expected` holds the published solution where a model file gives one.")
      .def(py::init([](const std::string& name, const py::object& parameters, const py::object& fixed,
                       const py::object& start) {
             Scenario s;
             s.name = name;
             return LayOver(std::move(s), parameters, fixed, start);
           }),
           py::arg("name"), py::arg("parameters") = py::none(), py::arg("fixed") = py::none(),
           py::arg("start") = py::none(),
           "Scenario(name, parameters=None, fixed=None, start=None)\n\nparameters, fixed and start: dicts of name -> "
           "value.")
      .def_readonly("name", &Scenario::name, "The scenario's name.")
      .def_readonly("parameters", &Scenario::parameters, "Parameter values set by the scenario.")
      .def_readonly("fixed", &Scenario::fixed, "Variables fixed by the scenario (e.g. the numeraire).")
      .def_readonly("start", &Scenario::start, "Start values.")
      .def_readonly("expected", &Scenario::expected,
                    "Published solution values (variables and report keys) given with the scenario, if any.")
      .def("__repr__", [](const Scenario& s) { return "<lccge.Scenario '" + s.name + "'>"; });
}

void BindResult(py::module_& m) {
  py::class_<Result>(m, "Result",
                     "The outcome of Model.solve: whether an equilibrium was found, the summary figures, the values "
                     "of the variables and the reports.")
      .def_property_readonly(
          "status", [](const Result& r) { return TerminationName(r.summary.termination); },
          "\"converged\" (an equilibrium), \"no_convergence\" (iteration or time limit), \"failure\" (the method "
          "stalled) or \"not_run\".")
      .def_property_readonly(
          "converged", [](const Result& r) { return r.summary.converged(); }, "Whether an equilibrium was found.")
      .def_property_readonly(
          "iterations", [](const Result& r) { return r.summary.iterations; }, "Iterations of the solver.")
      .def_property_readonly(
          "max_residual", [](const Result& r) { return r.summary.max_residual; },
          "Largest scaled residual at the returned point.")
      .def_property_readonly(
          "walras_residual", [](const Result& r) { return r.summary.walras_residual; },
          "Walras' law check |sum_i p_i excess_i - sum_h (M_h - income_h)| / scale (~1e-12 at an equilibrium).")
      .def_property_readonly(
          "seconds", [](const Result& r) { return r.summary.total_seconds; }, "Wall-clock seconds of the solve.")
      .def_property_readonly(
          "method", [](const Result& r) { return r.summary.method; }, "The back end that ran, e.g. newton-krylov.")
      .def_property_readonly(
          "message", [](const Result& r) { return r.summary.message; }, "The solver's message.")
      .def_readonly("scenario", &Result::scenario, "The scenario solved (an lccge.Scenario).")
      .def_readonly("names", &Result::names, "Variable names, in the order of `array`.")
      .def_property_readonly("kinds", &KindNames,
                             "Kind of each variable: \"sector\", \"commodity\", \"consumer\" or \"auxiliary\".")
      .def_property_readonly(
          "values",
          [](const Result& r) {
            py::dict values;
            for (size_t i = 0; i < r.values.size(); ++i) values[py::str(r.names[i])] = r.values[i];
            return values;
          },
          "Variable values as a dict name -> value (in the model's order).")
      .def_property_readonly(
          "array",
          [](const Result& r) {
            return py::array_t<double>(static_cast<py::ssize_t>(r.values.size()), r.values.data());
          },
          "Variable values as a numpy array of float64, shape (number of variables,), in the order of `names`.")
      .def_readonly("reports", &Result::reports,
                    "Reports at the solution, a dict: \"S:in:C\" (demand for C per unit of activity of S), "
                    "\"S:out:C\" (supply per unit of activity), \"H:fd:C\" (final demand of consumer H for C).")
      .def(
          "to_frame",
          [](const Result& r) {
            py::module_ pandas = py::module_::import("pandas");
            py::dict columns;
            columns["kind"] = KindNames(r);
            columns["value"] = py::array_t<double>(static_cast<py::ssize_t>(r.values.size()), r.values.data());
            py::object index = pandas.attr("Index")(r.names, py::arg("name") = "variable");
            return pandas.attr("DataFrame")(columns, py::arg("index") = index);
          },
          "to_frame() -> pandas.DataFrame\n\nThe values indexed by variable name, with columns `kind` and `value` "
          "(needs "
          "pandas).")
      .def(
          "brief_report", [](const Result& r) { return r.summary.BriefReport(); },
          "brief_report() -> str\n\nA one-line summary.")
      .def(
          "full_report", [](const Result& r) { return r.summary.FullReport(); },
          "full_report() -> str\n\nEvery figure of the solve: sizes, iterations, residual history, times.")
      .def("__repr__", [](const Result& r) {
        return "<lccge.Result scenario '" + r.scenario.name + "': " + r.summary.BriefReport() + ">";
      });
}

}  // namespace

void BindModel(py::module_& m) {
  BindParts(m);
  BindResult(m);

  py::class_<Model>(m, "Model",
                    "An MPSGE-style equilibrium model: sectors (activity levels), commodities (prices), consumers "
                    "(incomes), auxiliary variables; production blocks with nested CES inputs and CET outputs in "
                    "calibrated share form; consumers with endowments and nested final demand (docs/theory.md).\n\n"
                    "Load one (Model.load) or build one: add its parts, then solve (which finalizes it; a finalized "
                    "model can no longer be changed).")
      .def(py::init<std::string>(), py::arg("name") = "model", "Model(name='model')\n\nAn empty model to build.")
      .def_static(
          "load",
          [](const py::object& path) {
            Model model;
            Diagnostics diagnostics;
            const Status s = io::LoadModelOrData(PathOf(path), &model, &diagnostics);
            ThrowIfError(s, &diagnostics);
            return model;
          },
          py::arg("path"),
          "Model.load(path)\n\nA model file (YAML or JSON, docs/model-format.md), or a data folder whose standard "
          "multi-region model is built in memory (docs/multi-region.md). Raises lccge.FileError when the file "
          "cannot be read and lccge.InputError naming the file, line and cause of the first problem.")
      .def(
          "save", [](const Model& model, const py::object& path) { ThrowIfError(io::SaveModel(model, PathOf(path))); },
          py::arg("path"), "save(path)\n\nWrites the model as a YAML model file (atomically).")
      .def_property(
          "name", &Model::name,
          [](Model& model, std::string name) {
            RequireBuilding(model);
            model.SetName(std::move(name));
          },
          "The model's name.")
      .def_property(
          "title", &Model::title,
          [](Model& model, std::string title) {
            RequireBuilding(model);
            model.SetTitle(std::move(title));
          },
          "A one-line description.")
      .def_property_readonly(
          "parameters",
          [](const Model& model) {
            py::dict parameters;
            for (const auto& [name, value] : model.parameters()) parameters[py::str(name)] = value;
            return parameters;
          },
          "Parameters and their values in the model, a dict (scenarios and Model.solve(parameters=...) set others).")
      .def_property_readonly(
          "variables",
          [](const Model& model) {
            std::vector<std::string> names;
            for (const VariableInfo& v : model.variables()) names.push_back(v.name);
            return names;
          },
          "Names of all variables, in the order of Result.array.")
      .def_property_readonly(
          "sectors", [](const Model& model) { return NamesOfKind(model, VariableKind::kSector); },
          "Sectors (their activity levels are variables).")
      .def_property_readonly(
          "commodities", [](const Model& model) { return NamesOfKind(model, VariableKind::kCommodity); },
          "Commodities (their prices are variables).")
      .def_property_readonly(
          "consumers", [](const Model& model) { return NamesOfKind(model, VariableKind::kConsumer); },
          "Consumers (their incomes are variables).")
      .def_property_readonly(
          "auxiliaries", [](const Model& model) { return NamesOfKind(model, VariableKind::kAuxiliary); },
          "Auxiliary variables.")
      .def_property_readonly(
          "scenarios",
          [](const Model& model) {
            std::vector<std::string> names;
            for (const Scenario& s : model.scenarios()) names.push_back(s.name);
            return names;
          },
          "Names of the model's scenarios.")
      .def(
          "scenario",
          [](const Model& model, const std::string& name) {
            const Scenario* s = model.FindScenario(name);
            if (s == nullptr) ThrowInvalid("model '" + model.name() + "' has no scenario named '" + name + "'");
            return *s;
          },
          py::arg("name"),
          "scenario(name) -> lccge.Scenario\n\nThe scenario of that name; lccge.InputError when there is none.")
      .def_property_readonly("finalized", &Model::finalized, "Whether the model is finalized (no longer changes).")
      // ---- building ----
      .def(
          "add_parameter",
          [](Model& model, const std::string& name, double value) {
            RequireBuilding(model);
            model.AddParameter(name, value);
          },
          py::arg("name"), py::arg("value"),
          "add_parameter(name, value)\n\nAdds a parameter that expressions may name.")
      .def("add_sector", NameAdder(&Model::AddSector), "add_sector(*names)\n\nAdds sectors (activity levels).")
      .def("add_commodity", NameAdder(&Model::AddCommodity), "add_commodity(*names)\n\nAdds commodities (prices).")
      .def("add_consumer", NameAdder(&Model::AddConsumer), "add_consumer(*names)\n\nAdds consumers (incomes).")
      .def("add_auxiliary", NameAdder(&Model::AddAuxiliary),
           "add_auxiliary(*names)\n\nAdds auxiliary variables (each needs an aux constraint).")
      .def(
          "add_production",
          [](Model& model, const std::string& sector, const py::iterable& outputs, const py::iterable& inputs,
             py::handle s, py::handle t, std::vector<Nest> input_nests, std::vector<Nest> output_nests) {
            RequireBuilding(model);
            Production block;
            block.sector = sector;
            const std::string what = "sector '" + sector + "'";
            block.outputs = ToFlows(outputs, what + " output");
            block.inputs = ToFlows(inputs, what + " input");
            block.input_elasticity = ToExpression(s, what + " s");
            block.output_elasticity = ToExpression(t, what + " t");
            block.input_nests = std::move(input_nests);
            block.output_nests = std::move(output_nests);
            model.AddProduction(std::move(block));
          },
          py::arg("sector"), py::arg("outputs"), py::arg("inputs"), py::arg("s") = 0.0, py::arg("t") = 0.0,
          py::arg("input_nests") = std::vector<Nest>(), py::arg("output_nests") = std::vector<Nest>(),
          "add_production(sector, outputs, inputs, s=0.0, t=0.0, input_nests=[], output_nests=[])\n\nThe production "
          "block of a sector. outputs and inputs are lists of lccge.Flow or (commodity, quantity) pairs; s is the "
          "elasticity of substitution of the top input nest (0 Leontief, 1 Cobb-Douglas), t the elasticity of "
          "transformation of the top output nest; the nests are lccge.Nest objects that flows name.")
      .def(
          "add_demand",
          [](Model& model, const std::string& consumer, const py::iterable& final_demands,
             const py::iterable& endowments, py::handle elasticity, std::vector<Nest> nests) {
            RequireBuilding(model);
            Demand block;
            block.consumer = consumer;
            const std::string what = "consumer '" + consumer + "'";
            block.final_demands = ToFlows(final_demands, what + " final demand");
            block.endowments = ToEndowments(endowments, what + " endowment");
            block.elasticity = ToExpression(elasticity, what + " elasticity");
            block.nests = std::move(nests);
            model.AddDemand(std::move(block));
          },
          py::arg("consumer"), py::arg("final_demands"), py::arg("endowments") = py::list(),
          py::arg("elasticity") = 1.0, py::arg("nests") = std::vector<Nest>(),
          "add_demand(consumer, final_demands, endowments=[], elasticity=1.0, nests=[])\n\nA consumer's demand "
          "block. final_demands are lccge.Flow or (commodity, quantity) pairs, endowments lccge.Endowment or "
          "(commodity, quantity) pairs (quantities may be expressions such as '70*endow').")
      .def(
          "add_aux_constraint",
          [](Model& model, const std::string& aux, py::handle expression, bool complementarity) {
            RequireBuilding(model);
            AuxConstraint c;
            c.aux = aux;
            c.expr = ToExpression(expression, "constraint of '" + aux + "'");
            c.type = complementarity ? AuxConstraintType::kComplementarity : AuxConstraintType::kEquation;
            model.AddAuxConstraint(std::move(c));
          },
          py::arg("aux"), py::arg("expression"), py::arg("complementarity") = false,
          "add_aux_constraint(aux, expression, complementarity=False)\n\nThe constraint expression = 0 with `aux` "
          "free, or, with "
          "complementarity, expression >= 0 perpendicular to aux >= 0.")
      .def(
          "set_bounds",
          [](Model& model, const std::string& variable, const py::object& lower, const py::object& upper) {
            RequireBuilding(model);
            if (!lower.is_none()) model.SetLowerBound(variable, lower.cast<double>());
            if (!upper.is_none()) model.SetUpperBound(variable, upper.cast<double>());
          },
          py::arg("variable"), py::arg("lower") = py::none(), py::arg("upper") = py::none(),
          "set_bounds(variable, lower=None, upper=None)\n\nSets a variable's lower and/or upper bound.")
      .def(
          "set_start",
          [](Model& model, const std::string& variable, double value) {
            RequireBuilding(model);
            model.SetStart(variable, value);
          },
          py::arg("variable"), py::arg("value"),
          "set_start(variable, value)\n\nSets a variable's start value (default 1, incomes their benchmark).")
      .def(
          "set_variable_group",
          [](Model& model, const std::string& variable, const std::string& group) {
            RequireBuilding(model);
            model.SetVariableGroup(variable, group);
          },
          py::arg("variable"), py::arg("group"),
          "set_variable_group(variable, group)\n\nPuts a variable in a group, a block of the newton-krylov "
          "preconditioner.")
      .def(
          "add_scenario",
          [](Model& model, const py::object& scenario, const py::object& parameters, const py::object& fixed,
             const py::object& start) {
            RequireBuilding(model);
            Scenario s;
            if (py::isinstance<Scenario>(scenario)) {
              s = scenario.cast<Scenario>();
            } else {
              s.name = CastOr<std::string>(scenario, "scenario", "a name or an lccge.Scenario");
            }
            model.AddScenario(LayOver(std::move(s), parameters, fixed, start));
          },
          py::arg("scenario"), py::arg("parameters") = py::none(), py::arg("fixed") = py::none(),
          py::arg("start") = py::none(),
          "add_scenario(scenario, parameters=None, fixed=None, start=None)\n\nA named scenario (a name or an "
          "lccge.Scenario), with parameter values, fixed variables and start values as dicts.")
      .def(
          "finalize", [](Model& model) { FinalizeOrThrow(&model); },
          "finalize()\n\nChecks the model (unknown names, duplicates, nest cycles, ...) and compiles it. Raises "
          "lccge.InputError "
          "with the first problem (its `problems` attribute lists them all). Model.solve calls it when needed.")
      // ---- solving ----
      .def("solve", &SolveModel, py::arg("scenario") = py::none(), py::kw_only(), py::arg("parameters") = py::none(),
           py::arg("fixed") = py::none(), py::arg("method") = "auto", py::arg("tolerance") = 1e-10,
           py::arg("max_iterations") = 200, py::arg("max_seconds") = 600.0, py::arg("warm_start") = py::none(),
           "solve(scenario=None, *, parameters=None, fixed=None, method='auto', tolerance=1e-10, "
           "max_iterations=200, max_seconds=600.0, warm_start=None) -> lccge.Result\n\n"
           "Solves the model (finalizing it first if needed) under a scenario: None for the model's first, a name, "
           "or an lccge.Scenario; `parameters` and `fixed` (dicts) are laid over it, e.g. a shock "
           "parameters={'endow': 1.1}. method: 'auto' (newton-krylov, then ceres, then continuation), "
           "'newton-krylov', 'newton-lu' or 'ceres'. tolerance: converged when the largest scaled residual is below "
           "it. warm_start: a previous lccge.Result or one value per variable. Releases the GIL while it solves, so "
           "threads may solve one model under several scenarios at once.\n\n"
           "Whether an equilibrium was found is Result.status; an invalid call (unknown scenario or name, invalid "
           "option) raises lccge.InputError.")
      .def("__repr__", [](const Model& model) {
        return "<lccge.Model '" + model.name() + "': " + std::to_string(model.num_variables()) + " variables, " +
               std::to_string(model.scenarios().size()) + " scenarios" + (model.finalized() ? "" : ", not finalized") +
               ">";
      });
}

}  // namespace lccge::python

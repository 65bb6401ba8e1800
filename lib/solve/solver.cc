#include "lccge/solve/solver.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "lccge/mcp/system.hpp"
#include "model/compiled_model.hpp"
#include "solve/reformulation.hpp"

namespace lccge {

const char* TerminationName(TerminationType t) {
  switch (t) {
    case TerminationType::kConverged:
      return "converged";
    case TerminationType::kNoConvergence:
      return "no_convergence";
    case TerminationType::kFailure:
      return "failure";
    case TerminationType::kNotRun:
      return "not_run";
  }
  return "unknown";
}

bool Solver::Options::IsValid(std::string* error) const {
  auto fail = [&](const std::string& e) {
    if (error) *error = e;
    return false;
  };
  if (method != "auto" && method != "ceres" && method != "newton-lu" && method != "newton-krylov")
    return fail("method must be 'auto', 'ceres', 'newton-lu' or 'newton-krylov', not '" + method + "'");
  if (krylov_restart < 1) return fail("krylov_restart must be >= 1");
  if (krylov_max_iterations < 1) return fail("krylov_max_iterations must be >= 1");
  if (trust_region != "levenberg_marquardt" && trust_region != "dogleg")
    return fail("trust_region must be 'levenberg_marquardt' or 'dogleg'");
  if (linear_solver != "auto" && linear_solver != "dense_qr" && linear_solver != "sparse_normal_cholesky")
    return fail("linear_solver must be 'auto', 'dense_qr' or 'sparse_normal_cholesky'");
  if (sparse_library != "eigen" && sparse_library != "suite_sparse")
    return fail("sparse_library must be 'eigen' or 'suite_sparse'");
  if (!(tolerance > 0) || !std::isfinite(tolerance)) return fail("tolerance must be positive");
  if (max_iterations < 0) return fail("max_iterations must be >= 0");
  if (!(max_seconds > 0)) return fail("max_seconds must be positive");
  if (!(smoothing_start >= 0) || !std::isfinite(smoothing_start)) return fail("smoothing_start must be >= 0");
  if (num_threads < 1) return fail("num_threads must be >= 1");
  if (!(jacobian_reuse_ratio >= 0 && jacobian_reuse_ratio < 1)) return fail("jacobian_reuse_ratio must be in [0, 1)");
  if (dense_threshold < 0) return fail("dense_threshold must be >= 0");
  return true;
}

std::string Solver::Summary::BriefReport() const {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer),
                "lccge %s: %s, %d iterations, %d evaluations, max|F| %.3e -> %.3e, %d unknowns, %.3f s", method.c_str(),
                TerminationName(termination), iterations, evaluations, initial_max_residual, max_residual, unknowns,
                total_seconds);
  return buffer;
}

std::string Solver::Summary::FullReport() const {
  std::ostringstream out;
  out << "lccge solver report\n";
  out << "  method                 " << method << "\n";
  out << "  termination            " << TerminationName(termination) << " (" << message << ")\n";
  out << "  unknowns / equations   " << unknowns << " / " << equations << "\n";
  out << "  Jacobian nonzeros      " << jacobian_nonzeros << "\n";
  out << "  iterations             " << iterations << "\n";
  out << "  evaluations            " << evaluations << "\n";
  char line[256];
  std::snprintf(line, sizeof(line), "  max |F| scaled         %.3e -> %.3e\n", initial_max_residual, max_residual);
  out << line;
  std::snprintf(line, sizeof(line), "  max |F| unscaled       %.3e\n", max_residual_unscaled);
  out << line;
  if (walras_residual >= 0) {
    std::snprintf(line, sizeof(line), "  dropped conditions     %.3e (Walras' law)\n", walras_residual);
    out << line;
  }
  std::snprintf(line, sizeof(line), "  time: setup %.3f s, evaluation %.3f s, linear algebra %.3f s, total %.3f s\n",
                setup_seconds, evaluation_seconds, linear_solver_seconds, total_seconds);
  out << line;
  if (continuation_steps > 0) {
    std::snprintf(line, sizeof(line), "  continuation solves: %d\n", continuation_steps);
    out << line;
  }
  if (gradient_steps > 0) {
    std::snprintf(line, sizeof(line), "  Levenberg-Marquardt steps where Newton's failed: %d\n", gradient_steps);
    out << line;
  }
  if (method.find("newton-krylov") != std::string::npos) {
    std::snprintf(line, sizeof(line), "  GMRES: %d iterations, %d diagonal blocks, %d fallbacks to full LU\n",
                  linear_iterations, linear_blocks, linear_fallbacks);
    out << line;
  }
  if (!inactive.empty()) {
    out << "  at a bound (inequality binding):";
    for (const auto& name : inactive) out << " " << name;
    out << "\n";
  }
  for (const IterationRecord& r : history) {
    std::snprintf(line, sizeof(line), "    iteration %4d  max|F| %.3e  %.3f s\n", r.iteration, r.max_residual,
                  r.seconds);
    out << line;
  }
  return out.str();
}

namespace {

Status ReportsFrom(mcp::System& system, const std::vector<double>& values, std::map<std::string, double>* reports) {
  mcp::System::LeafQuantities q;
  if (!system.ComputeLeafQuantities(values, &q)) return Status::Failed("reports are not finite at these values");
  const Model& model = system.model();
  const auto& vars = model.variables();
  const auto& cm = model.compiled();
  reports->clear();
  for (size_t j = 0; j < cm.productions.size(); ++j) {
    const auto& p = cm.productions[j];
    const std::string& sector = vars[static_cast<size_t>(p.sector)].name;
    for (size_t k = 0; k < p.inputs.leaves.size(); ++k)
      (*reports)[sector + ":in:" + vars[static_cast<size_t>(p.inputs.leaves[k].commodity)].name] +=
          q.production_inputs[j][k];
    for (size_t k = 0; k < p.outputs.leaves.size(); ++k)
      (*reports)[sector + ":out:" + vars[static_cast<size_t>(p.outputs.leaves[k].commodity)].name] +=
          q.production_outputs[j][k];
  }
  for (size_t h = 0; h < cm.demands.size(); ++h) {
    const auto& d = cm.demands[h];
    const std::string& consumer = vars[static_cast<size_t>(d.consumer)].name;
    for (size_t k = 0; k < d.final_demand.leaves.size(); ++k)
      (*reports)[consumer + ":fd:" + vars[static_cast<size_t>(d.final_demand.leaves[k].commodity)].name] +=
          q.final_demands[h][k];
  }
  return Status::Ok();
}

}  // namespace

Status ComputeReports(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                      std::map<std::string, double>* reports) {
  std::unique_ptr<mcp::System> system;
  Status s = mcp::System::Create(model, scenario, &system);
  if (!s.ok()) return s;
  if (values.size() != static_cast<size_t>(model.num_variables()))
    return Status::Invalid("expected " + std::to_string(model.num_variables()) + " values");
  return ReportsFrom(*system, values, reports);
}

namespace internal {

Status PrepareSolve(const Model& model, const Scenario& scenario, const Solver::Options& options,
                    std::unique_ptr<mcp::System>* system, std::vector<double>* x0, Solver::Summary* summary) {
  std::string error;
  if (!options.IsValid(&error)) return Status::Invalid("invalid solver options: " + error);
  Status s = mcp::System::Create(model, scenario, system);
  if (!s.ok()) return s;
  summary->unknowns = (*system)->num_unknowns();
  summary->equations = summary->unknowns;
  summary->jacobian_nonzeros = (*system)->num_nonzeros();
  return (*system)->InitialUnknowns(options.warm_start, x0);
}

}  // namespace internal

namespace {

// Where the continuation path got to (Options::continuation; docs/theory.md, "Continuation").
struct ContinuationOutcome {
  bool reached = false;        // the scenario itself solved, at the end of the path
  std::vector<double> values;  // then its solution (every model variable)
  int steps = 0;               // solves along the path, failed ones included
  int iterations = 0;
  int evaluations = 0;
  double evaluation_seconds = 0;
  double linear_solver_seconds = 0;
};

// Solves `scenario` with each of its parameters at base + lambda (target - base), base the model's value, for
// lambda rising from 0 to 1: the first step a quarter, halved after a solve that fails, doubled after one that
// converges; each solve (newton-krylov, at most 50 iterations) starts from the last solution. Gives up below a step
// of 1/1024 or past options.max_seconds since `start`.
ContinuationOutcome Continue(const Model& model, const Scenario& scenario, const Solver::Options& options,
                             internal::Clock::time_point start) {
  ContinuationOutcome out;
  struct Moving {
    std::string name;
    double base, target;
  };
  std::vector<Moving> moving;
  for (const auto& [name, target] : scenario.parameters) {
    const int p = model.ParameterIndex(name);
    if (p < 0) continue;
    const double base = model.parameters()[static_cast<size_t>(p)].second;
    if (base != target) moving.push_back({name, base, target});
  }
  if (moving.empty()) return out;  // the scenario's parameters are the model's: no path to follow
  constexpr double kSmallestStep = 1.0 / 1024;
  constexpr int kStepIterations = 50;
  Solver::Options inner = options;
  inner.method = "newton-krylov";  // near the last solution Newton converges in a few steps, or the step is too long
  inner.max_iterations = std::min(options.max_iterations, kStepIterations);
  inner.continuation = false;
  inner.log_progress = false;
  Scenario on_path = scenario;
  double lambda = 0, step = 0.25;
  while (lambda < 1) {
    const double remaining = options.max_seconds - internal::SecondsSince(start);
    if (remaining <= 0) break;
    const double next = std::min(1.0, lambda + step);
    for (const Moving& m : moving)
      on_path.parameters[m.name] = next == 1.0 ? m.target : m.base + next * (m.target - m.base);
    inner.max_seconds = remaining;
    Solution solution;
    Solver::Summary summary;
    if (!Solve(model, on_path, inner, &solution, &summary).ok()) break;
    ++out.steps;
    out.iterations += summary.iterations;
    out.evaluations += summary.evaluations;
    out.evaluation_seconds += summary.evaluation_seconds;
    out.linear_solver_seconds += summary.linear_solver_seconds;
    if (summary.converged()) {
      lambda = next;
      inner.warm_start = std::move(solution.values);
      step = std::min(2 * step, 1.0);
    } else if ((step /= 2) < kSmallestStep) {
      break;
    }
  }
  if (lambda == 1.0) {
    out.reached = true;
    out.values = std::move(inner.warm_start);
  }
  return out;
}

}  // namespace

Status Solve(const Model& model, const Scenario& scenario, const Solver::Options& options, Solution* solution,
             Solver::Summary* summary) {
  const auto t0 = internal::Clock::now();
  *summary = Solver::Summary();
  summary->method = options.method;
  std::unique_ptr<mcp::System> system;
  std::vector<double> x0;
  Status s = internal::PrepareSolve(model, scenario, options, &system, &x0, summary);
  if (!s.ok()) return s;
  const int n = system->num_unknowns();

  internal::Reformulation phi(system.get());
  std::vector<double> value(static_cast<size_t>(n));
  const bool finite = phi.Evaluate(x0.data(), value.data(), nullptr);
  summary->initial_max_residual = internal::Reformulation::MaxAbs(value.data(), n);
  summary->setup_seconds = internal::SecondsSince(t0);

  internal::BackendResult result;
  result.x = x0;
  int continuation_evaluations = 0;  // of the solves along a continuation path (their own systems)
  double continuation_evaluation_seconds = 0;
  if (finite && summary->initial_max_residual <= options.tolerance) {
    // A calibrated model at its benchmark: nothing to do.
    result.termination = TerminationType::kConverged;
    result.message = "the start point is an equilibrium";
  } else if (n > 0) {
    auto run_one = [&](const std::vector<double>& from, const Solver::Options& o, internal::BackendResult* out) {
      if (o.method == "newton-lu" || o.method == "newton-krylov")
        internal::SolveWithNewton(phi, from, o, out);
      else
        internal::SolveWithCeres(phi, from, o, out);
    };
    auto run = [&](const std::vector<double>& from, Solver::Options o) {
      if (o.method != "auto") {
        run_one(from, o, &result);
        return;
      }
      // auto: newton-krylov, and if it fails, Ceres's trust region from the same start; the better point is kept.
      o.method = "newton-krylov";
      run_one(from, o, &result);
      summary->method = "auto: newton-krylov";
      if (result.termination == TerminationType::kConverged) return;
      internal::BackendResult second;
      o.method = "ceres";
      run_one(from, o, &second);
      summary->method = "auto: newton-krylov, then ceres";
      std::vector<double> a(static_cast<size_t>(n)), b(static_cast<size_t>(n));
      const bool a_ok = phi.Evaluate(result.x.data(), a.data(), nullptr);
      const bool b_ok = phi.Evaluate(second.x.data(), b.data(), nullptr);
      const int all_iterations = result.iterations + second.iterations;
      if (second.termination == TerminationType::kConverged || !a_ok ||
          (b_ok && internal::Reformulation::MaxAbs(b.data(), n) < internal::Reformulation::MaxAbs(a.data(), n))) {
        auto history = result.history;
        const double linear_seconds = result.linear_solver_seconds;
        result = std::move(second);
        history.insert(history.end(), result.history.begin(), result.history.end());
        result.history = std::move(history);
        result.linear_solver_seconds += linear_seconds;
      }
      result.iterations = all_iterations;
    };
    if (options.smoothing_start > 0) {
      Solver::Options smooth = options;
      smooth.tolerance = std::max(options.tolerance, std::sqrt(options.smoothing_start));
      phi.set_smoothing(options.smoothing_start);
      run(x0, smooth);
      phi.set_smoothing(0.0);
      const int first_iterations = result.iterations;
      auto history = result.history;
      run(result.x, options);
      result.iterations += first_iterations;
      history.insert(history.end(), result.history.begin(), result.history.end());
      result.history = history;
    } else {
      run(x0, options);
    }
    if (result.termination != TerminationType::kConverged && options.method == "auto" && options.continuation) {
      const ContinuationOutcome path = Continue(model, scenario, options, t0);
      summary->continuation_steps = path.steps;
      continuation_evaluations = path.evaluations;
      continuation_evaluation_seconds = path.evaluation_seconds;
      result.linear_solver_seconds += path.linear_solver_seconds;
      result.iterations += path.iterations;
      if (path.reached) {
        // The path ends at this scenario's solution; confirm it on this system (no iteration when it holds).
        std::vector<double> x(static_cast<size_t>(n));
        system->Restrict(path.values, x.data());
        Solver::Options confirm = options;
        confirm.method = "newton-krylov";
        internal::BackendResult confirmed;
        run_one(x, confirm, &confirmed);
        if (confirmed.termination == TerminationType::kConverged) {
          confirmed.iterations += result.iterations;
          confirmed.linear_solver_seconds += result.linear_solver_seconds;
          confirmed.gradient_steps += result.gradient_steps;
          result = std::move(confirmed);
          result.message = "converged by continuation in " + std::to_string(path.steps) + " steps";
        }
      }
      if (path.steps > 0) summary->method += ", then continuation";
    }
  }
  // Final measures at the returned point.
  phi.Evaluate(result.x.data(), value.data(), nullptr);
  summary->max_residual = internal::Reformulation::MaxAbs(value.data(), n);
  summary->termination = result.termination;
  summary->message = result.message;
  if (summary->termination != TerminationType::kConverged && summary->max_residual <= options.tolerance) {
    summary->termination = TerminationType::kConverged;
  }
  summary->iterations = result.iterations;
  summary->history = result.history;
  summary->evaluations = phi.evaluations() + continuation_evaluations;
  summary->evaluation_seconds = phi.evaluation_seconds() + continuation_evaluation_seconds;
  summary->linear_solver_seconds = result.linear_solver_seconds;
  summary->linear_iterations = result.linear_iterations;
  summary->linear_blocks = result.linear_blocks;
  summary->linear_fallbacks = result.linear_fallbacks;
  summary->gradient_steps = result.gradient_steps;

  solution->values.clear();
  system->Expand(result.x.data(), &solution->values);
  // Unscaled residual, dropped conditions (Walras' law), binding inequalities.
  std::vector<double> all, magnitudes;
  system->EvaluateAllConditions(solution->values, &all);
  system->ConditionMagnitudes(solution->values, &magnitudes);
  double unscaled = 0, dropped = 0;
  bool any_dropped = false;
  const auto& vars = model.variables();
  for (size_t v = 0; v < all.size(); ++v) {
    const int u = system->unknown_of_variable()[v];
    if (u >= 0) {
      // Natural residual x - clamp(x - F, lower, upper): |F| for free variables, |min(x - l, F)| at a lower bound.
      const double lo = system->lower()[static_cast<size_t>(u)];
      const double up = system->upper()[static_cast<size_t>(u)];
      const double x = solution->values[v];
      const double natural = x - std::min(std::max(x - all[v], lo), up);
      unscaled = std::max(unscaled, std::fabs(natural));
      const double scale = system->row_scale()[static_cast<size_t>(u)];
      if (std::isfinite(lo) && x - lo <= 1e-8 && all[v] / scale > 1e-8) summary->inactive.push_back(vars[v].name);
    } else {
      any_dropped = true;
      dropped = std::max(dropped, std::fabs(all[v]) / std::max(magnitudes[v], 1e-8));
    }
  }
  summary->max_residual_unscaled = unscaled;
  summary->walras_residual = any_dropped ? dropped : -1;
  s = ReportsFrom(*system, solution->values, &solution->reports);
  if (!s.ok()) solution->reports.clear();
  summary->total_seconds = internal::SecondsSince(t0);
  return Status::Ok();
}

}  // namespace lccge

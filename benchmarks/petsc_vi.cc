// PETSc's VI Newton solvers on lccge's MCP (petsc_vi.hpp). Benchmark build only.
#include "petsc_vi.hpp"

#include <petscsnes.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "lccge/mcp/system.hpp"
#include "solve/reformulation.hpp"

namespace lccge::bench {

namespace {

using Clock = std::chrono::steady_clock;
double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// PETSc (and MPI, in singleton mode) started once per process and finalized at exit.
PetscErrorCode EnsurePetsc() {
  static const PetscErrorCode code = [] {
    PetscBool initialized = PETSC_FALSE;
    PetscErrorCode e = PetscInitialized(&initialized);
    if (e || initialized) return e;
    // lccge's callbacks never raise signals PETSc should catch; keep the program's own handling.
    e = PetscOptionsSetValue(nullptr, "-no_signal_handler", nullptr);
    if (e) return e;
    e = PetscInitializeNoArguments();
    if (!e) std::atexit([] { PetscFinalize(); });
    return e;
  }();
  return code;
}

// phi(a, b) = a + b - sqrt(a^2 + b^2): the same measure as lccge's back ends (lib/solve/reformulation.cc, mu = 0).
double Fb(double a, double b) {
  const double r = std::sqrt(a * a + b * b);
  if (a > 0 && b > 0) return 2.0 * a * b / (a + b + r);
  return a + b - r;
}

struct Context {
  mcp::System* system = nullptr;
  int n = 0;
  std::vector<double> scale;  // row scales
  std::vector<double> lower, upper;
  std::vector<double> F;       // raw conditions (scratch)
  mcp::SparseMatrix jacobian;  // the system's pattern
  std::vector<PetscInt> columns;
  std::vector<PetscScalar> row_values;
  // The last point at which F was evaluated and its scaled F (for the convergence test).
  std::vector<double> last_x, last_scaled_F;
  bool last_valid = false;
  int evaluations = 0;
  double evaluation_seconds = 0;
  double callback_seconds = 0;  // evaluation + convergence test + matrix assembly: everything of ours
  double tolerance = 1e-10;
  double max_seconds = 600;
  Clock::time_point start;
  double initial_measure = -1;
  double last_measure = -1;
  std::vector<Solver::IterationRecord> history;

  // Scaled F at x into `out`; false if not finite.
  bool EvaluateScaled(const double* x, double* out, bool with_jacobian) {
    const auto t0 = Clock::now();
    ++evaluations;
    bool ok = system->Evaluate(x, F.data(), with_jacobian ? &jacobian : nullptr);
    for (int i = 0; i < n; ++i) {
      out[i] = F[static_cast<size_t>(i)] / scale[static_cast<size_t>(i)];
      if (!std::isfinite(out[i])) ok = false;
    }
    last_x.assign(x, x + n);
    last_scaled_F.assign(out, out + n);
    last_valid = ok;
    evaluation_seconds += SecondsSince(t0);
    return ok;
  }

  // max_i |phi(x_i - l_i, b_i)| with the Billups form for two bounds (docs/theory.md).
  double Measure(const double* x, const double* b) const {
    double m = 0;
    for (int i = 0; i < n; ++i) {
      const size_t k = static_cast<size_t>(i);
      const bool has_lo = std::isfinite(lower[k]), has_up = std::isfinite(upper[k]);
      double v;
      if (!has_lo && !has_up)
        v = b[i];
      else if (has_lo && !has_up)
        v = Fb(x[i] - lower[k], b[i]);
      else if (!has_lo)
        v = -Fb(upper[k] - x[i], -b[i]);
      else
        v = Fb(x[i] - lower[k], -Fb(upper[k] - x[i], -b[i]));
      if (!std::isfinite(v)) return std::numeric_limits<double>::infinity();
      m = std::max(m, std::fabs(v));
    }
    return m;
  }
};

PetscErrorCode FormFunction(SNES snes, Vec xv, Vec fv, void* ctx_ptr) {
  auto* ctx = static_cast<Context*>(ctx_ptr);
  const auto t0 = Clock::now();
  const PetscScalar* x = nullptr;
  PetscScalar* f = nullptr;
  PetscErrorCode e = VecGetArrayRead(xv, &x);
  if (e) return e;
  e = VecGetArray(fv, &f);
  if (e) return e;
  const bool ok = ctx->EvaluateScaled(x, f, false);
  e = VecRestoreArray(fv, &f);
  if (e) return e;
  e = VecRestoreArrayRead(xv, &x);
  if (e) return e;
  ctx->callback_seconds += SecondsSince(t0);
  if (!ok) return SNESSetFunctionDomainError(snes);
  return 0;
}

PetscErrorCode FormJacobian(SNES snes, Vec xv, Mat J, Mat /*P*/, void* ctx_ptr) {
  auto* ctx = static_cast<Context*>(ctx_ptr);
  const auto t0 = Clock::now();
  const PetscScalar* x = nullptr;
  PetscErrorCode e = VecGetArrayRead(xv, &x);
  if (e) return e;
  std::vector<double> f(static_cast<size_t>(ctx->n));
  const bool ok = ctx->EvaluateScaled(x, f.data(), true);
  e = VecRestoreArrayRead(xv, &x);
  if (e) return e;
  if (!ok) {
    ctx->callback_seconds += SecondsSince(t0);
    return SNESSetJacobianDomainError(snes);
  }
  const int* outer = ctx->jacobian.outerIndexPtr();
  const int* inner = ctx->jacobian.innerIndexPtr();
  const double* values = ctx->jacobian.valuePtr();
  for (int r = 0; r < ctx->n; ++r) {
    const int count = outer[r + 1] - outer[r];
    ctx->columns.resize(static_cast<size_t>(count));
    ctx->row_values.resize(static_cast<size_t>(count));
    const double inv = 1.0 / ctx->scale[static_cast<size_t>(r)];
    for (int p = 0; p < count; ++p) {
      ctx->columns[static_cast<size_t>(p)] = inner[outer[r] + p];
      ctx->row_values[static_cast<size_t>(p)] = values[outer[r] + p] * inv;
    }
    const PetscInt row = r;
    e = MatSetValues(J, 1, &row, count, ctx->columns.data(), ctx->row_values.data(), INSERT_VALUES);
    if (e) return e;
  }
  e = MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY);
  if (e) return e;
  e = MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY);
  if (e) return e;
  ctx->callback_seconds += SecondsSince(t0);
  return 0;
}

// lccge's convergence test on the current iterate; PETSc's own norms are ignored.
PetscErrorCode ConvergenceTest(SNES snes, PetscInt it, PetscReal /*xnorm*/, PetscReal /*snorm*/, PetscReal /*fnorm*/,
                               SNESConvergedReason* reason, void* ctx_ptr) {
  auto* ctx = static_cast<Context*>(ctx_ptr);
  const auto t0 = Clock::now();
  Vec xv;
  PetscErrorCode e = SNESGetSolution(snes, &xv);
  if (e) return e;
  const PetscScalar* x = nullptr;
  e = VecGetArrayRead(xv, &x);
  if (e) return e;
  bool ok = ctx->last_valid;
  if (ctx->last_x.size() != static_cast<size_t>(ctx->n) ||
      std::memcmp(ctx->last_x.data(), x, sizeof(double) * static_cast<size_t>(ctx->n)) != 0) {
    std::vector<double> b(static_cast<size_t>(ctx->n));
    ok = ctx->EvaluateScaled(x, b.data(), false);
  }
  const double measure = ok ? ctx->Measure(x, ctx->last_scaled_F.data()) : std::numeric_limits<double>::infinity();
  e = VecRestoreArrayRead(xv, &x);
  if (e) return e;
  ctx->last_measure = measure;
  if (it == 0 && ctx->initial_measure < 0) ctx->initial_measure = measure;
  ctx->history.push_back({static_cast<int>(it), measure, SecondsSince(ctx->start)});
  *reason = SNES_CONVERGED_ITERATING;
  if (measure <= ctx->tolerance)
    *reason = SNES_CONVERGED_FNORM_ABS;
  else if (!std::isfinite(measure) && it > 0)
    *reason = SNES_DIVERGED_FNORM_NAN;
  else if (SecondsSince(ctx->start) > ctx->max_seconds)
    *reason = SNES_DIVERGED_MAX_IT;
  ctx->callback_seconds += SecondsSince(t0);
  return 0;
}

// Frees PETSc objects on every path.
struct PetscObjects {
  Vec x = nullptr, r = nullptr, xl = nullptr, xu = nullptr;
  Mat J = nullptr;
  SNES snes = nullptr;
  ~PetscObjects() {
    if (snes) SNESDestroy(&snes);
    if (J) MatDestroy(&J);
    if (x) VecDestroy(&x);
    if (r) VecDestroy(&r);
    if (xl) VecDestroy(&xl);
    if (xu) VecDestroy(&xu);
  }
};

}  // namespace

Status InitializePetsc() {
  if (EnsurePetsc()) return Status::Failed("PETSc could not be initialised");
  return Status::Ok();
}

Status SolveWithPetscVi(const Model& model, const Scenario& scenario, const Solver::Options& options,
                        const std::string& snes_type, Solution* solution, Solver::Summary* summary) {
  const auto t_start = Clock::now();
  *summary = Solver::Summary();
  summary->method = "petsc-" + snes_type;
  if (snes_type != "vinewtonrsls" && snes_type != "vinewtonssls")
    return Status::Invalid("PETSc back end: SNES type must be vinewtonrsls or vinewtonssls, not '" + snes_type + "'");
  std::unique_ptr<mcp::System> system;
  std::vector<double> x0;
  Status s = internal::PrepareSolve(model, scenario, options, &system, &x0, summary);
  if (!s.ok()) return s;
  if (EnsurePetsc()) return Status::Failed("PETSc could not be initialised");
  const int n = system->num_unknowns();

  Context ctx;
  ctx.system = system.get();
  ctx.n = n;
  ctx.scale = system->row_scale();
  ctx.lower = system->lower();
  ctx.upper = system->upper();
  ctx.F.resize(static_cast<size_t>(n));
  ctx.tolerance = options.tolerance;
  ctx.max_seconds = options.max_seconds;
  // The pattern: one evaluation with the Jacobian at the start (also the initial measure).
  std::vector<double> b(static_cast<size_t>(n));
  const bool finite = ctx.EvaluateScaled(x0.data(), b.data(), true);
  summary->initial_max_residual = finite ? ctx.Measure(x0.data(), b.data()) : std::numeric_limits<double>::infinity();
  ctx.initial_measure = summary->initial_max_residual;

  PetscObjects po;
  auto fail = [&](PetscErrorCode e, const char* what) {
    return Status::Failed(std::string("PETSc error ") + std::to_string(static_cast<int>(e)) + " in " + what);
  };
  PetscErrorCode e;
  if ((e = VecCreateSeq(PETSC_COMM_SELF, n, &po.x))) return fail(e, "VecCreateSeq");
  if ((e = VecDuplicate(po.x, &po.r))) return fail(e, "VecDuplicate");
  if ((e = VecDuplicate(po.x, &po.xl))) return fail(e, "VecDuplicate");
  if ((e = VecDuplicate(po.x, &po.xu))) return fail(e, "VecDuplicate");
  {
    PetscScalar *px = nullptr, *pl = nullptr, *pu = nullptr;
    VecGetArray(po.x, &px);
    VecGetArray(po.xl, &pl);
    VecGetArray(po.xu, &pu);
    for (int i = 0; i < n; ++i) {
      const size_t k = static_cast<size_t>(i);
      px[i] = x0[k];
      pl[i] = std::isfinite(ctx.lower[k]) ? ctx.lower[k] : PETSC_NINFINITY;
      pu[i] = std::isfinite(ctx.upper[k]) ? ctx.upper[k] : PETSC_INFINITY;
    }
    VecRestoreArray(po.x, &px);
    VecRestoreArray(po.xl, &pl);
    VecRestoreArray(po.xu, &pu);
  }
  std::vector<PetscInt> nnz(static_cast<size_t>(std::max(n, 1)));
  for (int r = 0; r < n; ++r)
    nnz[static_cast<size_t>(r)] = ctx.jacobian.outerIndexPtr()[r + 1] - ctx.jacobian.outerIndexPtr()[r];
  if ((e = MatCreateSeqAIJ(PETSC_COMM_SELF, n, n, 0, nnz.data(), &po.J))) return fail(e, "MatCreateSeqAIJ");
  MatSetOption(po.J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE);

  if ((e = SNESCreate(PETSC_COMM_SELF, &po.snes))) return fail(e, "SNESCreate");
  if ((e = SNESSetType(po.snes, snes_type.c_str()))) return fail(e, "SNESSetType");
  if ((e = SNESSetFunction(po.snes, po.r, FormFunction, &ctx))) return fail(e, "SNESSetFunction");
  if ((e = SNESSetJacobian(po.snes, po.J, po.J, FormJacobian, &ctx))) return fail(e, "SNESSetJacobian");
  if ((e = SNESVISetVariableBounds(po.snes, po.xl, po.xu))) return fail(e, "SNESVISetVariableBounds");
  if ((e = SNESSetConvergenceTest(po.snes, ConvergenceTest, &ctx, nullptr))) return fail(e, "SNESSetConvergenceTest");
  // Our test decides; PETSc's tolerances off. Function-evaluation limit effectively off.
  if ((e = SNESSetTolerances(po.snes, 0.0, 0.0, 0.0, options.max_iterations, 100000000)))
    return fail(e, "SNESSetTolerances");
  KSP ksp;
  PC pc;
  SNESGetKSP(po.snes, &ksp);
  KSPSetType(ksp, KSPPREONLY);
  KSPGetPC(ksp, &pc);
  PCSetType(pc, PCLU);
  PCFactorSetMatSolverType(pc, MATSOLVERSUPERLU);
  // Options from PETSC_OPTIONS or the environment may still override (e.g. -snes_linesearch_type).
  SNESSetFromOptions(po.snes);

  summary->setup_seconds = SecondsSince(t_start);
  ctx.start = Clock::now();
  ctx.callback_seconds = 0;
  TerminationType termination = TerminationType::kFailure;
  std::string message;
  if (!finite) {
    message = "the model's functions are not finite at the start point";
  } else if (n == 0 || summary->initial_max_residual <= options.tolerance) {
    termination = TerminationType::kConverged;
    message = "the start point is an equilibrium";
  } else {
    e = SNESSolve(po.snes, nullptr, po.x);
    SNESConvergedReason reason;
    SNESGetConvergedReason(po.snes, &reason);
    PetscInt its = 0;
    SNESGetIterationNumber(po.snes, &its);
    summary->iterations = static_cast<int>(its);
    message = std::string("PETSc ") + (e ? "error in SNESSolve" : SNESConvergedReasons[reason]);
    if (!e && reason == SNES_CONVERGED_FNORM_ABS) {
      termination = TerminationType::kConverged;
      message = "max |F| below tolerance";
    } else if (!e && reason == SNES_DIVERGED_MAX_IT) {
      termination = TerminationType::kNoConvergence;
    }
  }
  const double solve_seconds = SecondsSince(ctx.start);
  summary->linear_solver_seconds = std::max(0.0, solve_seconds - ctx.callback_seconds);

  std::vector<double> x(static_cast<size_t>(n));
  {
    const PetscScalar* px = nullptr;
    VecGetArrayRead(po.x, &px);
    std::copy(px, px + n, x.begin());
    VecRestoreArrayRead(po.x, &px);
  }
  // Final measure at the returned point, as lccge::Solve does.
  std::vector<double> fb(static_cast<size_t>(n));
  const bool final_finite = ctx.EvaluateScaled(x.data(), fb.data(), false);
  summary->max_residual = final_finite ? ctx.Measure(x.data(), fb.data()) : std::numeric_limits<double>::infinity();
  if (termination != TerminationType::kConverged && summary->max_residual <= options.tolerance) {
    termination = TerminationType::kConverged;
  }
  summary->termination = termination;
  summary->message = message;
  summary->evaluations = ctx.evaluations;
  summary->evaluation_seconds = ctx.evaluation_seconds;
  summary->history = ctx.history;

  solution->values.clear();
  system->Expand(x.data(), &solution->values);
  // Natural residual |x - clamp(x - F, l, u)| (unscaled), as lccge::Solve reports it.
  double unscaled = 0;
  for (int i = 0; i < n; ++i) {
    const size_t k = static_cast<size_t>(i);
    const double raw = fb[k] * ctx.scale[k];
    const double natural = x[k] - std::min(std::max(x[k] - raw, ctx.lower[k]), ctx.upper[k]);
    unscaled = std::max(unscaled, std::fabs(natural));
  }
  summary->max_residual_unscaled = unscaled;
  solution->reports.clear();
  ComputeReports(model, scenario, solution->values, &solution->reports);
  summary->total_seconds = SecondsSince(t_start);
  return Status::Ok();
}

}  // namespace lccge::bench

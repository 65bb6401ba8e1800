// PETSc's variational-inequality Newton solvers on lccge's MCP (benchmark build only; needs PETSc, compiled when
// CMake finds it with LCCGE_HAVE_PETSC defined). The library never depends on PETSc.
#pragma once

#include <string>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::bench {

// Starts PETSc (and MPI, in singleton mode) once per process; PETSc is finalized at exit. SolveWithPetscVi calls
// it; call it first to keep the one-time start-up (about a second with Open MPI) out of a timed solve.
Status InitializePetsc();

// Solves `scenario` of `model` with SNES type `snes_type` ("vinewtonrsls": reduced-space active set;
// "vinewtonssls": semismooth) on the same system as lccge::Solve: the unknowns, bounds, conditions F and analytic
// Jacobian of mcp::System, each condition divided by its row scale. The linear systems are solved by PETSc's own
// sparse LU with partial pivoting
// (KSPPREONLY + PCLU on a MATSEQAIJ matrix, factorised by SuperLU: PETSc's own LU does not pivot and fails on the
// zero diagonal of zero-profit conditions; PETSC_OPTIONS="-pc_factor_mat_solver_type klu" etc. choose another).
// Convergence is lccge's test, checked after every iteration: max_i |phi(x_i - l_i, F_i / scale_i)| <=
// options.tolerance (Fischer-Burmeister, docs/theory.md); PETSc's own tolerances are switched off. Fills `summary` like
// lccge::Solve (method "petsc-<snes_type>"); linear_solver_seconds is the time inside SNESSolve outside lccge's
// callbacks (PETSc's factorisations, active-set and line-search work). Uses options: tolerance, max_iterations,
// max_seconds, warm_start.
Status SolveWithPetscVi(const Model& model, const Scenario& scenario, const Solver::Options& options,
                        const std::string& snes_type, Solution* solution, Solver::Summary* summary);

}  // namespace lccge::bench

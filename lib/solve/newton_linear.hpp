// Internal: the linear solvers of the Newton back ends. "newton-lu" factorises the whole Jacobian with a sparse
// LU; "newton-krylov" solves the same Newton system with restarted GMRES preconditioned by exact sparse LU
// factorisations of the Jacobian's diagonal blocks, one per variable group (docs/theory.md, "Block
// preconditioner").
#pragma once

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <memory>
#include <string>
#include <vector>

namespace lccge::internal {

using ColMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

class NewtonLinearSolver {
 public:
  virtual ~NewtonLinearSolver() = default;
  // Prepares to solve with J (which the solver may keep a reference to until the next call). False: singular.
  virtual bool Factorize(const ColMatrix& J) = 0;
  // Solves J step = rhs to a relative residual of at most `relative_tolerance` (direct solvers: exactly).
  virtual bool Solve(const Eigen::VectorXd& rhs, double relative_tolerance, Eigen::VectorXd* step) = 0;
  // Whether a later Solve with the same factors is a meaningful chord step.
  virtual bool SupportsReuse() const = 0;
  // Iterations of the last Solve (1 for direct solvers) and a one-line description of the last Factorize.
  virtual int last_iterations() const { return 1; }
};

class SparseLuSolver : public NewtonLinearSolver {
 public:
  bool Factorize(const ColMatrix& J) override;
  bool Solve(const Eigen::VectorXd& rhs, double relative_tolerance, Eigen::VectorXd* step) override;
  bool SupportsReuse() const override { return true; }

 private:
  Eigen::SparseLU<ColMatrix, Eigen::COLAMDOrdering<int>> lu_;
  bool analyzed_ = false;
};

struct KrylovOptions {
  int restart = 50;          // GMRES(m)
  int max_iterations = 300;  // in all restarts of one solve
};

class BlockGmresSolver : public NewtonLinearSolver {
 public:
  // groups[i]: the group of unknown i (-1: none; all such unknowns form one block together).
  BlockGmresSolver(const std::vector<int>& groups, const KrylovOptions& options);
  ~BlockGmresSolver() override;
  bool Factorize(const ColMatrix& J) override;
  bool Solve(const Eigen::VectorXd& rhs, double relative_tolerance, Eigen::VectorXd* step) override;
  bool SupportsReuse() const override { return false; }
  int last_iterations() const override { return last_iterations_; }
  int num_blocks() const { return static_cast<int>(blocks_.size()); }
  // Solves that GMRES could not finish and that fell back to the LU of the whole Jacobian.
  int fallbacks() const { return fallbacks_; }

 private:
  struct Block;
  void Precondition(const Eigen::VectorXd& r, Eigen::VectorXd* z) const;
  bool Gmres(const Eigen::VectorXd& rhs, double relative_tolerance, Eigen::VectorXd* x);

  KrylovOptions options_;
  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<int> block_of_, local_of_;
  const ColMatrix* J_ = nullptr;
  SparseLuSolver fallback_;
  bool fallback_ready_ = false;
  int last_iterations_ = 0;
  int fallbacks_ = 0;
};

}  // namespace lccge::internal

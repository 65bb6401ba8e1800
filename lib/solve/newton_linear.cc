#include "solve/newton_linear.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>

namespace lccge::internal {

bool SparseLuSolver::Factorize(const ColMatrix& J) {
  if (!analyzed_) {
    lu_.analyzePattern(J);
    analyzed_ = true;
  }
  lu_.factorize(J);
  return lu_.info() == Eigen::Success;
}

bool SparseLuSolver::Solve(const Eigen::VectorXd& rhs, double /*relative_tolerance*/, Eigen::VectorXd* step) {
  *step = lu_.solve(rhs);
  return lu_.info() == Eigen::Success && step->allFinite();
}

struct BlockGmresSolver::Block {
  std::vector<int> members;  // unknowns of the block, ascending
  Eigen::SparseLU<ColMatrix, Eigen::COLAMDOrdering<int>> lu;
  bool analyzed = false;
  bool usable = false;  // false: the block acts as the identity in the preconditioner
};

BlockGmresSolver::BlockGmresSolver(const std::vector<int>& groups, const KrylovOptions& options) : options_(options) {
  const int n = static_cast<int>(groups.size());
  std::map<int, int> block_index;  // group -> block; ungrouped unknowns share one block
  block_of_.assign(static_cast<size_t>(n), 0);
  local_of_.assign(static_cast<size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    const auto [it, added] = block_index.emplace(groups[static_cast<size_t>(i)], static_cast<int>(blocks_.size()));
    if (added) blocks_.push_back(std::make_unique<Block>());
    Block& b = *blocks_[static_cast<size_t>(it->second)];
    block_of_[static_cast<size_t>(i)] = it->second;
    local_of_[static_cast<size_t>(i)] = static_cast<int>(b.members.size());
    b.members.push_back(i);
  }
}

BlockGmresSolver::~BlockGmresSolver() = default;

bool BlockGmresSolver::Factorize(const ColMatrix& J) {
  J_ = &J;
  fallback_ready_ = false;
  std::vector<std::vector<Eigen::Triplet<double, int>>> entries(blocks_.size());
  for (int col = 0; col < J.outerSize(); ++col) {
    const int bc = block_of_[static_cast<size_t>(col)];
    for (ColMatrix::InnerIterator it(J, col); it; ++it) {
      const auto row = static_cast<size_t>(it.row());
      if (block_of_[row] == bc)
        entries[static_cast<size_t>(bc)].emplace_back(local_of_[row], local_of_[static_cast<size_t>(col)], it.value());
    }
  }
  for (size_t b = 0; b < blocks_.size(); ++b) {
    Block& block = *blocks_[b];
    const int m = static_cast<int>(block.members.size());
    ColMatrix A(m, m);
    // The diagonal is always in the pattern, so that a shift can be added in place and the pattern never changes.
    for (int i = 0; i < m; ++i) entries[b].emplace_back(i, i, 0.0);
    A.setFromTriplets(entries[b].begin(), entries[b].end());
    A.makeCompressed();
    if (!block.analyzed) {
      block.lu.analyzePattern(A);
      block.analyzed = true;
    }
    block.lu.factorize(A);
    block.usable = block.lu.info() == Eigen::Success;
    if (!block.usable) {
      // A singular diagonal block (e.g. a degenerate complementarity pair): a small diagonal shift keeps the
      // preconditioner useful; GMRES still solves the unshifted system.
      double largest = 0;
      for (int k = 0; k < A.outerSize(); ++k)
        for (ColMatrix::InnerIterator it(A, k); it; ++it) largest = std::max(largest, std::fabs(it.value()));
      for (int i = 0; i < m; ++i) A.coeffRef(i, i) += 1e-8 * std::max(largest, 1.0);
      block.lu.factorize(A);
      block.usable = block.lu.info() == Eigen::Success;
    }
  }
  return true;
}

void BlockGmresSolver::Precondition(const Eigen::VectorXd& r, Eigen::VectorXd* z) const {
  z->resize(r.size());
  for (const auto& bp : blocks_) {
    const Block& b = *bp;
    const int m = static_cast<int>(b.members.size());
    Eigen::VectorXd local(m);
    for (int k = 0; k < m; ++k) local[k] = r[b.members[static_cast<size_t>(k)]];
    if (b.usable) {
      Eigen::VectorXd solved = b.lu.solve(local);
      if (solved.allFinite()) local = solved;
    }
    for (int k = 0; k < m; ++k) (*z)[b.members[static_cast<size_t>(k)]] = local[k];
  }
}

// Restarted GMRES(m) with right preconditioning and Givens rotations (Saad, Iterative Methods for Sparse Linear
// Systems, 2nd ed., algorithm 9.5): the residual it monitors is the true one of J x = b.
bool BlockGmresSolver::Gmres(const Eigen::VectorXd& b, double relative_tolerance, Eigen::VectorXd* x) {
  const ColMatrix& J = *J_;
  const int n = static_cast<int>(b.size());
  const int m = std::max(1, options_.restart);
  const double b_norm = b.norm();
  x->setZero(n);
  last_iterations_ = 0;
  if (b_norm == 0.0) return true;
  const double target = relative_tolerance * b_norm;
  Eigen::MatrixXd V(n, m + 1), Z(n, m);
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(m + 1, m);
  Eigen::VectorXd cs(m), sn(m), g(m + 1), w(n), z(n);
  while (last_iterations_ < options_.max_iterations) {
    Eigen::VectorXd r = b - J * (*x);
    double beta = r.norm();
    if (beta <= target) return true;
    V.col(0) = r / beta;
    g.setZero();
    g[0] = beta;
    H.setZero();
    int j = 0;
    for (; j < m && last_iterations_ < options_.max_iterations; ++j) {
      ++last_iterations_;
      Precondition(V.col(j), &z);
      Z.col(j) = z;
      w = J * z;
      for (int i = 0; i <= j; ++i) {  // modified Gram-Schmidt
        H(i, j) = V.col(i).dot(w);
        w -= H(i, j) * V.col(i);
      }
      H(j + 1, j) = w.norm();
      if (H(j + 1, j) > 0) V.col(j + 1) = w / H(j + 1, j);
      for (int i = 0; i < j; ++i) {
        const double t = cs[i] * H(i, j) + sn[i] * H(i + 1, j);
        H(i + 1, j) = -sn[i] * H(i, j) + cs[i] * H(i + 1, j);
        H(i, j) = t;
      }
      const double rho = std::hypot(H(j, j), H(j + 1, j));
      if (rho == 0.0) break;
      cs[j] = H(j, j) / rho;
      sn[j] = H(j + 1, j) / rho;
      H(j, j) = rho;
      H(j + 1, j) = 0.0;
      g[j + 1] = -sn[j] * g[j];
      g[j] = cs[j] * g[j];
      if (std::fabs(g[j + 1]) <= target) {
        ++j;
        break;
      }
    }
    if (j == 0) return false;
    Eigen::VectorXd y = H.topLeftCorner(j, j).triangularView<Eigen::Upper>().solve(g.head(j));
    if (!y.allFinite()) return false;
    *x += Z.leftCols(j) * y;
  }
  return (b - J * (*x)).norm() <= target;
}

bool BlockGmresSolver::Solve(const Eigen::VectorXd& rhs, double relative_tolerance, Eigen::VectorXd* step) {
  if (J_ == nullptr) return false;
  if (Gmres(rhs, relative_tolerance, step) && step->allFinite()) return true;
  // GMRES did not reach the tolerance: the exact step from the LU of the whole Jacobian.
  ++fallbacks_;
  if (!fallback_ready_) {
    if (!fallback_.Factorize(*J_)) return false;
    fallback_ready_ = true;
  }
  return fallback_.Solve(rhs, relative_tolerance, step);
}

}  // namespace lccge::internal

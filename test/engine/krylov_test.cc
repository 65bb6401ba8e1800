// The newton-krylov linear solver: restarted GMRES with the block preconditioner gives the solution of the whole
// system (checked against a dense LU of the same matrix), whatever the blocks; when GMRES cannot finish it falls
// back to the LU of the whole matrix; singular diagonal blocks do not break it.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "solve/newton_linear.hpp"

namespace lccge::internal {
namespace {

// A nonsymmetric sparse matrix with strong coupling between the groups i % 3 (off-block entries as large as the
// in-block ones), made nonsingular by a dominant diagonal.
ColMatrix CoupledMatrix(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<Eigen::Triplet<double, int>> t;
  for (int i = 0; i < n; ++i) {
    t.emplace_back(i, i, 6.0 + u(rng));
    for (int k = 0; k < 4; ++k) t.emplace_back(i, static_cast<int>(rng() % static_cast<unsigned>(n)), u(rng));
  }
  ColMatrix A(n, n);
  A.setFromTriplets(t.begin(), t.end());
  A.makeCompressed();
  return A;
}

Eigen::VectorXd DenseSolve(const ColMatrix& A, const Eigen::VectorXd& b) {
  return Eigen::MatrixXd(A).fullPivLu().solve(b);
}

TEST(BlockGmres, MatchesADenseSolveWithCoupledBlocks) {
  const int n = 90;
  const ColMatrix A = CoupledMatrix(n, 7);
  std::vector<int> groups(n);
  for (int i = 0; i < n; ++i) groups[static_cast<size_t>(i)] = i % 3;
  const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(n, -1.0, 2.0);
  BlockGmresSolver solver(groups, KrylovOptions());
  ASSERT_TRUE(solver.Factorize(A));
  EXPECT_EQ(solver.num_blocks(), 3);
  Eigen::VectorXd x;
  ASSERT_TRUE(solver.Solve(b, 1e-12, &x));
  EXPECT_LT((x - DenseSolve(A, b)).norm(), 1e-9 * x.norm());
  EXPECT_GT(solver.last_iterations(), 1);  // the blocks alone do not solve the coupled system
  EXPECT_EQ(solver.fallbacks(), 0);
}

TEST(BlockGmres, OneBlockIsAnExactPreconditioner) {
  const int n = 40;
  const ColMatrix A = CoupledMatrix(n, 3);
  BlockGmresSolver solver(std::vector<int>(n, -1), KrylovOptions());
  ASSERT_TRUE(solver.Factorize(A));
  const Eigen::VectorXd b = Eigen::VectorXd::Ones(n);
  Eigen::VectorXd x;
  ASSERT_TRUE(solver.Solve(b, 1e-12, &x));
  EXPECT_LE(solver.last_iterations(), 2);
  EXPECT_LT((A * x - b).norm(), 1e-10);
}

TEST(BlockGmres, FallsBackToTheFullLuWhenGmresCannotFinish) {
  const int n = 60;
  const ColMatrix A = CoupledMatrix(n, 11);
  std::vector<int> groups(n);
  for (int i = 0; i < n; ++i) groups[static_cast<size_t>(i)] = i;  // Jacobi: a weak preconditioner
  KrylovOptions o;
  o.restart = 2;
  o.max_iterations = 2;
  BlockGmresSolver solver(groups, o);
  ASSERT_TRUE(solver.Factorize(A));
  const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(n, 1.0, 3.0);
  Eigen::VectorXd x;
  ASSERT_TRUE(solver.Solve(b, 1e-12, &x));
  EXPECT_EQ(solver.fallbacks(), 1);
  EXPECT_LT((x - DenseSolve(A, b)).norm(), 1e-10 * x.norm());
}

// [[0 2] [3 0]] split into two 1x1 blocks: both blocks are zero (singular), the matrix is not.
TEST(BlockGmres, SingularDiagonalBlocksStillSolve) {
  ColMatrix A(2, 2);
  A.insert(0, 1) = 2.0;
  A.insert(1, 0) = 3.0;
  A.makeCompressed();
  BlockGmresSolver solver({0, 1}, KrylovOptions());
  ASSERT_TRUE(solver.Factorize(A));
  Eigen::VectorXd x;
  ASSERT_TRUE(solver.Solve(Eigen::Vector2d(4.0, 9.0), 1e-12, &x));
  EXPECT_NEAR(x[0], 3.0, 1e-10);
  EXPECT_NEAR(x[1], 2.0, 1e-10);
}

}  // namespace
}  // namespace lccge::internal

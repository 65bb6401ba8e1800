// Internal: the model compiled for evaluation. Names are resolved to indices; every expression is bound to the
// symbol array [parameters..., variables...]. Trees are stored with nests in depth-first order so that the leaves
// under any nest form a contiguous range.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "lccge/model/expression.hpp"
#include "lccge/model/model.hpp"

namespace lccge::internal {

struct CompiledTax {
  int agent = -1;  // model variable index of the consumer
  Expression rate;
};

struct CompiledLeaf {
  int commodity = -1;  // model variable index
  int parent = 0;      // nest index in the tree
  Expression quantity;
  Expression reference_price;
  int first_tax = 0;  // the leaf's taxes: CompiledTree::taxes[first_tax, end_tax)
  int end_tax = 0;
  int flow = -1;  // index of the Flow in the block's spec
};

struct CompiledNest {
  int parent = -1;  // -1 for the top nest (index 0)
  Expression elasticity;
  int first_leaf = 0;  // leaves under this nest: [first_leaf, end_leaf)
  int end_leaf = 0;
  std::string name;
};

// A tree's parts are views into the pools of its CompiledModel (one allocation for all the trees of a model, not
// three per tree).
struct CompiledTree {
  std::span<CompiledNest> nests;  // nests[0] is the top; parents come before children
  std::span<CompiledLeaf> leaves;
  std::span<CompiledTax> taxes;  // every leaf's taxes, leaf by leaf

  // Where the parts sit in the pools (set while compiling; the views are made once the pools are complete).
  struct Range {
    size_t begin = 0, count = 0;
  };
  Range nest_range, leaf_range, tax_range;
};

struct CompiledProduction {
  int sector = -1;  // model variable index
  CompiledTree inputs;
  CompiledTree outputs;  // a CET tree: evaluated as CES with elasticity -t
};

struct CompiledEndowment {
  int commodity = -1;
  Expression quantity;
};

struct CompiledDemand {
  int consumer = -1;
  CompiledTree final_demand;
  std::vector<CompiledEndowment> endowments;
};

struct CompiledAux {
  int aux = -1;
  Expression expr;
  AuxConstraintType type = AuxConstraintType::kEquation;
};

struct CompiledModel {
  CompiledModel() = default;
  CompiledModel(const CompiledModel&) = delete;  // the trees' views would point into the original's pools
  CompiledModel& operator=(const CompiledModel&) = delete;

  int num_parameters = 0;
  int num_variables = 0;
  std::vector<CompiledProduction> productions;
  std::vector<CompiledDemand> demands;
  std::vector<CompiledAux> aux_constraints;
  // For each variable: the production / demand / aux block index that holds its condition (-1 if not a kind).
  std::vector<int> block_of_variable;

  // Every tree's nests, leaves and taxes, tree after tree.
  std::vector<CompiledNest> nest_pool;
  std::vector<CompiledLeaf> leaf_pool;
  std::vector<CompiledTax> tax_pool;
};

}  // namespace lccge::internal

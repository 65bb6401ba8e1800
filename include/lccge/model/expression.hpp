// Expressions over parameters and variables: numbers, names, + - * / ^, unary minus, parentheses.
// They stand wherever a number may stand in a model (quantities, rates, elasticities, endowments, aux constraints).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lccge/core/status.hpp"

namespace lccge {

namespace internal {
// The bound symbol indices of an expression: up to kInline of them without a heap allocation (models hold millions
// of bound expressions, nearly all naming one to three symbols).
class SymbolList {
 public:
  SymbolList() = default;
  SymbolList(const SymbolList& other) { CopyFrom(other); }
  SymbolList& operator=(const SymbolList& other) {
    if (this != &other) CopyFrom(other);
    return *this;
  }
  SymbolList(SymbolList&& other) noexcept { *this = std::move(other); }
  SymbolList& operator=(SymbolList&& other) noexcept {
    if (this != &other) {
      size_ = other.size_;
      heap_ = std::move(other.heap_);
      CopyInline(other);
      other.size_ = 0;
    }
    return *this;
  }
  ~SymbolList() = default;

  void Assign(const int* values, size_t count) {
    Reset(count);
    std::copy(values, values + count, data());
  }
  void AssignFill(size_t count, int value) {
    Reset(count);
    std::fill(data(), data() + count, value);
  }
  size_t size() const { return size_; }
  int operator[](size_t i) const { return data()[i]; }
  std::span<const int> view() const { return {data(), size_}; }

 private:
  static constexpr size_t kInline = 3;
  // Copies and moves are frequent (every expression copied into a compiled model): the inline case is three
  // stores, not a call to memcpy.
  void CopyInline(const SymbolList& other) {
    static_assert(kInline == 3);
    inline_[0] = other.inline_[0];
    inline_[1] = other.inline_[1];
    inline_[2] = other.inline_[2];
  }
  void CopyFrom(const SymbolList& other) {
    if (other.heap_) {
      Assign(other.heap_.get(), other.size_);
    } else {
      heap_.reset();
      size_ = other.size_;
      CopyInline(other);
    }
  }
  void Reset(size_t count) {
    if (count > kInline) {
      heap_ = std::make_unique<int[]>(count);
    } else {
      heap_.reset();
    }
    size_ = static_cast<unsigned>(count);
  }
  int* data() { return heap_ ? heap_.get() : inline_; }
  const int* data() const { return heap_ ? heap_.get() : inline_; }
  unsigned size_ = 0;
  int inline_[kInline] = {};
  std::unique_ptr<int[]> heap_;
};
}  // namespace internal

class Expression {
 public:
  // A constant.
  Expression(double value = 0.0) : value_(value) {}  // NOLINT(google-explicit-constructor): numbers convert naturally
  // Parses `text`; on error returns a Status naming `where` and the position of the problem.
  static Status Parse(const std::string& text, const SourceLocation& where, Expression* out);
  // Parses text that is known to be valid (C++ model building); an invalid text becomes NaN, which
  // Model::Finalize reports with the text.
  static Expression FromText(const std::string& text);
  // constant + sum of coefficient * name, made without formatting and parsing text (builders make one per trade
  // route, a million at GTAP size). Terms with coefficient 0 are left out. Its text() parses to the same
  // expression: numbers are written in the shortest form that reads back exactly.
  static Expression Linear(double constant, std::initializer_list<std::pair<double, std::string_view>> terms);
  // (a0 + sum a*x) / (b0 + sum b*y), made like Linear: a tax rate quoted on another base, say t / (1 + t).
  // A ratio of constants is folded to a constant.
  static Expression Ratio(double numerator_constant,
                          std::initializer_list<std::pair<double, std::string_view>> numerator_terms,
                          double denominator_constant,
                          std::initializer_list<std::pair<double, std::string_view>> denominator_terms);

  // A constant holds no program (no allocation): models hold millions of them.
  bool is_constant() const { return !program_ || program_->ops.empty(); }
  double constant_value() const { return value_; }
  // The source text, or the constant written with 17 significant digits.
  std::string text() const;
  // Names the expression mentions, in order of first appearance.
  const std::vector<std::string>& names() const { return program_ ? program_->names : kNoNames; }
  // Error from FromText, if any.
  const std::string& parse_error() const { return program_ ? program_->parse_error : kNoError; }

  // Binds names: `symbol_of_name[i]` is the symbol index of names()[i] (see Evaluate).
  void Bind(const std::vector<int>& symbol_of_name);

  // Value with the bound symbols read from `symbols` (parameters and variables in one array). Inline for constants,
  // which most quantities of a model are.
  double Evaluate(const double* symbols) const { return is_constant() ? value_ : EvaluateProgram(symbols); }
  // Value and partial derivatives with respect to each bound symbol mentioned (same order as names()).
  double EvaluateWithGradient(const double* symbols, double* gradient) const;
  // Bound symbol index of each name.
  std::span<const int> symbols() const { return symbol_of_name_.view(); }

  enum class OpKind : unsigned char { kConst, kName, kAdd, kSub, kMul, kDiv, kPow, kNeg };
  struct Op {
    OpKind kind;
    int name = -1;  // index into names_ for kName
    double value = 0.0;
  };
  // Internal: a program's operations. Up to kInline of them sit inside the program itself (nearly every expression
  // of a model; a ratio of two linear forms has 9), more on the heap. Programs are made once and shared, never copied.
  class OpList {
   public:
    OpList() = default;
    OpList(const OpList&) = delete;
    OpList& operator=(const OpList&) = delete;
    void reserve(size_t count) {
      if (count <= capacity_) return;
      auto grown = std::make_unique<Op[]>(count);
      std::copy(data_, data_ + size_, grown.get());
      heap_ = std::move(grown);
      data_ = heap_.get();
      capacity_ = count;
    }
    void push_back(const Op& op) {
      if (size_ == capacity_) reserve(2 * capacity_);
      data_[size_++] = op;
    }
    void clear() { size_ = 0; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const Op* begin() const { return data_; }
    const Op* end() const { return data_ + size_; }
    std::span<const Op> view() const { return {data_, size_}; }

   private:
    static constexpr size_t kInline = 12;
    Op inline_[kInline];
    std::unique_ptr<Op[]> heap_;
    Op* data_ = inline_;
    size_t size_ = 0, capacity_ = kInline;
  };

 private:
  double EvaluateProgram(const double* symbols) const;
  // What parsing produced; immutable, so copies of an expression share it (models hold millions of copies).
  struct Program {
    // Where text() comes from: the source text, or (for Linear and Ratio, made by the million) the program itself,
    // written only when asked.
    enum class Form : unsigned char { kSource, kLinear, kRatio };
    OpList ops;  // postfix program; empty for a constant
    std::vector<std::string> names;
    std::string text;  // kSource only
    std::string parse_error;
    Form form = Form::kSource;
  };
  static inline const std::vector<std::string> kNoNames{};
  static inline const std::string kNoError{};
  double value_ = 0.0;  // the value when there is no program or it has no ops
  std::shared_ptr<const Program> program_;
  internal::SymbolList symbol_of_name_;
};

}  // namespace lccge

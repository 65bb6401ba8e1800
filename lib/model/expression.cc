#include "lccge/model/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>
#include <string>

namespace lccge {
namespace {

// The index of `name` in a program's names, added at the end if it is new (names in order of first appearance).
int NameSlot(std::string_view name, std::vector<std::string>* names) {
  for (size_t i = 0; i < names->size(); ++i)
    if ((*names)[i] == name) return static_cast<int>(i);
  names->emplace_back(name);
  return static_cast<int>(names->size()) - 1;
}

// Recursive-descent parser producing a postfix program.
//   expr   := term (('+'|'-') term)*
//   term   := unary (('*'|'/') unary)*
//   unary  := '-' unary | '+' unary | power
//   power  := atom ('^' unary)?          (right associative; -2^2 = -4 as in GAMS)
//   atom   := number | name | '(' expr ')'
class Parser {
 public:
  Parser(const std::string& text, Expression::OpList* ops, std::vector<std::string>* names)
      : text_(text), ops_(ops), names_(names) {}

  bool Parse(std::string* error) {
    if (!ParseExpr()) {
      *error = error_;
      return false;
    }
    SkipSpace();
    if (pos_ != text_.size()) {
      *error = "unexpected '" + std::string(1, text_[pos_]) + "' at position " + std::to_string(pos_ + 1);
      return false;
    }
    return true;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at position " + std::to_string(pos_ + 1);
    return false;
  }
  void Emit(Expression::OpKind kind) { ops_->push_back({kind, -1, 0.0}); }

  bool ParseExpr() {
    if (!ParseTerm()) return false;
    for (;;) {
      SkipSpace();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        const char op = text_[pos_++];
        if (!ParseTerm()) return false;
        Emit(op == '+' ? Expression::OpKind::kAdd : Expression::OpKind::kSub);
      } else {
        return true;
      }
    }
  }
  bool ParseTerm() {
    if (!ParseUnary()) return false;
    for (;;) {
      SkipSpace();
      if (pos_ < text_.size() && (text_[pos_] == '*' || text_[pos_] == '/')) {
        const char op = text_[pos_++];
        if (!ParseUnary()) return false;
        Emit(op == '*' ? Expression::OpKind::kMul : Expression::OpKind::kDiv);
      } else {
        return true;
      }
    }
  }
  // Every recursion of the grammar (parentheses, signs, exponents) passes here: its depth is bounded, so that no
  // text can overflow the stack (100,000 opening parentheses did).
  bool ParseUnary() {
    if (depth_ >= kMaxDepth) return Fail("expression nested more than " + std::to_string(kMaxDepth) + " levels deep");
    ++depth_;
    const bool ok = ParseUnaryAtDepth();
    --depth_;
    return ok;
  }
  bool ParseUnaryAtDepth() {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '-') {
      ++pos_;
      if (!ParseUnary()) return false;
      Emit(Expression::OpKind::kNeg);
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == '+') {
      ++pos_;
      return ParseUnary();
    }
    return ParsePower();
  }
  bool ParsePower() {
    if (!ParseAtom()) return false;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '^') {
      ++pos_;
      if (!ParseUnary()) return false;
      Emit(Expression::OpKind::kPow);
    }
    return true;
  }
  bool ParseAtom() {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("expression ends early");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      if (!ParseExpr()) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') return Fail("missing ')'");
      ++pos_;
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      // std::from_chars: decimal and exponent forms, independent of the locale, and far faster than strtod.
      const char* begin = text_.data() + pos_;
      double v = 0.0;
      const auto [end, error] = std::from_chars(begin, text_.data() + text_.size(), v);
      if (error == std::errc::result_out_of_range) return Fail("number out of range");
      if (error != std::errc() || end == begin) return Fail("malformed number");
      pos_ += static_cast<size_t>(end - begin);
      if (!std::isfinite(v)) return Fail("number out of range");
      ops_->push_back({Expression::OpKind::kConst, -1, v});
      return true;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' || text_[pos_] == '.')) {
        ++pos_;
      }
      const int index = NameSlot(std::string_view(text_).substr(start, pos_ - start), names_);
      ops_->push_back({Expression::OpKind::kName, index, 0.0});
      return true;
    }
    return Fail("unexpected '" + std::string(1, c) + "'");
  }

  static constexpr int kMaxDepth = 200;
  const std::string& text_;
  Expression::OpList* ops_;
  std::vector<std::string>* names_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

Status Expression::Parse(const std::string& text, const SourceLocation& where, Expression* out) {
  auto program = std::make_shared<Program>();
  program->text = text;
  std::string error;
  Parser parser(text, &program->ops, &program->names);
  if (!parser.Parse(&error)) {
    return Status::Invalid("malformed expression '" + text + "': " + error, where);
  }
  Expression e;
  e.program_ = program;
  // Fold a program without names to a constant.
  if (program->names.empty()) {
    e.value_ = e.Evaluate(nullptr);
    program->ops.clear();
  }
  e.symbol_of_name_.AssignFill(program->names.size(), -1);
  *out = std::move(e);
  return Status::Ok();
}

Expression Expression::FromText(const std::string& text) {
  Expression e;
  const Status s = Parse(text, {}, &e);
  if (!s.ok()) {
    e = Expression(std::numeric_limits<double>::quiet_NaN());
    auto program = std::make_shared<Program>();
    program->text = text;
    program->parse_error = s.cause();
    e.program_ = std::move(program);
  }
  return e;
}

namespace {

// The postfix program of one linear form c + sum a*x, made without text (LinearFormText below writes it when asked):
// per term with a != 0: [|a|] x [*] [neg] [+ unless first], then [|c| + or -] (or the constant alone, signed).
// Sizes are computed first so that the program's buffers are allocated once at their final sizes.
class LinearForm {
 public:
  using Terms = std::initializer_list<std::pair<double, std::string_view>>;
  LinearForm(double constant, Terms terms) : constant_(constant), terms_(terms) {
    for (const auto& [coefficient, name] : terms) {
      if (coefficient == 0.0) continue;
      // number and multiplication, name, negation, addition
      op_count_ += (std::abs(coefficient) != 1.0 ? 2 : 0) + 1 + (coefficient < 0.0 ? 1 : 0) + (name_count_ > 0 ? 1 : 0);
      ++name_count_;
    }
    if (constant != 0.0)
      op_count_ += name_count_ > 0 ? 2 : 1;
    else if (name_count_ == 0)
      op_count_ = 1;  // the constant 0
  }

  size_t name_count() const { return name_count_; }
  size_t op_count() const { return op_count_; }

  // Appends the postfix program; names are shared with what `names` already holds.
  void AppendTo(Expression::OpList* ops, std::vector<std::string>* names) const {
    using OpKind = Expression::OpKind;
    bool first = true;
    for (const auto& [coefficient, name] : terms_) {
      if (coefficient == 0.0) continue;
      const bool number = std::abs(coefficient) != 1.0;
      if (number) ops->push_back({OpKind::kConst, -1, std::abs(coefficient)});
      ops->push_back({OpKind::kName, NameSlot(name, names), 0.0});
      if (number) ops->push_back({OpKind::kMul, -1, 0.0});
      if (coefficient < 0.0) ops->push_back({OpKind::kNeg, -1, 0.0});
      if (!first) ops->push_back({OpKind::kAdd, -1, 0.0});
      first = false;
    }
    if (first) {
      ops->push_back({OpKind::kConst, -1, constant_ == 0.0 ? 0.0 : constant_});  // no terms: the constant alone
    } else if (constant_ != 0.0) {
      ops->push_back({OpKind::kConst, -1, std::abs(constant_)});
      ops->push_back({constant_ < 0.0 ? OpKind::kSub : OpKind::kAdd, -1, 0.0});
    }
  }

 private:
  double constant_;
  Terms terms_;
  size_t name_count_ = 0, op_count_ = 0;
};

// Appends `v` in the shortest form that reads back exactly.
void AppendNumber(double v, std::string* out) {
  char buffer[32];
  out->append(buffer, static_cast<size_t>(std::to_chars(buffer, buffer + sizeof(buffer), v).ptr - buffer));
}

// The text of a linear form from the program LinearForm::AppendTo made, `ops`: terms "a*x" joined by + and -
// (a left out when it is 1), then the constant ("0.5*x-y+2", "-x", "3").
std::string LinearFormText(std::span<const Expression::Op> ops, const std::vector<std::string>& names) {
  using OpKind = Expression::OpKind;
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < ops.size()) {
    const bool number = ops[i].kind == OpKind::kConst && i + 1 < ops.size() && ops[i + 1].kind == OpKind::kName;
    if (!number && ops[i].kind != OpKind::kName) break;  // the constant
    const double magnitude = number ? ops[i++].value : 1.0;
    const std::string& name = names[static_cast<size_t>(ops[i++].name)];
    if (number) ++i;  // the multiplication
    const bool negative = i < ops.size() && ops[i].kind == OpKind::kNeg;
    if (negative) ++i;
    if (!first) ++i;  // the addition
    if (negative)
      out += '-';
    else if (!first)
      out += '+';
    if (number) {
      AppendNumber(magnitude, &out);
      out += '*';
    }
    out += name;
    first = false;
  }
  if (i < ops.size()) {
    const double c = ops[i].value;
    if (first)
      out += c < 0.0 ? "-" : "";
    else
      out += i + 1 < ops.size() && ops[i + 1].kind == OpKind::kSub ? '-' : '+';
    AppendNumber(std::abs(c), &out);
  }
  return out;
}

// The text of a ratio of linear forms (Expression::Ratio): "(numerator)/(denominator)". The numerator's program ends
// where the stack last holds one value before the final division: the denominator's never goes below two.
std::string RatioText(std::span<const Expression::Op> ops, const std::vector<std::string>& names) {
  using OpKind = Expression::OpKind;
  const std::span<const Expression::Op> both = ops.first(ops.size() - 1);  // without the division
  size_t split = 0;
  int depth = 0;
  for (size_t i = 0; i < both.size(); ++i) {
    const OpKind k = both[i].kind;
    depth += (k == OpKind::kConst || k == OpKind::kName) ? 1 : (k == OpKind::kNeg ? 0 : -1);
    if (depth == 1) split = i + 1;
  }
  std::string out(1, '(');
  out += LinearFormText(both.first(split), names);
  out += ")/(";
  out += LinearFormText(both.subspan(split), names);
  out += ')';
  return out;
}

}  // namespace

std::string Expression::text() const {
  if (program_) {
    switch (program_->form) {
      case Program::Form::kLinear:
        return LinearFormText(program_->ops.view(), program_->names);
      case Program::Form::kRatio:
        return RatioText(program_->ops.view(), program_->names);
      case Program::Form::kSource:
        if (!program_->text.empty()) return program_->text;
        break;
    }
  }
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value_);
  return buffer;
}

Expression Expression::Linear(double constant, std::initializer_list<std::pair<double, std::string_view>> terms) {
  const LinearForm form(constant, terms);
  if (form.name_count() == 0) return Expression(constant);
  auto program = std::make_shared<Program>();
  program->form = Program::Form::kLinear;
  program->ops.reserve(form.op_count());
  program->names.reserve(form.name_count());
  form.AppendTo(&program->ops, &program->names);
  Expression e;
  e.symbol_of_name_.AssignFill(program->names.size(), -1);
  e.program_ = std::move(program);
  return e;
}

Expression Expression::Ratio(double numerator_constant,
                             std::initializer_list<std::pair<double, std::string_view>> numerator_terms,
                             double denominator_constant,
                             std::initializer_list<std::pair<double, std::string_view>> denominator_terms) {
  const LinearForm numerator(numerator_constant, numerator_terms);
  const LinearForm denominator(denominator_constant, denominator_terms);
  if (numerator.name_count() + denominator.name_count() == 0)
    return Expression(numerator_constant / denominator_constant);
  auto program = std::make_shared<Program>();
  program->form = Program::Form::kRatio;
  program->ops.reserve(numerator.op_count() + denominator.op_count() + 1);
  program->names.reserve(numerator.name_count() + denominator.name_count());
  numerator.AppendTo(&program->ops, &program->names);
  denominator.AppendTo(&program->ops, &program->names);
  program->ops.push_back({OpKind::kDiv, -1, 0.0});
  Expression e;
  e.symbol_of_name_.AssignFill(program->names.size(), -1);
  e.program_ = std::move(program);
  return e;
}

void Expression::Bind(const std::vector<int>& symbol_of_name) {
  symbol_of_name_.Assign(symbol_of_name.data(), symbol_of_name.size());
}

double Expression::EvaluateProgram(const double* symbols) const {
  const OpList& ops_ = program_->ops;
  // Every slot is written before it is read (a program pushes before it pops): no 512-byte clear per call, which
  // cost as much as evaluating a short program. The first slot is set so that an empty program reads 0.
  double stack[64];
  std::vector<double> heap;
  double* st = stack;
  if (ops_.size() > 64) {
    heap.resize(ops_.size());
    st = heap.data();
  }
  st[0] = 0.0;
  int top = -1;
  for (const Op& op : ops_) {
    switch (op.kind) {
      case OpKind::kConst:
        st[++top] = op.value;
        break;
      case OpKind::kName:
        st[++top] = symbols[symbol_of_name_[static_cast<size_t>(op.name)]];
        break;
      case OpKind::kNeg:
        st[top] = -st[top];
        break;
      case OpKind::kAdd:
        st[top - 1] += st[top];
        --top;
        break;
      case OpKind::kSub:
        st[top - 1] -= st[top];
        --top;
        break;
      case OpKind::kMul:
        st[top - 1] *= st[top];
        --top;
        break;
      case OpKind::kDiv:
        st[top - 1] /= st[top];
        --top;
        break;
      case OpKind::kPow:
        st[top - 1] = std::pow(st[top - 1], st[top]);
        --top;
        break;
    }
  }
  return st[0];
}

double Expression::EvaluateWithGradient(const double* symbols, double* gradient) const {
  // Forward mode over the (few) names of this expression: each stack slot carries a value and a gradient.
  const size_t n = names().size();
  for (size_t i = 0; i < n; ++i) gradient[i] = 0.0;
  if (n == 0) return Evaluate(symbols);
  const OpList& ops_ = program_->ops;
  std::vector<double> val(ops_.size());
  std::vector<double> grad(ops_.size() * n, 0.0);
  int top = -1;
  auto g = [&](int slot) { return grad.data() + static_cast<size_t>(slot) * n; };
  for (const Op& op : ops_) {
    switch (op.kind) {
      case OpKind::kConst:
        ++top;
        val[top] = op.value;
        std::fill(g(top), g(top) + n, 0.0);
        break;
      case OpKind::kName:
        ++top;
        val[top] = symbols[symbol_of_name_[static_cast<size_t>(op.name)]];
        std::fill(g(top), g(top) + n, 0.0);
        g(top)[op.name] = 1.0;
        break;
      case OpKind::kNeg:
        val[top] = -val[top];
        for (size_t i = 0; i < n; ++i) g(top)[i] = -g(top)[i];
        break;
      case OpKind::kAdd:
        val[top - 1] += val[top];
        for (size_t i = 0; i < n; ++i) g(top - 1)[i] += g(top)[i];
        --top;
        break;
      case OpKind::kSub:
        val[top - 1] -= val[top];
        for (size_t i = 0; i < n; ++i) g(top - 1)[i] -= g(top)[i];
        --top;
        break;
      case OpKind::kMul: {
        const double a = val[top - 1], b = val[top];
        for (size_t i = 0; i < n; ++i) g(top - 1)[i] = g(top - 1)[i] * b + a * g(top)[i];
        val[top - 1] = a * b;
        --top;
        break;
      }
      case OpKind::kDiv: {
        const double a = val[top - 1], b = val[top];
        for (size_t i = 0; i < n; ++i) g(top - 1)[i] = (g(top - 1)[i] * b - a * g(top)[i]) / (b * b);
        val[top - 1] = a / b;
        --top;
        break;
      }
      case OpKind::kPow: {
        const double a = val[top - 1], b = val[top];
        const double v = std::pow(a, b);
        // d(a^b) = b a^(b-1) da + a^b ln(a) db; the second term only where b varies.
        const double da = (b == 0.0) ? 0.0 : b * std::pow(a, b - 1.0);
        bool b_varies = false;
        for (size_t i = 0; i < n; ++i) b_varies = b_varies || g(top)[i] != 0.0;
        const double db = b_varies ? v * std::log(a) : 0.0;
        for (size_t i = 0; i < n; ++i) g(top - 1)[i] = da * g(top - 1)[i] + db * g(top)[i];
        val[top - 1] = v;
        --top;
        break;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) gradient[i] = g(0)[i];
  return val[0];
}

}  // namespace lccge

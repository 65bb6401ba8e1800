#include "lccge/model/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

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
  Parser(const std::string& text, std::vector<Expression::Op>* ops, std::vector<std::string>* names)
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
  bool ParseUnary() {
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

  const std::string& text_;
  std::vector<Expression::Op>* ops_;
  std::vector<std::string>* names_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Expression::Expression(double value) : value_(value) {}

std::string Expression::text() const {
  if (program_ && !program_->text.empty()) return program_->text;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value_);
  return buffer;
}

Status Expression::Parse(const std::string& text, const SourceLocation& where, Expression* out) {
  auto program = std::make_shared<Program>();
  program->text = text;
  program->ops.reserve(8);  // most model expressions are short: one allocation instead of several
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

// The text of one linear form c + sum a*x: each number written once, in the shortest form that reads back exactly.
// Sizes are computed first so that every buffer of the program is allocated once at its final size.
class LinearForm {
 public:
  using Terms = std::initializer_list<std::pair<double, std::string_view>>;
  // `same_numbers`, if given, is a form whose numbers this one may repeat (a ratio's numerator and denominator
  // often share their coefficients): those are copied, not formatted again.
  LinearForm(double constant, Terms terms, const LinearForm* same_numbers = nullptr)
      : constant_(constant), terms_(terms), same_numbers_(same_numbers) {
    if (terms.size() + 1 > std::size(local_)) heap_.resize(terms.size() + 1);
    pieces_ = heap_.empty() ? local_ : heap_.data();
    size_t k = 0;
    for (const auto& [coefficient, name] : terms) {
      Piece& piece = pieces_[k++];
      if (coefficient == 0.0) continue;
      const double magnitude = std::abs(coefficient);
      if (magnitude != 1.0) {
        piece.length = FormatOrCopy(magnitude, piece.number);
        op_count_ += 2;
        text_size_ += piece.length + 1;
      }
      op_count_ += 1 + (coefficient < 0.0 ? 1 : 0) + (name_count_ > 0 ? 1 : 0);  // name, negation, addition
      text_size_ += name.size() + 1;
      ++name_count_;
    }
    if (constant != 0.0) {
      Piece& last = pieces_[terms.size()];
      last.length = FormatOrCopy(std::abs(constant), last.number);
      op_count_ += name_count_ > 0 ? 2 : 1;
      text_size_ += last.length + 1;
    } else if (name_count_ == 0) {
      op_count_ = 1;  // the constant 0
      text_size_ = 1;
    }
  }

  size_t name_count() const { return name_count_; }
  size_t op_count() const { return op_count_; }
  size_t text_size() const { return text_size_; }

  // Appends the postfix program and the text; names are shared with what `names` already holds.
  void AppendTo(std::vector<Expression::Op>* ops, std::vector<std::string>* names, std::string* text) const {
    using OpKind = Expression::OpKind;
    size_t k = 0;
    bool first = true;
    for (const auto& [coefficient, name] : terms_) {
      const Piece& piece = pieces_[k++];
      if (coefficient == 0.0) continue;
      const int index = NameSlot(name, names);
      if (coefficient < 0.0)
        *text += '-';
      else if (!first)
        *text += '+';
      if (piece.length > 0) {
        text->append(piece.number, piece.length);
        *text += '*';
        ops->push_back({OpKind::kConst, -1, std::abs(coefficient)});
      }
      text->append(name);
      ops->push_back({OpKind::kName, index, 0.0});
      if (piece.length > 0) ops->push_back({OpKind::kMul, -1, 0.0});
      if (coefficient < 0.0) ops->push_back({OpKind::kNeg, -1, 0.0});
      if (!first) ops->push_back({OpKind::kAdd, -1, 0.0});
      first = false;
    }
    const Piece& last = pieces_[terms_.size()];
    if (constant_ != 0.0) {
      if (first) {  // no terms: the constant alone
        if (constant_ < 0.0) *text += '-';
        text->append(last.number, last.length);
        ops->push_back({OpKind::kConst, -1, constant_});
      } else {
        *text += constant_ < 0.0 ? '-' : '+';
        text->append(last.number, last.length);
        ops->push_back({OpKind::kConst, -1, std::abs(constant_)});
        ops->push_back({constant_ < 0.0 ? OpKind::kSub : OpKind::kAdd, -1, 0.0});
      }
    } else if (first) {
      *text += '0';
      ops->push_back({OpKind::kConst, -1, 0.0});
    }
  }

 private:
  struct Piece {
    char number[32];
    size_t length = 0;  // 0: coefficient +-1, no number written
  };
  static size_t Write(double v, char* out) {
    return static_cast<size_t>(std::to_chars(out, out + sizeof(Piece::number), v).ptr - out);
  }
  size_t FormatOrCopy(double magnitude, char* out) const {
    if (same_numbers_ != nullptr) {
      size_t k = 0;
      for (const auto& term : same_numbers_->terms_) {
        const Piece& piece = same_numbers_->pieces_[k++];
        if (piece.length > 0 && std::abs(term.first) == magnitude) {
          std::memcpy(out, piece.number, piece.length);
          return piece.length;
        }
      }
    }
    return Write(magnitude, out);
  }
  double constant_;
  Terms terms_;
  const LinearForm* same_numbers_;
  Piece local_[5];
  std::vector<Piece> heap_;
  Piece* pieces_;
  size_t name_count_ = 0, op_count_ = 0, text_size_ = 0;
};

}  // namespace

Expression Expression::Linear(double constant, std::initializer_list<std::pair<double, std::string_view>> terms) {
  const LinearForm form(constant, terms);
  if (form.name_count() == 0) return Expression(constant);
  auto program = std::make_shared<Program>();
  program->ops.reserve(form.op_count());
  program->names.reserve(form.name_count());
  program->text.reserve(form.text_size());
  form.AppendTo(&program->ops, &program->names, &program->text);
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
  const LinearForm denominator(denominator_constant, denominator_terms, &numerator);
  if (numerator.name_count() + denominator.name_count() == 0)
    return Expression(numerator_constant / denominator_constant);
  auto program = std::make_shared<Program>();
  program->ops.reserve(numerator.op_count() + denominator.op_count() + 1);
  program->names.reserve(numerator.name_count() + denominator.name_count());
  std::string& text = program->text;
  text.reserve(numerator.text_size() + denominator.text_size() + 5);
  text += '(';
  numerator.AppendTo(&program->ops, &program->names, &text);
  text += ")/(";
  denominator.AppendTo(&program->ops, &program->names, &text);
  text += ')';
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
  const std::vector<Op>& ops_ = program_->ops;
  double stack[64] = {};
  std::vector<double> heap;
  double* st = stack;
  if (ops_.size() > 64) {
    heap.resize(ops_.size());
    st = heap.data();
  }
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
  const std::vector<Op>& ops_ = program_->ops;
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

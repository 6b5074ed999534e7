// SPDX-License-Identifier: GPL-2.0
#include "filter.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <regex.h>
#include <string>

namespace nstree::cli {

namespace {

enum class Op { eq, ne, lt, le, gt, ge, match, nomatch, both, either, negate, column, number, text };

// A compiled POSIX regular expression, freed with its last user.
struct Regex {
	regex_t re;
	explicit Regex(const regex_t &r) : re(r) {}
	Regex(const Regex &) = delete;
	Regex &operator=(const Regex &) = delete;
	~Regex() { regfree(&re); }
};

} // namespace

struct Filter::Node {
	Op op;
	size_t left = 0, right = 0;      // operands: indices of earlier nodes
	const Column *column = nullptr;  // Op::column
	double number = 0;               // Op::number
	std::string text;                // Op::text (also a number's spelling)
	std::shared_ptr<const Regex> re; // Op::match, Op::nomatch
};

namespace {

using Node = Filter::Node;

Node make_node(Op op, size_t left = 0, size_t right = 0)
{
	Node n;
	n.op = op;
	n.left = left;
	n.right = right;
	return n;
}

struct Token {
	enum Kind { end, word, number, text, op, open, close } kind = end;
	std::string value;
	size_t at = 0;
};

class Lexer {
public:
	explicit Lexer(std::string_view s) : s_(s) {}

	Result<Token> next()
	{
		while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
			pos_++;
		Token t;
		t.at = pos_;
		if (pos_ == s_.size())
			return t;
		char c = s_[pos_];
		if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
			size_t b = pos_;
			while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
				pos_++;
			t.kind = Token::word;
			t.value = s_.substr(b, pos_ - b);
			return t;
		}
		if (std::isdigit(static_cast<unsigned char>(c))) {
			size_t b = pos_;
			while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
				pos_++;
			t.kind = Token::number;
			t.value = s_.substr(b, pos_ - b);
			return t;
		}
		if (c == '"' || c == '\'') {
			pos_++;
			t.kind = Token::text;
			while (pos_ < s_.size() && s_[pos_] != c) {
				// \" \' and \\ stand for themselves; any other backslash stays, for
				// regular expressions ("^\[kworker").
				if (s_[pos_] == '\\' && pos_ + 1 < s_.size() &&
				    (s_[pos_ + 1] == c || s_[pos_ + 1] == '\\'))
					pos_++;
				t.value += s_[pos_++];
			}
			if (pos_ == s_.size())
				return Error{EINVAL, "the string at " + std::to_string(t.at + 1) + " has no closing " + c};
			pos_++;
			return t;
		}
		if (c == '(' || c == ')') {
			pos_++;
			t.kind = c == '(' ? Token::open : Token::close;
			return t;
		}
		for (std::string_view o : {"==", "!=", "<=", ">=", "=~", "!~", "&&", "||", "<", ">", "!"}) {
			if (s_.substr(pos_, o.size()) == o) {
				pos_ += o.size();
				t.kind = Token::op;
				t.value = o;
				return t;
			}
		}
		return Error{EINVAL, "unexpected '" + std::string(1, c) + "' at " + std::to_string(pos_ + 1)};
	}

private:
	std::string_view s_;
	size_t pos_ = 0;
};

std::string lower(std::string s)
{
	for (char &c : s)
		c = char(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

// The operator a token spells, words included (eq, and, not...).
std::optional<Op> operator_of(const Token &t)
{
	if (t.kind != Token::op && t.kind != Token::word)
		return std::nullopt;
	static const struct {
		std::string_view sym, word;
		Op op;
	} ops[] = {{"==", "eq", Op::eq},     {"!=", "ne", Op::ne},        {"<", "lt", Op::lt},
		   {"<=", "le", Op::le},     {">", "gt", Op::gt},         {">=", "ge", Op::ge},
		   {"=~", "", Op::match},    {"!~", "", Op::nomatch},     {"&&", "and", Op::both},
		   {"||", "or", Op::either}, {"!", "not", Op::negate}};
	std::string v = t.kind == Token::word ? lower(t.value) : t.value;
	for (const auto &o : ops)
		if (t.kind == Token::op ? v == o.sym : (!o.word.empty() && v == o.word))
			return o.op;
	return std::nullopt;
}

bool is_comparison(Op op)
{
	return op <= Op::nomatch;
}

class Parser {
public:
	explicit Parser(std::string_view s) : lex_(s) {}

	Result<size_t> parse()
	{
		if (auto e = advance())
			return *e;
		auto root = either();
		if (!root)
			return root;
		if (tok_.kind != Token::end)
			return expected("an operator or the end");
		return root;
	}

	std::vector<Node> nodes;
	std::vector<const Column *> columns;

private:
	std::optional<Error> advance()
	{
		auto t = lex_.next();
		if (!t)
			return t.error();
		tok_ = *t;
		return std::nullopt;
	}

	Error expected(const char *what) const
	{
		std::string got = tok_.kind == Token::end ? "the end" : "'" + tok_.value + "'";
		if (tok_.kind == Token::open || tok_.kind == Token::close)
			got = tok_.kind == Token::open ? "'('" : "')'";
		return Error{EINVAL, std::string("expected ") + what + " at " + std::to_string(tok_.at + 1) + ", found " + got};
	}

	size_t add(Node n)
	{
		nodes.push_back(std::move(n));
		return nodes.size() - 1;
	}

	Result<size_t> binary(Op op, Result<size_t> (Parser::*tighter)())
	{
		auto left = (this->*tighter)();
		while (left && operator_of(tok_) == op) {
			if (auto e = advance())
				return *e;
			auto right = (this->*tighter)();
			if (!right)
				return right;
			left = add(make_node(op, *left, *right));
		}
		return left;
	}

	Result<size_t> either() { return binary(Op::either, &Parser::both); }
	Result<size_t> both() { return binary(Op::both, &Parser::unary); }

	Result<size_t> unary()
	{
		if (operator_of(tok_) == Op::negate) {
			if (auto e = advance())
				return *e;
			auto inner = unary();
			if (!inner)
				return inner;
			return add(make_node(Op::negate, *inner));
		}
		return comparison();
	}

	Result<size_t> comparison()
	{
		if (tok_.kind == Token::open) {
			if (auto e = advance())
				return *e;
			auto inner = either();
			if (!inner)
				return inner;
			if (tok_.kind != Token::close)
				return expected("')'");
			if (auto e = advance())
				return *e;
			return inner;
		}
		auto left = operand();
		if (!left)
			return left;
		auto op = operator_of(tok_);
		if (!op || !is_comparison(*op))
			return left; // a column alone: it has data
		if (auto e = advance())
			return *e;
		Token rhs = tok_;
		auto right = operand();
		if (!right)
			return right;
		Node n = make_node(*op, *left, *right);
		if (*op == Op::match || *op == Op::nomatch) {
			if (rhs.kind != Token::text)
				return Error{EINVAL, "=~ and !~ take a \"regular expression\" (at " + std::to_string(rhs.at + 1) + ")"};
			regex_t re;
			int err = regcomp(&re, rhs.value.c_str(), REG_EXTENDED | REG_NOSUB);
			if (err) {
				char msg[128];
				regerror(err, &re, msg, sizeof(msg));
				return Error{EINVAL, "bad regular expression \"" + rhs.value + "\": " + msg};
			}
			n.re = std::make_shared<const Regex>(re);
		}
		return add(std::move(n));
	}

	Result<size_t> operand()
	{
		Token t = tok_;
		Node n = make_node(Op::text);
		switch (t.kind) {
		case Token::word:
			n.op = Op::column;
			n.column = find_column(t.value);
			if (!n.column)
				return Error{EINVAL, "unknown column '" + t.value + "' in the filter (nstree ls -H lists them)"};
			columns.push_back(n.column);
			break;
		case Token::number: {
			n.op = Op::number;
			n.text = t.value;
			char *end = nullptr;
			n.number = std::strtod(t.value.c_str(), &end);
			if (!end || *end)
				return Error{EINVAL, "bad number '" + t.value + "' at " + std::to_string(t.at + 1)};
			break;
		}
		case Token::text:
			n.text = t.value;
			break;
		default:
			return expected("a column, a number or a \"string\"");
		}
		if (auto e = advance())
			return *e;
		return add(std::move(n));
	}

	Lexer lex_;
	Token tok_;
};

// The value of an operand for one namespace: its text, and its number when it is one.
struct Value {
	bool present = false;
	std::string text;
	std::optional<double> number;
};

Value value_of(const Node &n, const Namespace &ns)
{
	Value v;
	switch (n.op) {
	case Op::column:
		v.present = append_cell(*n.column, ns, ",", v.text);
		if (v.present && n.column->json == JsonType::number) {
			double d = 0;
			auto [p, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), d);
			if (ec == std::errc() && p == v.text.data() + v.text.size())
				v.number = d;
		}
		if (v.present && n.column->json == JsonType::boolean)
			v.number = v.text == "true" ? 1 : 0;
		return v;
	case Op::number:
		v.number = n.number;
		[[fallthrough]];
	default:
		v.present = true;
		v.text = n.text;
		return v;
	}
}

bool compare(Op op, const Value &a, const Value &b)
{
	// A cell without data is equal to nothing, and differs from everything.
	if (!a.present || !b.present)
		return op == Op::ne;
	int c;
	if (a.number && b.number)
		c = *a.number < *b.number ? -1 : (*a.number > *b.number ? 1 : 0);
	else
		c = a.text.compare(b.text);
	switch (op) {
	case Op::eq:
		return c == 0;
	case Op::ne:
		return c != 0;
	case Op::lt:
		return c < 0;
	case Op::le:
		return c <= 0;
	case Op::gt:
		return c > 0;
	default:
		return c >= 0;
	}
}

bool eval(const std::vector<Node> &nodes, size_t i, const Namespace &ns)
{
	const Node &n = nodes[i];
	switch (n.op) {
	case Op::both:
		return eval(nodes, n.left, ns) && eval(nodes, n.right, ns);
	case Op::either:
		return eval(nodes, n.left, ns) || eval(nodes, n.right, ns);
	case Op::negate:
		return !eval(nodes, n.left, ns);
	case Op::match:
	case Op::nomatch: {
		Value v = value_of(nodes[n.left], ns);
		bool m = v.present && regexec(&n.re->re, v.text.c_str(), 0, nullptr, 0) == 0;
		return n.op == Op::match ? m : !m;
	}
	case Op::column:
	case Op::number:
	case Op::text: {
		// An operand alone: it has data (and, for a number, not zero).
		Value v = value_of(n, ns);
		return v.present && !v.text.empty() && (!v.number || *v.number != 0);
	}
	default:
		return compare(n.op, value_of(nodes[n.left], ns), value_of(nodes[n.right], ns));
	}
}

} // namespace

Result<Filter> Filter::parse(std::string_view expr)
{
	Parser p(expr);
	auto root = p.parse();
	if (!root)
		return Error{EINVAL, "bad filter: " + root.error().message};
	Filter f;
	f.nodes_ = std::make_shared<const std::vector<Node>>(std::move(p.nodes));
	f.root_ = *root;
	f.columns_ = std::move(p.columns);
	return f;
}

bool Filter::matches(const Namespace &ns) const
{
	return eval(*nodes_, root_, ns);
}

} // namespace nstree::cli

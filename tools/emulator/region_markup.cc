// tools/emulator/region_markup.cc: RenderMarkup, a region's markup tree in one dialect.
#include <fmt/format.h>

#include <algorithm>

#include "tools/emulator/code_text.h"
#include "tools/emulator/region_model.h"

namespace hfs::emulator {
namespace {

using json = nlohmann::ordered_json;

bool IsText(const Node& node) { return node.tag.empty(); }

class Renderer {
 public:
  Renderer(const MarkupOptions& options, const json& data) : options_(options), data_(data) {}

  void Nodes(const std::vector<Node>& nodes, int indent) {
    for (const Node& node : nodes) Element(node, indent);
  }
  std::string Take() { return std::move(out_); }

 private:
  bool Html() const { return options_.dialect == Dialect::kHtml; }

  // The value of "tier.name" / "feature" in the current loop scope (HTML only).
  json Resolve(const std::string& path) const {
    const size_t dot = path.find('.');
    const std::string head = path.substr(0, dot);
    json value = scope_.contains(head) ? scope_[head] : data_.value(head, json());
    if (dot != std::string::npos && value.is_object()) {
      value = value.value(path.substr(dot + 1), json());
    }
    return value;
  }
  std::string ResolvedText(const TextValue& text) const {
    if (text.field.empty()) return text.literal;
    const json value = Resolve(text.field);
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  // A text value as an expression: the field path or a string literal.
  static std::string Expression(const TextValue& text) {
    return text.field.empty() ? json(text.literal).dump() : text.field;
  }
  std::string Embed(const std::string& expression) const {
    return options_.dialect == Dialect::kVue ? "{{ " + expression + " }}" : "{" + expression + "}";
  }

  std::string TextNode(const Node& node) const {
    if (node.choice) {
      const auto& [on, off] = *node.choice;
      if (Html()) {
        return fmt::format(R"(<span data-switch data-on="{}" data-off="{}">{}</span>)",
                           EscapeMarkup(ResolvedText(on)), EscapeMarkup(ResolvedText(off)),
                           EscapeMarkup(ResolvedText(off)));
      }
      return Embed(fmt::format("{} ? {} : {}", options_.state, Expression(on), Expression(off)));
    }
    if (node.text.field.empty() || Html()) return EscapeMarkup(ResolvedText(node.text));
    return Embed(node.text.field);
  }

  // ` name={value}` / ` :name="value"` for an attribute bound to an expression.
  std::string Dynamic(const std::string& name, const std::string& expression) const {
    if (options_.dialect == Dialect::kVue) return fmt::format(" :{}=\"{}\"", name, expression);
    return fmt::format(" {}={{{}}}", name, expression);
  }

  std::string BindAttributes(const Node& node) const {
    const std::string& state = options_.state;
    switch (node.bind) {
      case Bind::kToggle:
        if (Html()) return fmt::format(R"( data-toggle="{0}" {0}="false")", node.aria);
        return (options_.dialect == Dialect::kVue   ? " @click=\"" + options_.toggle + "\""
                : options_.dialect == Dialect::kJsx ? " onClick={" + options_.toggle + "}"
                                                    : " onclick={" + options_.toggle + "}") +
               Dynamic(node.aria, state);
      case Bind::kShowWhenOn:
        return Html() ? R"( data-show="on" hidden)" : Dynamic("hidden", "!" + state);
      case Bind::kShowWhenOff:
        return Html() ? R"( data-show="off")" : Dynamic("hidden", state);
      case Bind::kOpenWhenOn:
        return Html() ? " data-open" : Dynamic("open", state);
      case Bind::kNone:
        break;
    }
    return {};
  }

  std::string Attributes(const Node& node, const std::string& key_attribute) const {
    const bool jsx = options_.dialect == Dialect::kJsx;
    std::string text = key_attribute;
    for (const auto& [name, value] : node.attrs) {
      std::string attribute = name;
      if (jsx && name == "class") attribute = "className";
      if (jsx && name == "for") attribute = "htmlFor";
      text += fmt::format(" {}=\"{}\"", attribute, EscapeMarkup(value));
    }
    for (const auto& [name, field] : node.field_attrs) {
      text += Html() ? fmt::format(" {}=\"{}\"", name, EscapeMarkup(ResolvedText({.field = field})))
                     : Dynamic(name, field);
    }
    if (jsx && node.animated && options_.motion) {
      text += " initial={{ opacity: 0, y: 16 }} animate={{ opacity: 1, y: 0 }}";
    }
    return text + BindAttributes(node);
  }

  void Line(int indent, const std::string& text) {
    out_ += std::string(static_cast<size_t>(indent), ' ') + text + "\n";
  }

  void Element(const Node& node, int indent) {
    if (IsText(node)) {
      Line(indent, TextNode(node));
      return;
    }
    if (node.each.empty()) {
      Single(node, indent, {});
      return;
    }
    Loop(node, indent);
  }

  void Loop(const Node& node, int indent) {
    const std::string key_expression = node.key.empty()  ? "index"
                                       : node.key == "." ? node.as
                                                         : node.as + "." + node.key;
    const std::string variables = node.key.empty() ? "(" + node.as + ", index)" : node.as;
    switch (options_.dialect) {
      case Dialect::kHtml:
        for (const json& item : Resolve(node.each)) {
          scope_[node.as] = item;
          Single(node, indent, {});
        }
        scope_.erase(node.as);
        return;
      case Dialect::kJsx:
        Line(indent, fmt::format("{{{}.map(({}) => (", node.each,
                                 node.key.empty() ? node.as + ", index" : node.as));
        Single(node, indent + 2, " key={" + key_expression + "}");
        Line(indent, "))}");
        return;
      case Dialect::kVue:
        Single(
            node, indent,
            fmt::format(" v-for=\"{} in {}\" :key=\"{}\"", variables, node.each, key_expression));
        return;
      case Dialect::kSvelte:
        Line(indent, node.key.empty() ? fmt::format("{{#each {} as {}}}", node.each, node.as)
                                      : fmt::format("{{#each {} as {} ({})}}", node.each, node.as,
                                                    key_expression));
        Single(node, indent + 2, {});
        Line(indent, "{/each}");
        return;
    }
  }

  void Single(const Node& node, int indent, const std::string& key_attribute) {
    std::string tag = node.tag;
    if (options_.dialect == Dialect::kJsx && node.animated && options_.motion && tag == "div") {
      tag = "motion.div";
    }
    const std::string open = "<" + tag + Attributes(node, key_attribute) + ">";
    const bool inline_children = std::all_of(node.children.begin(), node.children.end(), IsText);
    if (inline_children) {
      std::string text;
      if (options_.dialect == Dialect::kJsx && node.bind == Bind::kToggle &&
          !options_.icon.empty()) {
        text = "<" + options_.icon + " size={16} aria-hidden=\"true\" /> ";
      }
      for (const Node& child : node.children) text += TextNode(child);
      Line(indent, open + text + "</" + tag + ">");
      return;
    }
    Line(indent, open);
    for (const Node& child : node.children) Element(child, indent + 2);
    Line(indent, "</" + tag + ">");
  }

  const MarkupOptions& options_;
  const json& data_;
  json scope_ = json::object();
  std::string out_;
};

}  // namespace

std::string RenderMarkup(const std::vector<Node>& nodes, const MarkupOptions& options,
                         const nlohmann::ordered_json& data, int indent) {
  Renderer renderer(options, data);
  renderer.Nodes(nodes, indent);
  return renderer.Take();
}

}  // namespace hfs::emulator

// tools/emulator/region_model.cc: what each kind of region shows.
#include "tools/emulator/region_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>

#include "tools/emulator/code_text.h"

namespace hfs::emulator {
namespace {

using json = nlohmann::ordered_json;
using Attrs = std::vector<std::pair<std::string, std::string>>;

Node El(std::string tag, Attrs attrs, std::vector<Node> children = {}) {
  return Node{.tag = std::move(tag), .attrs = std::move(attrs), .children = std::move(children)};
}
Node Text(std::string literal) { return Node{.text = {.literal = std::move(literal)}}; }
Node Field(std::string path) { return Node{.text = {.field = std::move(path)}}; }
Node Choice(TextValue on, TextValue off) {
  return Node{.choice = std::make_pair(std::move(on), std::move(off))};
}
Node Each(Node node, std::string list, std::string as, std::string key) {
  node.each = std::move(list);
  node.as = std::move(as);
  node.key = std::move(key);
  return node;
}
Node Bound(Node node, Bind bind, std::string aria = {}) {
  node.bind = bind;
  node.aria = std::move(aria);
  return node;
}

bool Has(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

// The first number in `text` ("three tiers", "5 questions"), else `fallback`.
int NumberIn(const std::string& text, int fallback) {
  static const char* kWords[] = {"one", "two", "three", "four", "five", "six", "seven", "eight"};
  static const std::regex kNumber(R"re(\b([1-8]|one|two|three|four|five|six|seven|eight)\b)re",
                                  std::regex::icase);
  std::smatch match;
  if (!std::regex_search(text, match, kNumber)) return fallback;
  const std::string word = LowerText(match[1].str());
  for (int i = 0; i < 8; ++i) {
    if (word == kWords[i]) return i + 1;
  }
  return std::stoi(word);
}

// "(Starter, Pro, Enterprise)" in a content line, else names for `count` tiers.
std::vector<std::string> TierNames(const std::string& content, int count) {
  static const std::regex kList(R"re(\(([^()]+,[^()]+)\))re");
  std::smatch match;
  if (std::regex_search(content, match, kList)) {
    std::vector<std::string> names;
    const std::string list = match[1].str();
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = std::min(list.find(',', start), list.size());
      std::string name = CleanText(list.substr(start, end - start));
      if (!name.empty()) names.push_back(std::move(name));
      start = end + 1;
    }
    if (names.size() >= 2) return names;
  }
  static const std::vector<std::vector<std::string>> kNames = {
      {"Pro"},
      {"Free", "Pro"},
      {"Starter", "Pro", "Enterprise"},
      {"Free", "Starter", "Pro", "Enterprise"},
      {"Free", "Starter", "Pro", "Business", "Enterprise"},
      {"Free", "Starter", "Pro", "Team", "Business", "Enterprise"}};
  return kNames[static_cast<size_t>(std::clamp(count, 1, 6) - 1)];
}

// The tiers of the page: from the pricing region of the contract when there is one.
std::vector<std::string> PageTiers(const RegionContext& context) {
  for (const ContractRegion& region : context.regions) {
    if (KindOfRegion(region.root, LowerText(region.content)) == RegionKind::kPricing) {
      return TierNames(region.content, NumberIn(region.content, 3));
    }
  }
  return TierNames(context.content, NumberIn(context.content, 3));
}

Node Heading(const RegionContext& context, const std::string& tag, const std::string& text) {
  Attrs attrs = {{"class", context.Class("title")}};
  if (context.shared_ids) attrs.insert(attrs.begin(), {"id", "title"});
  return El(tag, std::move(attrs), {Text(text)});
}

Node ToggleButton(const RegionContext& context, std::string on, std::string off, std::string aria) {
  Attrs attrs = {{"type", "button"}, {"class", context.Class("toggle")}};
  if (context.shared_ids) attrs.insert(attrs.begin(), {"id", "toggle"});
  return Bound(El("button", std::move(attrs),
                  {Choice({.literal = std::move(on)}, {.literal = std::move(off)})}),
               Bind::kToggle, std::move(aria));
}

Node More(const RegionContext& context, std::string text) {
  return Bound(El("p", {{"class", context.Class("more")}}, {Text(std::move(text))}),
               Bind::kShowWhenOn);
}

RegionPlan Hero(const RegionContext& context) {
  RegionPlan plan{.kind = RegionKind::kHero};
  std::string next = "#";
  for (size_t i = 0; i + 1 < context.regions.size(); ++i) {
    if (context.regions[i].root == context.root) next += context.regions[i + 1].root;
  }
  const std::string headline = context.page_title.empty() ? context.title : context.page_title;
  plan.body = {
      Heading(context, "h1", headline),
      El("p", {{"class", context.Class("lead")}},
         {Text(fmt::format("Everything {} offers, in one place. Start in minutes and grow at "
                           "your own pace.",
                           context.product))}),
      El("div", {{"class", context.Class("actions")}},
         {El("a", {{"class", context.Class("button")}, {"href", next == "#" ? "#top" : next}},
             {Text("Get started")}),
          ToggleButton(context, "Show less", "Learn more", "aria-expanded")}),
      More(context, fmt::format("{} is built for small teams and large companies alike, with "
                                "no setup fees and no lock-in.",
                                context.product))};
  return plan;
}

RegionPlan Pricing(const RegionContext& context) {
  static const char* kFeatures[] = {
      "Up to 3 projects",   "Basic analytics",    "Email support",
      "Unlimited projects", "Advanced analytics", "Priority support",
      "SSO and audit logs", "Custom contracts",   "Dedicated success manager"};
  static const int kPrices[] = {9, 29, 79, 149, 299, 499};
  RegionPlan plan{.kind = RegionKind::kPricing, .state = "annual"};
  const std::vector<std::string> names = TierNames(context.content, NumberIn(context.content, 3));
  json tiers = json::array();
  size_t paid = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const bool free = LowerText(names[i]) == "free";
    const int monthly = free ? 0 : kPrices[std::min<size_t>(paid++, 5)];
    json features = json::array();
    for (size_t f = 0; f < 3; ++f) features.push_back(kFeatures[(i * 2 + f) % 9]);
    const bool sales = names.size() >= 3 && i + 1 == names.size();
    tiers.push_back(
        {{"name", names[i]},
         {"monthly", fmt::format("${} / month", monthly)},
         {"yearly", fmt::format("${} / year", static_cast<int>(std::lround(monthly * 12 * 0.8)))},
         {"features", features},
         {"cta", free    ? "Start for free"
                 : sales ? "Contact sales"
                         : "Choose " + names[i]}});
  }
  plan.data["tiers"] = tiers;
  Node card = El("article", {{"class", context.Class("card")}},
                 {El("h3", {}, {Field("tier.name")}),
                  El("p", {{"class", context.Class("price")}},
                     {Choice({.field = "tier.yearly"}, {.field = "tier.monthly"})}),
                  El("ul", {{"class", context.Class("features")}},
                     {Each(El("li", {}, {Field("feature")}), "tier.features", "feature", ".")}),
                  El("button", {{"type", "button"}, {"class", context.Class("button")}},
                     {Field("tier.cta")})});
  Node grid = El("div", {{"class", context.Class("grid")}}, {Each(card, "tiers", "tier", "name")});
  grid.animated = true;
  plan.body = {
      Heading(context, "h2", context.title),
      El("p", {{"class", context.Class("lead")}},
         {Text("Simple plans for every team. Switch or cancel at any time.")}),
      ToggleButton(context, "Annual billing (save 20%)", "Monthly billing", "aria-pressed"),
      std::move(grid)};
  return plan;
}

RegionPlan Comparison(const RegionContext& context) {
  static const char* kRows[] = {"Projects",       "Team members", "Analytics",  "Email support",
                                "Single sign-on", "Audit logs",   "Uptime SLA", "API access"};
  static const char* kMembers[] = {"1", "5", "25", "Unlimited", "Unlimited", "Unlimited"};
  RegionPlan plan{.kind = RegionKind::kComparison};
  const std::vector<std::string> tiers = PageTiers(context);
  json rows = json::array();
  json more_rows = json::array();
  for (size_t r = 0; r < 8; ++r) {
    json cells = json::array();
    for (size_t t = 0; t < tiers.size(); ++t) {
      if (r == 0) {
        cells.push_back(t == 0 ? "3" : "Unlimited");
      } else if (r == 1) {
        cells.push_back(kMembers[std::min<size_t>(t, 5)]);
      } else {
        cells.push_back(t >= std::min(tiers.size() - 1, (r - 2) / 2) ? "\u2713" : "\u2014");
      }
    }
    (r < 4 ? rows : more_rows).push_back({{"feature", kRows[r]}, {"cells", cells}});
  }
  plan.data["plans"] = tiers;
  plan.data["rows"] = rows;
  plan.data["moreRows"] = more_rows;
  auto row = [](const std::string& list) {
    return Each(El("tr", {},
                   {El("th", {{"scope", "row"}}, {Field("row.feature")}),
                    Each(El("td", {}, {Field("cell")}), "row.cells", "cell", "")}),
                list, "row", "feature");
  };
  Node table =
      El("table", {{"class", context.Class("table")}},
         {El("caption", {}, {Text("Compare plans feature by feature")}),
          El("thead", {},
             {El("tr", {},
                 {El("th", {{"scope", "col"}}, {Text("Feature")}),
                  Each(El("th", {{"scope", "col"}}, {Field("plan")}), "plans", "plan", ".")})}),
          El("tbody", {}, {row("rows")}),
          Bound(El("tbody", {}, {row("moreRows")}), Bind::kShowWhenOn)});
  plan.body = {Heading(context, "h2", context.title),
               El("p", {{"class", context.Class("lead")}},
                  {Text("See what each plan includes before you choose.")}),
               El("div", {{"class", context.Class("scroll")}}, {std::move(table)}),
               ToggleButton(context, "Show fewer features", "Show all features", "aria-expanded")};
  return plan;
}

RegionPlan Faq(const RegionContext& context) {
  static const char* kQuestions[][2] = {
      {"Can I change plans later?",
       "Yes. Upgrade or downgrade at any time and we prorate the difference."},
      {"Is there a free trial?", "Every paid plan starts with a 14-day trial, no card needed."},
      {"How does billing work?",
       "We bill monthly or annually by card or invoice; annual billing saves 20%."},
      {"Can I cancel at any time?",
       "Yes. Cancel in your account settings and keep access until the period ends."},
      {"Do you offer support?", "Every plan includes email support; Pro and above get priority."},
      {"How is my data secured?",
       "Data is encrypted in transit and at rest, and audited every year."},
      {"Do you offer discounts?", "Nonprofits and schools get 50% off any plan."},
      {"Where is my data stored?", "In the region you choose: the EU or the United States."}};
  RegionPlan plan{.kind = RegionKind::kFaq};
  const int count = std::clamp(NumberIn(context.content, 5), 2, 8);
  json questions = json::array();
  for (int i = 0; i < count; ++i) {
    questions.push_back({{"question", kQuestions[i][0]}, {"answer", kQuestions[i][1]}});
  }
  plan.data["questions"] = questions;
  Node item =
      Bound(El("details", {{"class", context.Class("card")}},
               {El("summary", {}, {Field("item.question")}), El("p", {}, {Field("item.answer")})}),
            Bind::kOpenWhenOn);
  plan.body = {Heading(context, "h2", context.title),
               ToggleButton(context, "Collapse all", "Expand all", "aria-expanded"),
               El("div", {{"class", context.Class("list")}},
                  {Each(std::move(item), "questions", "item", "question")})};
  return plan;
}

RegionPlan Footer(const RegionContext& context) {
  RegionPlan plan{.kind = RegionKind::kFooter};
  json links = json::array();
  for (const ContractRegion& region : context.regions) {
    if (region.root == context.root || region.root == "hero") continue;
    links.push_back({{"label", Sentence(CleanText(region.title))}, {"href", "#" + region.root}});
  }
  if (links.empty()) links.push_back({{"label", "Home"}, {"href", "#top"}});
  links.push_back({{"label", "Privacy"}, {"href", "#privacy"}});
  links.push_back({{"label", "Terms"}, {"href", "#terms"}});
  plan.data["links"] = links;
  Node link = El("a", {}, {Field("link.label")});
  link.field_attrs = {{"href", "link.href"}};
  plan.body = {Heading(context, "h2", context.product),
               El("nav", {{"aria-label", "Footer"}},
                  {El("ul", {{"class", context.Class("links")}},
                      {Each(El("li", {}, {std::move(link)}), "links", "link", "label")})}),
               El("p", {{"class", context.Class("copy")}},
                  {Text(fmt::format("\u00a9 2025 {}. All rights reserved.", context.product))}),
               ToggleButton(context, "Hide legal notice", "Legal notice", "aria-expanded"),
               More(context, "Prices exclude VAT. Plans renew automatically until cancelled.")};
  return plan;
}

// Cards for the other regions: features, testimonials, contact, gallery, team, posts.
json Cards(const std::string& root, const std::string& content) {
  static const std::vector<
      std::pair<std::string_view, std::vector<std::pair<const char*, const char*>>>>
      kCards = {{"feature",
                 {{"Fast setup", "Go live in minutes with guided onboarding."},
                  {"Team workspaces", "Share projects and permissions across your team."},
                  {"Real-time analytics", "See what changes as it happens."},
                  {"Integrations", "Connect the tools you already use."},
                  {"Role-based access", "Give everyone exactly the access they need."},
                  {"Audit trail", "Every change is recorded and searchable."}}},
                {"testimonial",
                 {{"It cut our reporting time in half.", "Dana Lee, Head of Operations"},
                  {"Setup took one afternoon.", "Omar Haddad, CTO"},
                  {"Support answers within the hour.", "Mia Chen, Product Manager"}}},
                {"contact",
                 {{"Email", "hello@example.com"},
                  {"Phone", "+1 555 0100, weekdays 9 to 5"},
                  {"Office", "12 Harbour Street, Springfield"}}},
                {"team",
                 {{"Ada Park", "Founder and CEO"},
                  {"Luis Ortega", "Head of Engineering"},
                  {"Priya Nair", "Design Lead"},
                  {"Tom Becker", "Customer Success"}}},
                {"post",
                 {{"Shipping faster with smaller releases", "March 2025: what we learned."},
                  {"A guide to team permissions", "February 2025: set up roles in minutes."},
                  {"Our 2025 roadmap", "January 2025: what is coming next."}}},
                {"gallery",
                 {{"Dashboard", "The overview your team sees first."},
                  {"Reports", "Weekly summaries, ready to share."},
                  {"Mobile", "Everything on the go."}}}};
  const std::string lower = LowerText(root + " " + content);
  for (const auto& [word, cards] : kCards) {
    const bool match = Has(lower, word) || (word == "team" && Has(lower, "about")) ||
                       (word == "post" && (Has(lower, "blog") || Has(lower, "article"))) ||
                       (word == "gallery" && Has(lower, "portfolio")) ||
                       (word == "testimonial" && Has(lower, "review")) ||
                       (word == "contact" && (Has(lower, "form") || Has(lower, "signup")));
    if (!match) continue;
    json list = json::array();
    for (const auto& [title, text] : cards) list.push_back({{"title", title}, {"text", text}});
    return list;
  }
  return json::array({{{"title", "Overview"}, {"text", "What it is and who it is for."}},
                      {{"title", "How it works"}, {"text", "Three steps from sign-up to results."}},
                      {{"title", "Why it matters"}, {"text", "Less busywork, more focus."}}});
}

RegionPlan CardsRegion(const RegionContext& context) {
  RegionPlan plan{.kind = RegionKind::kCards};
  plan.data["cards"] = Cards(context.root, context.content);
  const std::string lead = CleanText(context.content);
  Node card = El("article", {{"class", context.Class("card")}},
                 {El("h3", {}, {Field("card.title")}), El("p", {}, {Field("card.text")})});
  Node grid = El("div", {{"class", context.Class("grid")}}, {Each(card, "cards", "card", "title")});
  grid.animated = true;
  plan.body = {Heading(context, "h2", context.title),
               El("p", {{"class", context.Class("lead")}},
                  {Text(lead.empty() ? "Here is what you need to know." : Sentence(lead) + ".")}),
               std::move(grid), ToggleButton(context, "Show less", "Show more", "aria-expanded"),
               More(context, "Want the details? Read the full guide or talk to our team.")};
  return plan;
}

}  // namespace

RegionKind KindOfRegion(const std::string& root, const std::string& content) {
  const std::string lower = LowerText(root);
  if (Has(lower, "hero") || Has(lower, "banner") || Has(lower, "intro")) return RegionKind::kHero;
  if (Has(lower, "footer")) return RegionKind::kFooter;
  if (Has(lower, "faq") || Has(lower, "question")) return RegionKind::kFaq;
  if (Has(lower, "compar")) return RegionKind::kComparison;
  if (Has(lower, "pric") || Has(lower, "plan") || Has(lower, "tier")) return RegionKind::kPricing;
  if (Has(lower, "table")) return RegionKind::kComparison;
  const std::string about = LowerText(content);
  if (Has(about, "comparison table")) return RegionKind::kComparison;
  if (Has(about, "tiers") && Has(about, "price")) return RegionKind::kPricing;
  return RegionKind::kCards;
}

RegionPlan PlanRegion(const RegionContext& context) {
  switch (KindOfRegion(context.root, context.content)) {
    case RegionKind::kHero:
      return Hero(context);
    case RegionKind::kPricing:
      return Pricing(context);
    case RegionKind::kComparison:
      return Comparison(context);
    case RegionKind::kFaq:
      return Faq(context);
    case RegionKind::kFooter:
      return Footer(context);
    case RegionKind::kCards:
      break;
  }
  return CardsRegion(context);
}

}  // namespace hfs::emulator

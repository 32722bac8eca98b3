// tools/emulator/outline.cc
#include "tools/emulator/outline.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "tools/emulator/code_text.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

struct RegionIdea {
  const char* id;
  std::vector<const char*> words;  // whole words (lower case) that name it
  const char* title;
  const char* purpose;
};

const std::vector<RegionIdea>& Ideas() {
  static const std::vector<RegionIdea> ideas = {
      {"pricing",
       {"pricing", "price", "prices", "tier", "tiers", "plan", "plans"},
       "Pricing",
       "Help visitors pick the plan that fits them"},
      {"comparison",
       {"comparison", "compare", "table"},
       "Compare plans",
       "Show what each plan includes"},
      {"faq",
       {"faq", "faqs", "questions"},
       "Frequently asked questions",
       "Answer common doubts before they stop a sign-up"},
      {"features", {"features"}, "Features", "Show what the product does"},
      {"testimonials",
       {"testimonials", "testimonial", "reviews"},
       "What customers say",
       "Build trust with the words of real customers"},
      {"contact",
       {"contact", "form", "signup", "sign-up"},
       "Contact",
       "Let visitors reach the team"},
      {"gallery", {"gallery", "portfolio"}, "Gallery", "Show the work"},
      {"about", {"team", "about us"}, "About us", "Introduce the people behind it"},
      {"posts", {"blog", "articles", "posts"}, "Latest posts", "Show recent writing"},
  };
  return ideas;
}

const char* const kNumberWords[] = {"one", "two", "three", "four", "five", "six", "seven", "eight"};

// The number word or digit among the three words before one of `nouns` ("three pricing
// tiers"), else `fallback`.
std::string CountBefore(const std::string& lower, const std::string& nouns,
                        const std::string& fallback) {
  static const std::regex kWord(R"re([a-z0-9]+)re");
  const std::regex noun("\\b(?:" + nouns + ")\\b");
  for (auto it = std::sregex_iterator(lower.begin(), lower.end(), noun);
       it != std::sregex_iterator(); ++it) {
    const std::string before = lower.substr(0, static_cast<size_t>(it->position(0)));
    std::vector<std::string> words;
    for (auto word = std::sregex_iterator(before.begin(), before.end(), kWord);
         word != std::sregex_iterator(); ++word) {
      words.push_back(word->str());
    }
    for (size_t back = 1; back <= 3 && back <= words.size(); ++back) {
      const std::string& word = words[words.size() - back];
      for (int i = 0; i < 8; ++i) {
        if (word == kNumberWords[i] || word == std::to_string(i + 1)) return kNumberWords[i];
      }
    }
  }
  return fallback;
}

std::string TierList(const std::string& count) {
  static const char* kLists[] = {"Pro",
                                 "Free, Pro",
                                 "Starter, Pro, Enterprise",
                                 "Free, Starter, Pro, Enterprise",
                                 "Free, Starter, Pro, Business, Enterprise",
                                 "Free, Starter, Pro, Team, Business, Enterprise"};
  for (int i = 0; i < 6; ++i) {
    if (count == kNumberWords[i]) return kLists[i];
  }
  return kLists[2];
}

std::string ContentOf(const std::string& id, const std::string& lower, const std::string& product) {
  if (id == "pricing") {
    const std::string count = CountBefore(lower, "tiers|plans|tier|plan|pricing", "three");
    const bool one = count == "one";
    return fmt::format("{} tier{} ({}) with monthly prices and a monthly/annual toggle", count,
                       one ? "" : "s", TierList(count));
  }
  if (id == "comparison") {
    return "a feature comparison table of the tiers: one row per feature, one column per tier, "
           "with a header row";
  }
  if (id == "faq") {
    return CountBefore(lower, "questions|faqs|faq", "five") +
           " common questions with short answers about billing, trials, cancellation, support "
           "and security";
  }
  if (id == "features") {
    return CountBefore(lower, "features", "six") + " features, each with a title and one sentence";
  }
  if (id == "testimonials") return "three customer quotes, each with the name and role";
  if (id == "contact") return "email, phone and office address, with a note on response times";
  if (id == "gallery") return "six screenshots of " + product + " with captions";
  if (id == "about") return "four team members, each with name and role";
  if (id == "posts") return "the three latest articles with title, date and a one-line summary";
  return "the main content about " + product + ": a heading, short paragraphs and key points";
}

// Earliest whole-word position of any of `words` in `lower`, or npos.
size_t FirstMention(const std::string& lower, const std::vector<const char*>& words) {
  size_t first = std::string::npos;
  for (const char* word : words) {
    const std::regex pattern(std::string("\\b") + word + "\\b");
    std::smatch match;
    if (std::regex_search(lower, match, pattern)) {
      first = std::min(first, static_cast<size_t>(match.position(0)));
    }
  }
  return first;
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// "SaaS product" from "... for a SaaS product with ...", else "".
std::string ProductIn(const std::string& request) {
  static const std::regex kFor(
      R"re(\bfor\s+(?:an?\s+|the\s+|my\s+|our\s+)?(.+?)(?=\s+(?:with|that|which|where|including|featuring|and)\b|[,.;:!?]|$))re",
      std::regex::icase);
  std::smatch match;
  if (!std::regex_search(request, match, kFor)) return {};
  std::string product = CleanText(match[1].str());
  if (product.size() > 60) product.resize(60);
  return product;
}

// "Pricing" from "a pricing page ...", else "".
std::string PageKind(const std::string& lower) {
  static const std::regex kPage(R"re(\b([a-z][a-z-]*)\s+(?:page|site|website)\b)re");
  std::smatch match;
  if (!std::regex_search(lower, match, kPage)) return {};
  const std::string word = match[1].str();
  for (const char* skip :
       {"a", "an", "the", "one", "single", "web", "simple", "new", "my", "our"}) {
    if (word == skip) return {};
  }
  return Capitalized(word);
}

}  // namespace

json PageOutline(std::string_view request_text) {
  const std::string request = CleanText(request_text);
  const std::string lower = LowerText(request);
  const std::string product = ProductIn(request);
  const std::string about = product.empty() ? "the product" : product;
  std::vector<std::pair<size_t, const RegionIdea*>> named;
  for (const RegionIdea& idea : Ideas()) {
    const size_t at = FirstMention(lower, idea.words);
    if (at != std::string::npos) named.emplace_back(at, &idea);
  }
  std::stable_sort(named.begin(), named.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  json regions = json::array();
  regions.push_back(
      {{"id", "hero"},
       {"title", "Hero"},
       {"purpose", "Say what " + about + " is and invite the visitor in"},
       {"content", "a headline naming " + about +
                       ", a one-line value proposition and a primary call to action"}});
  for (const auto& [at, idea] : named) {
    regions.push_back({{"id", idea->id},
                       {"title", idea->title},
                       {"purpose", idea->purpose},
                       {"content", ContentOf(idea->id, lower, about)}});
  }
  if (named.empty()) {
    regions.push_back({{"id", "content"},
                       {"title", product.empty() ? "About" : Capitalized(product)},
                       {"purpose", "Tell the visitor what they came to read"},
                       {"content", ContentOf("content", lower, about)}});
  }
  regions.push_back({{"id", "footer"},
                     {"title", "Footer"},
                     {"purpose", "Close the page with navigation and legal links"},
                     {"content",
                      "links to the sections of the page, privacy and terms, and a "
                      "copyright line"}});
  std::string kind = PageKind(lower);
  if (kind.empty()) kind = named.empty() ? "Home" : named.front().second->title;
  const std::string title = product.empty() ? kind : kind + " \u2014 " + product;
  return {{"title", title}, {"language", "en"}, {"regions", regions}};
}

std::string RequestOf(const std::vector<std::string>& texts, std::string_view fallback) {
  static const std::regex kRequest(R"re((?:^|\n)\s*(?:user\s+)?request\s*:\s*([^\n]+))re",
                                   std::regex::icase);
  std::string found;
  for (const std::string& text : texts) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRequest);
         it != std::sregex_iterator(); ++it) {
      found = (*it)[1].str();
    }
  }
  return found.empty() ? std::string(fallback) : found;
}

}  // namespace hfs::emulator

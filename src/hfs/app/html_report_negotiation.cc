// report.html: the ownership map, the negotiation timeline per section and the
// temperature curve, from hfs-report.json and the negotiation.decision span events.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "hfs/app/html_report_sections.h"
#include "hfs/base/text.h"

namespace hfs::app::html_report {
namespace {

using nlohmann::json;

// What the report says about each section, gathered once.
struct SectionFacts {
  std::set<std::string> claimants;                            // accepted claims
  std::vector<std::pair<std::string, std::string>> rejected;  // triad, why
  std::vector<const json*> rounds;                            // rounds it was contested in
  std::vector<const json*> escalations;
  const json* coverage = nullptr;
};

struct Facts {
  std::vector<std::string> triads;  // first appearance: claims, owners, coverage
  std::map<std::string, SectionFacts> sections;

  void AddTriad(const std::string& triad) {
    if (!triad.empty() && std::find(triads.begin(), triads.end(), triad) == triads.end()) {
      triads.push_back(triad);
    }
  }
};

Facts Gather(const json& report) {
  Facts facts;
  for (const json& claim : List(report, "claims")) {
    const std::string triad = Text(claim, "triad");
    SectionFacts& section = facts.sections[Text(claim, "section")];
    if (Flag(claim, "accepted")) {
      facts.AddTriad(triad);
      section.claimants.insert(triad);
    } else {
      section.rejected.emplace_back(triad, Text(Field(claim, "rejection"), "message"));
    }
  }
  for (const json& section : List(Field(report, "spec"), "sections")) {
    facts.AddTriad(Text(section, "owner"));
  }
  for (const json& assignment : List(report, "coverage")) {
    facts.AddTriad(Text(assignment, "triad"));
    facts.sections[Text(assignment, "section")].coverage = &assignment;
  }
  const json& negotiation = Field(report, "negotiation");
  for (const json& round : List(negotiation, "rounds_detail")) {
    for (const json& name : List(round, "contested")) {
      facts.sections[ValueText(name)].rounds.push_back(&round);
    }
  }
  for (const json& escalation : List(negotiation, "escalations")) {
    facts.sections[Text(escalation, "section")].escalations.push_back(&escalation);
  }
  return facts;
}

// How the section got its owner.
std::string HowOwned(const SectionFacts& facts) {
  if (!facts.escalations.empty()) {
    const json& last = *facts.escalations.back();
    return "arbiter: " + Text(last, "type") + (Flag(last, "fallback") ? " (fallback)" : "");
  }
  if (facts.coverage != nullptr) return "coverage: " + Text(*facts.coverage, "reason");
  if (!facts.rounds.empty()) return "negotiation";
  return facts.claimants.size() == 1 ? "sole claim" : "";
}

std::string Join(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + EscapeHtml(name);
  return out.empty() ? "<span class=\"muted\">none</span>" : out;
}

std::string RoundItem(const json& round, const std::string& section,
                      const std::vector<Decision>& decisions) {
  const int64_t number = Integer(round, "round");
  std::string out =
      fmt::format("<li><b>Round {}</b> <span class=\"muted\">temperature {:.2f}</span>", number,
                  Number(round, "temperature"));
  std::string said;
  for (const Decision& decision : decisions) {
    if (decision.round != number || decision.section != section) continue;
    said += fmt::format("{}{}: <b>{}</b>", said.empty() ? "" : ", ", EscapeHtml(decision.triad),
                        EscapeHtml(decision.decision));
  }
  out += said.empty() ? "<br>no decision recorded" : "<br>decisions: " + said;
  for (const json& result : List(round, "sections")) {
    if (Text(result, "section") != section) continue;
    out += Flag(result, "resolved")
               ? fmt::format("<br>resolved: owner <b>{}</b>", EscapeHtml(Text(result, "winner")))
               : fmt::format("<br>still {} ({})", EscapeHtml(Text(result, "status")),
                             Flag(result, "progress") ? "progress" : "no progress");
  }
  return out + "</li>\n";
}

std::string EscalationItem(const json& escalation) {
  std::string out = fmt::format(
      "<li class=\"escalation\"><b>Escalated to the arbiter</b> in round {} ({})<br>decision: "
      "<b>{}</b>",
      Integer(escalation, "round"), EscapeHtml(Text(escalation, "cause")),
      EscapeHtml(Text(escalation, "type")));
  if (!Text(escalation, "winner").empty()) {
    out += " &rarr; winner " + EscapeHtml(Text(escalation, "winner"));
  }
  if (!Text(escalation, "assigned_to").empty()) {
    out += " &rarr; merged under " + EscapeHtml(Text(escalation, "assigned_to"));
  }
  for (const json& part : List(escalation, "division")) {
    out += fmt::format("<br>&nbsp;&nbsp;{} &rarr; {}", EscapeHtml(Text(part, "sub_section")),
                       EscapeHtml(Text(part, "triad")));
  }
  out +=
      fmt::format(" <span class=\"muted\">({} attempt{})</span>", Integer(escalation, "attempts"),
                  Integer(escalation, "attempts") == 1 ? "" : "s");
  if (Flag(escalation, "fallback")) {
    out += "<br><span class=\"err\">fallback: " + EscapeHtml(Text(escalation, "fallback_reason")) +
           "</span>";
  }
  out += "<blockquote class=\"rationale\">" + EscapeHtml(Text(escalation, "rationale")) +
         "</blockquote>";
  return out + "</li>\n";
}

std::string SectionTimeline(const json& section, const SectionFacts& facts,
                            const std::vector<Decision>& decisions) {
  const std::string name = Text(section, "name");
  std::string out = fmt::format(
      "<article class=\"section-timeline\" data-section=\"{}\"><h3>{}</h3>\n<ol "
      "class=\"timeline\">\n<li><b>Claims</b>: {}",
      EscapeHtml(name), EscapeHtml(name), Join(facts.claimants));
  for (const auto& [triad, why] : facts.rejected) {
    out += fmt::format("<br><span class=\"err\">rejected claim by {}: {}</span>", EscapeHtml(triad),
                       EscapeHtml(why));
  }
  out += "</li>\n";
  for (const json* round : facts.rounds) out += RoundItem(*round, name, decisions);
  for (const json* escalation : facts.escalations) out += EscalationItem(*escalation);
  if (facts.coverage != nullptr) {
    out += fmt::format("<li><b>Coverage</b> at freeze: {} ({})</li>\n",
                       EscapeHtml(Text(*facts.coverage, "triad")),
                       EscapeHtml(Text(*facts.coverage, "reason")));
  }
  out += fmt::format("<li class=\"final\"><b>Owner</b>: {} <span class=\"muted\">({})</span></li>",
                     EscapeHtml(Text(section, "owner")), EscapeHtml(Text(section, "status")));
  return out + "</ol></article>\n";
}

}  // namespace

std::string OwnershipSection(const json& report) {
  const Facts facts = Gather(report);
  const json& sections = List(Field(report, "spec"), "sections");
  std::string out = "<section id=\"ownership\"><h2>Ownership map</h2>\n";
  if (sections.empty()) return out + "<p>The run ended before the spec was built.</p></section>\n";
  out +=
      "<p class=\"legend\"><span><i class=\"swatch\" style=\"background:var(--own)\"></i>owner"
      "</span><span><i class=\"swatch\" style=\"background:var(--claim)\"></i>claimed</span></p>\n"
      "<table class=\"grid\" id=\"ownership-map\"><tr><th>section</th><th>status</th>";
  for (const std::string& triad : facts.triads) out += "<th>" + EscapeHtml(triad) + "</th>";
  out += "<th>how</th></tr>\n";
  std::map<std::string, int> owned;
  for (const json& section : sections) {
    const std::string name = Text(section, "name");
    const std::string owner = Text(section, "owner");
    ++owned[owner];
    auto found = facts.sections.find(name);
    const SectionFacts none;
    const SectionFacts& about = found == facts.sections.end() ? none : found->second;
    out += fmt::format("<tr><td>{}</td><td>{}</td>", EscapeHtml(name),
                       EscapeHtml(Text(section, "status")));
    for (const std::string& triad : facts.triads) {
      if (triad == owner) {
        out += "<td class=\"own\" title=\"owner\">&#9632;</td>";
      } else if (about.claimants.count(triad) > 0) {
        out += "<td class=\"claim\" title=\"claimed\">&#9675;</td>";
      } else {
        out += "<td class=\"none\">&middot;</td>";
      }
    }
    out += "<td>" + EscapeHtml(HowOwned(about)) + "</td></tr>\n";
  }
  out += "</table>\n<table><tr><th>triad</th><th class=\"num\">sections owned</th></tr>";
  for (const std::string& triad : facts.triads) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>", EscapeHtml(triad),
                       owned.count(triad) > 0 ? owned.at(triad) : 0);
  }
  return out + "</table></section>\n";
}

std::string NegotiationSection(const json& report, const std::vector<Decision>& decisions) {
  const Facts facts = Gather(report);
  const json& negotiation = Field(report, "negotiation");
  std::string out = fmt::format(
      "<section id=\"negotiation\"><h2>Negotiation</h2>\n<p>{} round{}, {} escalation{}, final "
      "temperature {:.2f}.</p>\n",
      Integer(negotiation, "rounds"), Integer(negotiation, "rounds") == 1 ? "" : "s",
      List(negotiation, "escalations").size(),
      List(negotiation, "escalations").size() == 1 ? "" : "s",
      Number(negotiation, "final_temperature"));
  const json& error = Field(negotiation, "error");
  if (error.is_object()) {
    out += "<p class=\"err\">negotiation error: " + EscapeHtml(Text(error, "message")) + "</p>\n";
  }
  int shown = 0;
  for (const json& section : List(Field(report, "spec"), "sections")) {
    auto found = facts.sections.find(Text(section, "name"));
    if (found == facts.sections.end()) continue;
    const SectionFacts& about = found->second;
    if (about.rounds.empty() && about.escalations.empty() && about.claimants.size() < 2 &&
        about.rejected.empty()) {
      continue;
    }
    out += SectionTimeline(section, about, decisions);
    ++shown;
  }
  if (shown == 0) out += "<p>No section was contested: every claim stood alone.</p>\n";
  std::string rejected;
  for (const json& claim : List(report, "claims")) {
    if (Flag(claim, "accepted")) continue;
    rejected += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"err\">{}</td></tr>\n",
                            EscapeHtml(Text(claim, "triad")), EscapeHtml(Text(claim, "section")),
                            EscapeHtml(Text(Field(claim, "rejection"), "message")));
  }
  if (!rejected.empty()) {
    out +=
        "<h3>Rejected claims</h3>\n<table id=\"rejected-claims\"><tr><th>triad</th>"
        "<th>section</th><th>why</th></tr>\n" +
        rejected + "</table>\n";
  }
  return out + "</section>\n";
}

std::string TemperatureSection(const json& report) {
  const json& negotiation = Field(report, "negotiation");
  const json& rounds = List(negotiation, "rounds_detail");
  std::string out = "<section id=\"temperature\"><h2>Temperature</h2>\n";
  if (rounds.empty()) {
    return out +
           fmt::format("<p>No negotiation round ran; the temperature stayed at {:.2f}.</p>",
                       Number(negotiation, "final_temperature")) +
           "</section>\n";
  }
  std::vector<std::pair<std::string, double>> points;
  for (const json& round : rounds) {
    points.emplace_back(fmt::format("round {}", Integer(round, "round")),
                        Number(round, "temperature"));
  }
  points.emplace_back("end", Number(negotiation, "final_temperature"));
  constexpr double kLeft = 50, kTop = 16, kPlotWidth = 560, kPlotHeight = 180;
  double top_value = 1.0;
  for (const auto& point : points) top_value = std::max(top_value, point.second);
  auto x = [&](size_t i) {
    return kLeft + kPlotWidth * static_cast<double>(i) / (points.size() - 1);
  };
  auto y = [&](double v) {
    return kTop + kPlotHeight * (1.0 - std::clamp(v, 0.0, top_value) / top_value);
  };
  out += fmt::format(
      "<svg id=\"temperature-chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"temperature per negotiation round\">\n",
      kLeft + kPlotWidth + 30, kTop + kPlotHeight + 40);
  for (int step = 0; step <= 4; ++step) {
    const double value = top_value * step / 4.0;
    out += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#d9dee5\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.2f}</text>\n",
        kLeft, kLeft + kPlotWidth, y(value), kLeft - 6, y(value) + 4, value);
  }
  std::string polyline;
  for (size_t i = 0; i < points.size(); ++i) {
    polyline += fmt::format("{:.1f},{:.1f} ", x(i), y(points[i].second));
  }
  out += fmt::format(
      "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2.5\" points=\"{}\"/>\n",
      polyline);
  for (size_t i = 0; i < points.size(); ++i) {
    out += fmt::format(
        "<circle cx=\"{0:.1f}\" cy=\"{1:.1f}\" r=\"4\" fill=\"#c0392b\"><title>{2}: {3:.3f}"
        "</title></circle><text x=\"{0:.1f}\" y=\"{4}\" text-anchor=\"middle\">{2}</text>\n",
        x(i), y(points[i].second), points[i].first, points[i].second, kTop + kPlotHeight + 18);
  }
  out +=
      "</svg>\n<table><tr><th>round</th><th class=\"num\">temperature</th><th>contested</th>"
      "<th>triads asked</th><th class=\"num\">rejected decisions</th></tr>\n";
  for (const json& round : rounds) {
    std::set<std::string> contested, triads;
    for (const json& name : List(round, "contested")) contested.insert(ValueText(name));
    for (const json& name : List(round, "triads")) triads.insert(ValueText(name));
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.3f}</td><td>{}</td><td>{}</td><td "
        "class=\"num\">{}</td></tr>\n",
        Integer(round, "round"), Number(round, "temperature"), Join(contested), Join(triads),
        Integer(round, "rejected_decisions"));
  }
  return out + "</table></section>\n";
}

}  // namespace hfs::app::html_report

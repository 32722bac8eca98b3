// Fuzz target for tool-argument validation (hfs/agent/schema.h, ExecuteToolCall of
// hfs/agent/tool.h): any argument text a model sends is answered without crashing with a
// JSON tool message; the handler runs only with arguments the schema accepts, and always
// when the text is a JSON object the schema accepts; arguments that are refused get
// non-empty hints.
//
//   build-fuzz/fuzz/tool_arguments_fuzz fuzz/corpus/tool_arguments   (libFuzzer)
//   build/fuzz/tool_arguments_fuzz_regression fuzz/corpus/tool_arguments
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/schema.h"
#include "hfs/agent/tool.h"

namespace hfs::agent {
namespace {

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "tool_arguments_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// Parameters shaped like the HFS toolkit's: every type and every kind of bound.
const Schema& Parameters() {
  static const Schema* schema = new Schema(
      Schema::Object()
          .Property("section_id", Schema::String().Length(1, 64), Required::kYes)
          .Property("decision", Schema::Enum({"CONCEDE", "REVISE", "HOLD"}), Required::kYes)
          .Property("confidence", Schema::Number().Range(0, 1))
          .Property("round", Schema::Integer().Minimum(1).Nullable())
          .Property("final", Schema::Boolean())
          .Property(
              "files",
              Schema::Array(Schema::Object()
                                .Property("path", Schema::String().MaxLength(200), Required::kYes)
                                .Property("content", Schema::String(), Required::kYes))
                  .Items(0, 8))
          .Property("notes", Schema::Object().AdditionalProperties(Additional::kAllowed)));
  return *schema;
}

void CheckArguments(const std::string& text) {
  const Schema& parameters = Parameters();
  bool handled = false;
  std::vector<Tool> tools = {
      MakeTool("decide", "Decide a contested section.", parameters,
               [&](const nlohmann::json& arguments, ToolContext&) -> Result<nlohmann::json> {
                 Check(parameters.Validate(arguments).empty(), "the handler got invalid arguments",
                       arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
                 handled = true;
                 return nlohmann::json{{"ok", true}};
               })};
  ToolOutcome outcome =
      ExecuteToolCall(tools, {.id = "call-1", .name = "decide", .arguments = text}, ToolContext{});
  nlohmann::json content = nlohmann::json::parse(outcome.content, nullptr, false);
  Check(!content.is_discarded() && content.is_object(), "the tool message is not a JSON object",
        outcome.content);
  Check(handled == (outcome.status == ToolStatus::kOk), "status does not say if the handler ran");
  if (!handled) {
    Check(outcome.status == ToolStatus::kInvalidArguments, "refused with another status");
    Check(content.contains("hints") && content["hints"].is_array() && !content["hints"].empty(),
          "refused without hints", outcome.content);
  }

  nlohmann::json strict = nlohmann::json::parse(text, nullptr, false);
  if (!strict.is_discarded()) {
    std::vector<std::string> hints = parameters.Validate(strict);
    for (const std::string& hint : hints) Check(!hint.empty(), "an empty hint");
    if (strict.is_object() && hints.empty()) Check(handled, "valid arguments were refused", text);
  }
}

}  // namespace
}  // namespace hfs::agent

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  hfs::agent::CheckArguments(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}

// hfs/agent/schema.h
//
// Schema: one definition of a tool's parameters that yields both the JSON Schema sent to
// the model and the validation of the arguments the model sends back. Types: string,
// integer, number, boolean, array, object; with descriptions, required properties, string
// enums, string length (in characters), inclusive numeric ranges, array items and counts,
// nested objects. Objects reject unknown properties (`additionalProperties: false`)
// unless told otherwise.
//
//   Schema params = Schema::Object()
//       .Property("section_id", Schema::String().Length(1, 128).Describe("Section name"),
//                 Required::kYes)
//       .Property("decision", Schema::Enum({"CONCEDE", "REVISE", "HOLD"}), Required::kYes);
//   std::string text = params.ToJsonText();            // for llm::ToolDefinition
//   std::vector<std::string> hints = params.Validate(arguments);  // empty when valid
//
// Hints are stable, model-readable lines, one per problem, in schema order, e.g.
// "section_id: must be 1-128 characters", "decision: must be one of CONCEDE, REVISE, HOLD",
// "code.files[0].path: required", "unknown property 'foo'", "count: must be an integer
// (got string)". A null value for an optional property counts as absent (models often
// send null for "not given").
//
// Thread-compatible value type; const methods are safe from many threads. Children are
// shared (shared_ptr<const Schema>), so copies are cheap. Builder misuse (a length on a
// number, a duplicate property) is a bug and aborts (HFS_CHECK).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hfs::agent {

enum class Required { kNo, kYes };
enum class Additional { kForbidden, kAllowed };

class Schema {
 public:
  enum class Type { kString, kInteger, kNumber, kBoolean, kArray, kObject };

  static Schema String();
  static Schema Integer();
  static Schema Number();
  static Schema Boolean();
  // A string that must be one of `values`.
  static Schema Enum(std::vector<std::string> values);
  // An array whose items match `items`.
  static Schema Array(Schema items);
  // An object with no properties yet; unknown properties are rejected.
  static Schema Object();

  Schema& Describe(std::string description);
  // Also accepts null (JSON Schema type [<type>, "null"]; an enum lists null too): how
  // strict structured-output modes express an optional property, since they require
  // every property.
  Schema& Nullable();
  // Strings: inclusive bounds in characters (UTF-8 code points).
  Schema& Length(int64_t min, int64_t max);
  Schema& MinLength(int64_t min);
  Schema& MaxLength(int64_t max);
  // Integers and numbers: inclusive bounds.
  Schema& Range(double min, double max);
  Schema& Minimum(double min);
  Schema& Maximum(double max);
  // Arrays: inclusive bounds on the number of items.
  Schema& Items(int64_t min, int64_t max);
  Schema& MinItems(int64_t min);
  Schema& MaxItems(int64_t max);
  // Objects: properties appear in the JSON Schema in the order they are added.
  Schema& Property(std::string name, Schema schema, Required required = Required::kNo);
  Schema& AdditionalProperties(Additional additional);

  Type type() const { return type_; }
  const std::string& description() const { return description_; }

  // The JSON Schema, properties in definition order.
  nlohmann::ordered_json ToJson() const;
  // ToJson() as compact JSON text.
  std::string ToJsonText() const;
  // Every problem of `value` against this schema, as hints; empty when it matches.
  std::vector<std::string> Validate(const nlohmann::json& value) const;

 private:
  struct PropertyEntry {
    std::string name;
    std::shared_ptr<const Schema> schema;
    Required required = Required::kNo;
  };

  explicit Schema(Type type) : type_(type) {}
  void ValidateAt(const nlohmann::json& value, const std::string& path,
                  std::vector<std::string>& hints) const;
  void ValidateString(const nlohmann::json& value, const std::string& path,
                      std::vector<std::string>& hints) const;
  void ValidateNumber(const nlohmann::json& value, const std::string& path,
                      std::vector<std::string>& hints) const;
  void ValidateArray(const nlohmann::json& value, const std::string& path,
                     std::vector<std::string>& hints) const;
  void ValidateObject(const nlohmann::json& value, const std::string& path,
                      std::vector<std::string>& hints) const;

  Type type_;
  Additional additional_ = Additional::kForbidden;
  bool nullable_ = false;
  std::string description_;
  std::vector<std::string> enum_values_;
  std::optional<int64_t> min_length_;
  std::optional<int64_t> max_length_;
  std::optional<double> minimum_;
  std::optional<double> maximum_;
  std::optional<int64_t> min_items_;
  std::optional<int64_t> max_items_;
  std::shared_ptr<const Schema> items_;
  std::vector<PropertyEntry> properties_;
};

}  // namespace hfs::agent

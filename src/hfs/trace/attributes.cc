#include "hfs/trace/attributes.h"

#include <algorithm>

namespace hfs::trace {

void SetAttribute(Attributes& attributes, Attribute attribute) {
  auto it = std::find_if(attributes.begin(), attributes.end(),
                         [&](const Attribute& a) { return a.key == attribute.key; });
  if (it != attributes.end()) {
    it->value = std::move(attribute.value);
  } else {
    attributes.push_back(std::move(attribute));
  }
}

const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key) {
  auto it = std::find_if(attributes.begin(), attributes.end(),
                         [&](const Attribute& a) { return a.key == key; });
  return it == attributes.end() ? nullptr : &it->value;
}

}  // namespace hfs::trace

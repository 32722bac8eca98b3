#include "hfs/trace/span_data.h"

namespace hfs::trace {

Attributes Resource::ToAttributes() const {
  Attributes all = {{"service.name", service_name}};
  if (!service_version.empty()) all.emplace_back("service.version", service_version);
  for (const Attribute& attribute : attributes) SetAttribute(all, attribute);
  return all;
}

}  // namespace hfs::trace

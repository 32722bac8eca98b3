#include "hfs/trace/span.h"

#include <utility>

#include "hfs/trace/tracer.h"

namespace hfs::trace {

Span::Span(Span&& other) noexcept
    : tracer_(std::exchange(other.tracer_, nullptr)), data_(std::move(other.data_)) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    tracer_ = std::exchange(other.tracer_, nullptr);
    data_ = std::move(other.data_);
  }
  return *this;
}

void Span::SetAttribute(Attribute attribute) {
  if (!IsRecording()) return;
  trace::SetAttribute(data_.attributes, std::move(attribute));
}

void Span::AddEvent(std::string name, Attributes attributes) {
  if (!IsRecording()) return;
  data_.events.push_back(SpanEvent{std::move(name), tracer_->clock().Now(), std::move(attributes)});
}

void Span::SetStatus(StatusCode code, std::string message) {
  if (!IsRecording() || code == StatusCode::kUnset || data_.status.code == StatusCode::kOk) return;
  data_.status.code = code;
  data_.status.message = code == StatusCode::kError ? std::move(message) : std::string();
}

void Span::RecordError(const Error& error) {
  if (!IsRecording()) return;
  std::string type(ErrorCodeName(error.code));
  AddEvent("exception", {{"exception.type", type}, {"exception.message", error.message}});
  SetAttribute("error.type", type);
  SetStatus(StatusCode::kError, error.ToString());
}

void Span::End() {
  if (!IsRecording()) return;
  EndAt(tracer_->clock().Now());
}

void Span::EndAt(Timestamp end_time) {
  if (!IsRecording()) return;
  Tracer* tracer = std::exchange(tracer_, nullptr);
  data_.end_time = end_time;
  tracer->EndSpan(data_);
}

}  // namespace hfs::trace

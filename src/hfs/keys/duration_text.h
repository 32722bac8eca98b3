// hfs/keys/duration_text.h
//
// Reads the durations and times providers write in rate-limit headers and bodies:
// Go durations ("6s", "2m59.56s", "500ms", "1h30m"), protobuf Duration strings
// ("34.4s", "45.837906927s"), bare seconds ("11.38", "60") and Retry-After values
// (delta-seconds or an HTTP-date, RFC 9110 §10.2.3).
//
//   ParseDurationText("1m42.653s");                        // 102653 ms
//   ParseDurationText("11.38");                            // 11380 ms
//   ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now); // the time left until then
//   ParseDurationText("soon");                             // nullopt
//
// Pure functions; thread-safe. Nothing here throws; text that is not understood gives
// nullopt.
#pragma once

#include <optional>
#include <string_view>

#include "hfs/base/clock.h"

namespace hfs::keys {

// A non-negative duration: one or more <number><unit> terms with units h, m, s, ms,
// us, µs or ns (fractions allowed, as in Go), or one bare number taken as seconds.
// Surrounding whitespace is ignored. Signs, exponents, NaN, missing units after the
// first term and values beyond ~292 years give nullopt. Exact to the nanosecond for
// up to 9 fractional digits of seconds.
std::optional<Duration> ParseDurationText(std::string_view text);

// A Retry-After value as the time from `now`: delta-seconds (a bare or fractional
// number, or leniently any ParseDurationText form) or an HTTP-date in IMF-fixdate,
// RFC 850 or asctime form. Dates in the past give zero; whole seconds too many for the
// clock give 2^31 s (RFC 9111, 1.2.2).
std::optional<Duration> ParseRetryAfter(std::string_view value, Timestamp now);

// An HTTP-date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT" or asctime "Sun Nov  6 08:49:37 1994").
std::optional<Timestamp> ParseHttpDate(std::string_view text);

}  // namespace hfs::keys

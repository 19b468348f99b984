// ISO 8601 instants and calendar days as the API reads them (core/timefmt).
#include <date/tz.h>

#include "core/timefmt.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    auto s = fuzz::text(data, size);
    if (auto t = core::parse_iso8601(s)) {
        // What we print, we read back to the same instant (UTC and a zone with DST).
        static const auto* paris = core::zone_or_default("Europe/Paris");
        static const auto* utc = core::zone_or_default("UTC");
        fuzz::check(core::parse_iso8601(core::iso8601(*t, utc)) == t, "iso8601 round trip UTC");
        fuzz::check(core::parse_iso8601(core::iso8601(*t, paris)) == t, "iso8601 round trip Paris");
    }
    if (auto d = core::parse_ymd(s)) {
        fuzz::check(core::parse_ymd(core::format_ymd(*d)) == d, "ymd round trip");
        fuzz::check(core::format_ymd(*d) == s, "only the canonical form is accepted");
    }
    return 0;
}

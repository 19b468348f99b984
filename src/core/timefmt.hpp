// Conversions between instants, local days and their text forms.
#pragma once

#include <optional>
#include <string>

#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace vg::core {

// The IANA zone of that name, or Europe/Paris when the name is unknown (data imported
// before validation): never null.
const date::time_zone* zone_or_default(const std::string& name);

// "2026-11-25T09:30:00+01:00" in the given zone.
std::string iso8601(Instant t, const date::time_zone* zone);
// The instants parse_iso8601 accepts: from 1970-01-01T00:00Z to 9999-12-30T00:00Z, so that
// each one prints back in every zone with a four-digit year and an offset in whole minutes.
inline constexpr Instant kEarliestInstant = 0;
inline constexpr Instant kLatestInstant = 253402128000;
// Accepts "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)"; anything else (or out of range) is nullopt.
std::optional<Instant> parse_iso8601(const std::string& s);
// "YYYY-MM-DD" strictly (real calendar dates only).
std::optional<LocalDay> parse_ymd(const std::string& s);
std::string format_ymd(LocalDay d);
LocalDay local_day_of(Instant t, const date::time_zone* zone);
// Instant of local midnight starting this day (earliest if ambiguous, after the gap if none).
Instant start_of_local_day(LocalDay d, const date::time_zone* zone);

struct LocalParts {
    int year, month, day;  // month 1..12
    int weekday;           // ISO: 1 = Monday ... 7 = Sunday
    int hour, minute;
};
LocalParts local_parts(Instant t, const date::time_zone* zone);
LocalParts day_parts(LocalDay d);
// ISO Monday of the week containing d.
LocalDay monday_of(LocalDay d);

// The local time of instants in one zone, as local_day_of and local_parts give it. Keeps the
// zone's offset over the stretch between two of its transitions around the last instant, so
// that instants read in time order cost a comparison instead of a search of the zone's
// transitions (the statistics read 100,000 appointments by start: docs/PERFORMANCE.md).
class ZoneClock {
  public:
    explicit ZoneClock(const date::time_zone* zone) : zone_(zone) {}
    // Seconds since 1970-01-01T00:00 local time.
    Instant local(Instant t) {
        if (t < begin_ || t >= end_) refresh(t);
        return t + offset_;
    }
    LocalDay day(Instant t) {
        auto l = local(t);
        return LocalDay(l >= 0 ? l / 86400 : (l - 86399) / 86400);
    }
    int hour(Instant t) {
        auto l = local(t);
        return int((l % 86400 + 86400) % 86400 / 3600);
    }

  private:
    void refresh(Instant t);
    const date::time_zone* zone_;
    Instant begin_ = 0, end_ = 0, offset_ = 0;  // empty until the first instant
};
// ISO weekday of a local day: 1 = Monday ... 7 = Sunday.
inline int weekday_of(LocalDay d) {
    return ((d % 7 + 7) % 7 + 3) % 7 + 1;
}

}  // namespace vg::core

// The one source of "now" for services, store and sender. Production reads the wall clock;
// tests pin or move a ManualClock so that rules meeting DST changes, 29 February, New Year
// or public holidays are tested on those dates, not only on the day the suite happens to run.
#pragma once

#include <atomic>

#include "core/types.hpp"

namespace vg::core {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;
};

// The wall clock (UTC seconds). Defined in clock.cpp: core stays free of I/O, reading the
// system time is the one exception and lives there.
class SystemClock final : public Clock {
  public:
    Instant now() const override;
};

// A clock that moves only when told to; safe to read and move from several threads.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(Instant start) : now_(start) {}
    Instant now() const override { return now_.load(); }
    void set(Instant t) { now_.store(t); }
    void advance(Instant seconds) { now_.fetch_add(seconds); }

  private:
    std::atomic<Instant> now_;
};

// The process-wide wall clock, for code that is given no other.
const Clock& system_clock();

}  // namespace vg::core

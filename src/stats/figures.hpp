// The statistics (issue 14): every figure of docs/STATISTICS.md, computed here and only here
// from the rows the store reads (one statement per family), so that the console page, the
// CSV export and the API always agree. Pure: no I/O, no SQL; unit-tested on a hand-made data
// set (tests/unit/test_stats.cpp).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/availability.hpp"
#include "core/timefmt.hpp"
#include "core/types.hpp"
#include "store/model.hpp"
#include "store/stats_rows.hpp"
#include "store/store.hpp"

namespace date {
class time_zone;
}

namespace vg::stats {

using core::Id;
using core::Instant;
using core::LocalDay;

// Local days first..last, both included; each appointment's days are read in its site's zone.
struct Period {
    LocalDay first = 0;
    LocalDay last = 0;
    int days() const { return last - first + 1; }
};
// The period of the same length that ends the day before.
Period previous(const Period& p);
// Instants that cover the period's local days in every zone (offsets stay within ±14 h):
// what the store is asked for; the local days are checked here.
std::pair<Instant, Instant> covering_instants(const Period& p);

// What the figures are restricted to, besides the period. agents: the agents whose
// appointments count (the person's scope, narrowed by a team); nullopt: every agent.
struct Filter {
    Period period;
    std::optional<Id> site;
    std::optional<Id> motif;
    std::optional<Id> agent;
    std::optional<core::Channel> channel;
    std::optional<std::string> origin;
    std::optional<std::string> language;
    std::optional<std::vector<Id>> agents;
};

// The organisation as the figures need it: the zone of each site (every appointment, video
// included, is counted in its site's zone, as app::OrgData::zone places it), the
// organisation's own zone (messages' months).
struct Zones {
    const date::time_zone* organisation = nullptr;
    std::map<Id, const date::time_zone*> sites;
    const date::time_zone* of_site(Id site) const;
    static Zones of(const store::Organisation& org, const std::vector<store::Site>& sites);
};

// True when the appointment passes every filter but the period.
bool passes(const Filter& f, const store::StatsAppointment& a);
// Booked in the period: its booking's local day (site's zone) is in the period.
bool booked_in(const Period& p, const store::StatsAppointment& a, const Zones& z);
// Scheduled in the period: its start's local day (site's zone) is in the period.
bool scheduled_in(const Period& p, const store::StatsAppointment& a, const Zones& z);

// Nearest-rank percentile of values (q in (0, 1]): the ceil(q·n)-th smallest; nullopt when
// empty. The median is percentile(v, 0.5).
std::optional<Instant> percentile(std::vector<Instant> values, double q);

struct AgentLoad {
    int appointments = 0;  // not cancelled, scheduled in the period
    int days = 0;          // local days with at least one
    int busiest_day = 0;   // most on one day
    double per_day() const { return days ? double(appointments) / days : 0.0; }
    Instant booked_seconds = 0;  // the appointments' durations (end − start)
};

// One appointment's video room, read from its journal (docs/STATISTICS.md "Video"): the
// waiting-room wait (the first admission − the citizen's first join; nullopt unless both and
// in that order) and the call's duration (its end − the first admission; nullopt unless both
// and in that order), in seconds. The page, the export and the API use these two.
std::optional<Instant> room_wait(const store::StatsAppointment& a);
std::optional<Instant> call_duration(const store::StatsAppointment& a);

// Video figures of one browser family (the citizen's).
struct BrowserCalls {
    int calls = 0;
    int connected = 0;
    int relayed = 0;
    int failed = 0;  // calls with at least one connection failure
    int ice_restarts = 0;
    int audio_fallbacks = 0;
};

// The video rooms of the appointments scheduled in the period.
struct VideoFigures {
    int calls = 0;  // someone joined the room
    std::optional<Instant> median_wait_seconds;
    std::optional<Instant> p90_wait_seconds;
    int waits = 0;  // calls with a wait (the citizen joined, then was admitted)
    std::optional<Instant> median_duration_seconds;
    int durations = 0;
    int connection_failures = 0;  // 'connection_failed' events
    int failed_calls = 0;         // calls with at least one
    int ice_restarts = 0;         // 'ice_restart' events
    int audio_fallbacks = 0;      // calls that fell back to audio
    int phone_fallbacks = 0;      // calls the agent moved to the phone from the room
    int connected = 0;            // calls with a media path
    int relayed = 0;              // of them, through the relay (TURN)
    // relayed / connected; nullopt when none connected.
    std::optional<double> relayed_share() const;
    std::map<std::string, BrowserCalls> by_browser;  // "" = unknown
};

// Time to the first free slot of one motif and channel (samples of the period's days).
struct FirstSlotFigure {
    int samples = 0;
    int none = 0;  // samples that found no free slot within the motif's horizon
    core::LocalDay latest_day = 0;
    std::optional<int> latest;  // the latest sample's days (nullopt: it found none)
    std::optional<int> median;  // nearest-rank median of the samples that found one
};

struct Figures {
    // Bookings: appointments booked in the period (whatever became of them).
    int bookings = 0;
    std::map<std::string, int> by_origin;   // citizen | agent | partner | tutor
    std::map<std::string, int> by_channel;  // video | on_site | phone
    std::map<Id, int> by_motif;
    std::map<Id, int> by_site;
    std::map<std::string, int> by_language;
    std::array<int, 24> by_hour{};    // local hour of the appointment's start
    std::array<int, 7> by_weekday{};  // 0 = Monday ... 6 = Sunday, of the start
    // Days from booking to the appointment's start (seconds / 86400), nearest rank.
    std::optional<double> median_booking_delay_days;
    std::optional<double> p90_booking_delay_days;

    // Outcomes: appointments scheduled in the period.
    int scheduled = 0;
    int held = 0;      // honoured
    int no_shows = 0;  // no_show
    int cancelled_by_citizen = 0;
    int cancelled_by_agency = 0;
    std::map<std::string, int> cancel_reasons;  // by agency and citizen, "" = none given
    int moved_to_phone = 0;
    int rescheduled = 0;  // moved at least once
    int upcoming = 0;     // still booked or confirmed
    int confirmed = 0;    // the citizen confirmed their presence
    int cancelled() const { return cancelled_by_citizen + cancelled_by_agency; }
    // no_shows / (held + no_shows); nullopt when neither.
    std::optional<double> no_show_rate() const;
    // confirmed / scheduled; nullopt when nothing was scheduled.
    std::optional<double> confirmed_share() const;

    // Outcome qualification of the appointments held in the period that have one.
    int qualified = 0;
    std::map<std::string, int> resolved;  // yes | no | partially
    std::map<std::string, int> request_types;
    std::map<std::string, int> themes;
    std::map<std::string, int> autonomy;
    // request type -> resolved -> count
    std::map<std::string, std::map<std::string, int>> request_type_by_resolved;

    // Satisfaction: answers of the appointments scheduled in the period.
    int answers = 0;
    std::array<int, 5> ratings{};  // [0] = rating 1 ... [4] = rating 5
    std::optional<double> average_rating;
    std::optional<double> csat_share;   // ratings 4 and 5 / answers
    std::vector<std::string> comments;  // non-empty ones, by appointment start

    // Video: the rooms of the appointments scheduled in the period.
    VideoFigures video;

    // Agents' load, per agent.
    std::map<Id, AgentLoad> load;
    // Time to the first free slot per (motif, channel), filled by first_slots().
    std::map<std::pair<Id, std::string>, FirstSlotFigure> first_slot;

    // Free time offered (core::offered_seconds, filled by offer()), per agent, and booked
    // (the load's booked_seconds): totals and the share booked.
    std::map<Id, Instant> offered_seconds;
    Instant offered_total() const;
    Instant booked_total() const;
    // booked_total / offered_total; nullopt when nothing was offered.
    std::optional<double> booked_share() const;
};

// Every figure of the appointments that pass the filter, given one by one as the store's
// cursor reads them (nothing but the figures and the percentiles' values is kept), then
// finish() once.
class Accumulator {
  public:
    Accumulator(const Filter& f, const Zones& zones);
    void add(const store::StatsAppointment& a);
    Figures finish();

  private:
    // The local clocks of a site's zone: one for starts, one for bookings (each read in
    // nearly increasing order).
    struct SiteClocks {
        core::ZoneClock start, booked;
    };
    SiteClocks& clocks(Id site);
    Filter f_;
    const Zones& zones_;
    Instant from_, to_;  // the period's covering instants: a cheap first test
    std::map<Id, SiteClocks> clocks_;
    Id last_site_ = -1;
    SiteClocks* last_clocks_ = nullptr;
    Figures r_;
    std::vector<Instant> delays_, waits_, durations_;
    // Appointments per (agent << 32 | local day), and per channel (core::Channel's values):
    // flat counters in the loop, the figures' maps filled by finish().
    std::unordered_map<std::uint64_t, int> per_agent_day_;
    std::array<int, 3> by_channel_{};
    int rating_sum_ = 0;
};

// Every figure of the appointments that pass the filter (an Accumulator over rows).
Figures compute(const std::vector<store::StatsAppointment>& rows, const Filter& f,
                const Zones& zones);

// The free time offered to the filter (docs/STATISTICS.md "Agents' load"): the opening plans
// that serve its motif and channel, of the agents of its scope (agent, agents), at its site,
// over its period in each site's zone, less the sites' closed days (`sites`' holidays; the
// supervisors' site closures unless the channel filter is video or phone) and the agents'
// absences, by core::offered_seconds. Fills f.offered_seconds.
void offer(Figures& fig, const store::AvailabilityData& d,
           const std::vector<core::SiteCalendar>& sites, const Filter& f);

// Time to the first free slot (docs/STATISTICS.md): the daily samples whose day (the
// organisation's zone) is in the filter's period, per motif and channel, the filter's motif
// and channel applied (the other filters do not apply: a sample is the organisation's).
// Fills f.first_slot.
void first_slots(Figures& fig, const std::vector<store::FirstSlotSample>& samples, const Filter& f);

struct MonthMessages {
    int sent = 0;
    int failed = 0;        // at least one attempt failed, whatever became of it
    int dead = 0;          // dead letters
    int sms = 0;           // SMS sent
    int email = 0;         // e-mails sent
    int sms_segments = 0;  // segments of the SMS sent (their cost)
};
// Messages written in the period (local days of the organisation's zone), by month of their
// writing ("YYYY-MM").
std::map<std::string, MonthMessages> messages_by_month(const std::vector<store::StatsMessage>& rows,
                                                       const Period& p,
                                                       const date::time_zone* zone);

}  // namespace vg::stats

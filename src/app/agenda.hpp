// The agent's agenda: the appointments of a day or a week of the agents a person may see
// (app/staff_scope), the next one, the private calendar feed (iCal) and the person's console
// language. Pages call it; it reads the store and BookingService's memoised organisation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/booking_service.hpp"
#include "app/staff_scope.hpp"
#include "notify/composer.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

// One appointment of the agenda with what the page shows beside it (pointers into the
// Agenda's OrgData, which the Agenda keeps alive).
struct AgendaEntry {
    store::Appointment appointment;
    const store::Motif* motif = nullptr;
    const store::Site* site = nullptr;
    std::string agent_name;
    bool confirmed() const { return appointment.status == store::AppointmentStatus::confirmed; }
    bool live() const {
        return appointment.status == store::AppointmentStatus::booked || confirmed();
    }
};

struct AgendaDay {
    LocalDay day = 0;
    std::vector<AgendaEntry> entries;  // by start
};

// Entries (by start) grouped by their local day in `zone`, one AgendaDay for each of the
// `days` days from `from`, empty days included; entries outside are dropped.
std::vector<AgendaDay> group_by_day(std::vector<AgendaEntry> entries, const date::time_zone* zone,
                                    LocalDay from, int days);
// The first live entry not over at now (an appointment under way is the next one until it
// ends); null when none.
const AgendaEntry* next_entry(const std::vector<AgendaEntry>& entries, Instant now);
// "in 25 min" as numbers: minutes until start (0 once started), for the countdown.
struct Countdown {
    bool started = false;  // under way
    Instant minutes = 0;   // until the start, rounded up
};
Countdown countdown(const AgendaEntry& e, Instant now);

struct AgendaQuery {
    LocalDay from = 0;
    int days = 1;             // 1 (day) or 7 (week)
    std::optional<Id> agent;  // nullopt: every visible agent
    bool with_next = false;   // also look for the next appointment (from now, 8 days)
};

struct Agenda {
    enum class Outcome { ok, forbidden, not_found };
    Outcome outcome = Outcome::ok;
    std::shared_ptr<const OrgData> org;
    std::vector<store::Agent> agents;  // visible to the person, by name
    std::vector<AgendaDay> days;
    std::optional<AgendaEntry> next;
};

class AgendaService {
  public:
    // identity: the calendar UIDs of the messages' .ics, so that a feed's event and the
    // attachment of the confirmation are the same event in the agent's calendar. link_base:
    // Settings::link_base (each event links to the console's appointment page).
    AgendaService(BookingService& booking, const text::I18n& i18n, notify::Identity identity,
                  std::string link_base);

    // The appointments of q for the subject (held ones too: honoured, no-show). forbidden:
    // q.agent is not one the subject may see; not_found: no such organisation.
    Agenda agenda(const std::string& org_slug, const ScopeSubject& subject, const AgendaQuery& q);

    // The person's console language: fr/en/nl/de, or "" for the browser's. False: refused.
    bool set_language(Id account_id, const std::string& language);

    // --- the private calendar feed ---------------------------------------------------------
    // The account's live feed in this organisation exists?
    bool has_feed(Id account_id, Id organisation_id);
    // A new secret link (the previous one, if any, stops working); returns the token, shown
    // once (only its hash is kept).
    std::string create_feed(Id account_id, Id organisation_id, const std::string& actor);
    // Revokes the live feed; false when there was none.
    bool revoke_feed(Id account_id, Id organisation_id, const std::string& actor);
    // The iCalendar text of a live feed's token: the live appointments of the account's agent
    // in the feed's organisation from 30 days back to the furthest motif horizon, with motif,
    // channel and site but no citizen name, e-mail or phone. nullopt: unknown or revoked token,
    // or the account no longer an agent there.
    std::optional<std::string> feed(const std::string& token);

    static constexpr Instant kFeedPast = 30 * 86400;

  private:
    BookingService& booking_;
    const text::I18n& i18n_;
    notify::Identity identity_;
    std::string link_base_;
};

}  // namespace vg::app

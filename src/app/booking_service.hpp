// The booking services used by both the HTML pages and the JSON API.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/rate_limit.hpp"
#include "core/availability.hpp"
#include "core/citizen.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace vg::store {
class Sealer;
}

namespace vg::app {

using core::Id;
using core::Instant;
using core::LocalDay;

// An organisation with everything a citizen page needs, read in one snapshot.
struct OrgData {
    store::Organisation org;
    std::vector<store::Site> sites;
    std::vector<store::Motif> motifs;
    std::optional<store::Terms> terms;

    const store::Site* site(Id id) const;
    const store::Motif* motif(Id id) const;
    // Public motif allowing this channel, or null.
    const store::Motif* public_motif(Id id) const;
    const date::time_zone* zone(const store::Site& s) const;
    const date::time_zone* default_zone() const;
};

// How a citizen's details are checked for a booking of this channel at this site (null: the
// organisation's region): phone numbers read in the site's numbering plan, a number required
// by phone.
core::CitizenRules citizen_rules(const OrgData& org, core::Channel channel,
                                 const store::Site* site);

// A free slot, self-contained (no pointer into an OrgData that may not outlive it).
struct SlotView {
    Instant start = 0;
    Instant end = 0;
    Id site_id = 0;
    std::string site_name;
    const date::time_zone* zone = nullptr;  // from the tz database: lives forever
};

struct SlotQuery {
    Id motif_id = 0;
    core::Channel channel = core::Channel::video;
    std::optional<Id> site_id;
    LocalDay from = 0;
    LocalDay to = 0;
    // An agent booking on behalf of a citizen may ignore the motif's minimum lead time
    // (never the rest: horizon, plans, absences, no double booking).
    bool ignore_lead_time = false;
};

enum class Outcome { ok, not_found, invalid, conflict, gone };

struct BookRequest {
    Id motif_id = 0;
    core::Channel channel = core::Channel::video;
    Instant start = 0;
    std::optional<Id> site_id;
    core::CitizenInput citizen;
    bool accept_terms = false;
    int terms_version = 0;
    store::BookingActor actor;
    // Single-use key of this booking intention (booking form's hidden field, API
    // Idempotency-Key); empty: none. The same key with the same request finds the appointment
    // booked with it (BookResult::replayed); with another request it is refused
    // (errors["idempotency_key"] = "error.idempotency_key_reused").
    std::string idempotency_key;
    // Only the console sets it (an agent's override, SlotQuery::ignore_lead_time).
    bool ignore_lead_time = false;
    // Who books, as the history and the audit journal name them ("account:<id>" for the
    // console); empty: actor.kind ("citizen").
    std::string by;
    // Also written in the booking's transaction, after the appointment and its messages
    // (partner-booking: the helper's account and the helper's copy); empty: nothing.
    std::function<void(store::Session&, const store::Appointment&)> also;
};

struct BookResult {
    Outcome outcome = Outcome::ok;
    core::FieldErrors errors;            // Outcome::invalid
    std::vector<SlotView> alternatives;  // Outcome::conflict
    store::Appointment appointment;
    std::string token;      // the management token, only known at creation (and on a replay
                            // when the secret key can open it)
    bool replayed = false;  // already booked with this idempotency key: nothing written
};

struct AppointmentView {
    store::Appointment appointment;
    OrgData org;
    const store::Motif* motif() const { return org.motif(appointment.motif_id); }
    const store::Site* site() const { return org.site(appointment.site_id); }
    bool live() const;
    bool changeable(Instant now) const;  // live and not started yet
    // The satisfaction survey is offered after an appointment recorded as held only.
    bool survey_open(Instant now) const;
};

struct ChangeResult {
    Outcome outcome = Outcome::ok;
    core::FieldErrors errors;
    std::vector<SlotView> alternatives;
    store::Appointment appointment;
};

struct BookingSettings {
    int max_range_days = 62;   // longest slot search accepted
    int token_days_after = 7;  // a management link lives this long after the end
    int alternatives = 5;      // offered on a lost race
    // "Send me my link again": requests per client address per hour, and per contact (e-mail
    // address or phone number) per day.
    int resend_per_client_per_hour = 10;
    int resend_per_contact_per_day = 3;
    int resend_most_appointments = 20;  // links in one message
};

// The answer to "send me my link again". Whatever the contact, found or not, the outcome is
// the same (ok): nothing tells the asker whether the contact has appointments.
struct ResendResult {
    Outcome outcome = Outcome::ok;  // ok, or invalid (errors["contact"]): nothing done
    core::FieldErrors errors;
    bool limited = false;  // over a rate limit: nothing done, try again in retry_after seconds
    Instant retry_after = 0;
    int appointments = 0;  // links queued (for tests and logs: never shown to the asker)
};

// Availability and supervision (issue 12; src/app/supervision.cpp).
// The result of a configuration write of the console (plan, absence): nothing written
// unless ok.
struct ConfigResult {
    Outcome outcome = Outcome::ok;
    core::FieldErrors errors;  // field -> message key (availability.error.*)
    Id id = 0;
};

// What to do with one appointment an absence hits: "reassign" (to agent_id, free then),
// "move" (to start, any free agent but the absent one), "cancel" (reason told the citizen).
struct AbsenceChoice {
    Id appointment_id = 0;
    std::string action;
    Id agent_id = 0;
    Instant start = 0;
    std::string reason;
};

struct AbsenceRequest {
    Id agent_id = 0;
    core::Interval span;
    std::string reason;
    std::vector<AbsenceChoice> choices;
    std::string actor;  // "account:<id>"
};

// conflict: live appointments are hit and not every one has a choice (hit lists them,
// nothing written); invalid: errors, "choice_<appointment id>" for a choice that cannot be
// applied (nothing written).
struct AbsenceResult {
    Outcome outcome = Outcome::ok;
    core::FieldErrors errors;
    std::vector<store::Appointment> hit;
    Id absence_id = 0;
};

// What closing a site for a day does to one of its on-site appointments.
struct ClosureItem {
    store::Appointment appointment;
    core::Channel to = core::Channel::video;
    bool cancel = false;  // neither video nor phone is possible
};

struct ClosurePlan {
    Outcome outcome = Outcome::ok;  // invalid: errors; conflict (apply): the plan changed
    core::FieldErrors errors;
    std::vector<ClosureItem> items;
    bool already_closed = false;
    // Digest of the items: a confirmation applies the plan its preview showed, or none.
    std::string fingerprint;
};

class BookingService {
  public:
    // sealer: seals management tokens into queued messages (null: messages carry no link).
    // clock: the one "now" of every rule (lead time, horizon, memo minutes, timestamps);
    // pages and API read it too (Context::now), tests pin it with a core::ManualClock.
    BookingService(store::Store& store, BookingSettings settings = {},
                   const store::Sealer* sealer = nullptr,
                   const core::Clock& clock = core::system_clock());

    std::shared_ptr<const OrgData> organisation(const std::string& slug);

    // Free slots; validates the range (errors keyed "from"/"to"/"range").
    std::vector<SlotView> slots(const OrgData& org, const SlotQuery& q);
    // The first free slot from `from` on (every booking page shows it): memoised like the
    // API's slot answers (see memo).
    std::optional<SlotView> first_slot(const OrgData& org, SlotQuery q);

    BookResult book(const OrgData& org, BookRequest req);

    std::optional<AppointmentView> find(const std::string& token);
    ChangeResult cancel(const std::string& token, const std::string& reason);
    ChangeResult reschedule(const std::string& token, Instant start, std::optional<Id> site);

    // "I will come" from a reminder: booked -> confirmed, shown to the agent later.
    ChangeResult confirm_presence(const std::string& token);
    // rating 1..5, comment <= 1000 characters; once per appointment, after its start.
    ChangeResult answer_survey(const std::string& token, int rating, const std::string& comment);
    // The agency cancels (site closed, advisor ill...): the citizen is told with the reason.
    ChangeResult cancel_by_agency(Id organisation_id, Id appointment_id, const std::string& reason,
                                  const std::string& actor);
    // The agent records what happened (console comes later): honoured or no_show. A no-show
    // gets a message offering a new booking; the thank-you only goes after an honoured one.
    ChangeResult record_outcome(Id organisation_id, Id appointment_id,
                                store::AppointmentStatus outcome, const std::string& actor);
    // No more SMS to this appointment's phone number for this organisation.
    ChangeResult opt_out_sms(const std::string& token);
    // The citizen corrects the e-mail address or phone number of a live, future appointment
    // from its link: the booking rules apply (one of the two, a phone for the phone channel);
    // later messages go to the new contact.
    ChangeResult update_contact(const std::string& token, const std::string& email,
                                const std::string& phone);
    // "Send me my link again": `contact` is an e-mail address or a phone number (national in
    // the region of the organisation or of one of its sites, or international). Each live
    // appointment of that contact in this organisation that is not over gets a new
    // management link (the earlier ones keep working), and one message listing them all
    // goes to that contact through the outbox, never at once. Found or not, the same work is
    // done (one write transaction) and the same answer given. Limited per client address
    // and per contact (BookingSettings::resend_*).
    ResendResult resend_links(const OrgData& org, const std::string& contact,
                              const std::string& client);  // its address's network key

    // Memoised text computed from availability (the API's slot bodies): reused within the
    // same minute until the next booking change of this process; changes made by another
    // process (CLI) show within a minute. The same memo holds first_slot's answers: keys
    // start with their kind ("api-slots|", "first-slot|").
    std::string memo(const std::string& key, const std::function<std::string()>& make);

    // To be called by every write path of this process that changes an organisation, its
    // sites, motifs, terms, opening plans or absences (console, admin UI): drops the memoised
    // OrgData and configuration at once instead of within the minute.
    void configuration_changed() {
        ++config_generation_;
        ++bookings_generation_;
    }

    // Called after every committed change of this service that queued messages (booking,
    // reschedule, cancellation, outcome): `serve` wakes the outbox sender with it. Set before
    // serving.
    void on_messages_queued(std::function<void()> f) { messages_queued_ = std::move(f); }

    // ---- Appointment page of the console (issue 12; defined in console_actions.cpp) ----
    // Every operation is scoped by organisation (another organisation's id: not_found);
    // refusals in the appointment's current status are Outcome::gone with nothing written.
    std::optional<AppointmentView> find_by_id(Id organisation_id, Id appointment_id);
    // The citizen has arrived: a live appointment, from an hour before its start, once.
    ChangeResult record_arrival(Id organisation_id, Id appointment_id, const std::string& actor);
    // Held, with the outcome form (checked against the organisation's active items): a live
    // appointment that has started becomes honoured; an honoured one gets its outcome
    // corrected. One transaction.
    ChangeResult record_done(Id organisation_id, Id appointment_id,
                             const store::AppointmentOutcome& outcome, const std::string& actor);
    // A live, future appointment by video or on site becomes a phone appointment with the
    // same agent and time; the citizen (who must have a valid phone number) is told in
    // their language that the advisor will call them. in_call: from the video room (the
    // call failed): a live appointment that has started may move too.
    ChangeResult move_to_phone(Id organisation_id, Id appointment_id, const std::string& actor,
                               bool in_call = false);
    // The agency moves the appointment: the citizen's reschedule (same engine and rules),
    // found by id; the citizen is told.
    ChangeResult reschedule_by_agency(Id organisation_id, Id appointment_id, Instant start,
                                      std::optional<Id> site, const std::string& actor);

    // --- Availability and supervision (issue 12; defined in src/app/supervision.cpp) ---
    // Every write records a change (Session::add_change) and calls configuration_changed().
    // A new or edited plan of agent p.agent_id (p.id = 0: new); `scope` when an agent edits
    // their own: a plan of another agent is not found.
    ConfigResult save_plan(const OrgData& org, core::OpeningPlan p, std::optional<Id> scope,
                           const std::string& actor);
    ConfigResult delete_plan(const OrgData& org, Id plan_id, std::optional<Id> scope,
                             const std::string& actor);
    ConfigResult delete_absence(const OrgData& org, Id absence_id, std::optional<Id> scope,
                                const std::string& actor);
    // A one-off absence; the live appointments it hits need a choice each, all applied in
    // the absence's transaction or none.
    AbsenceResult add_absence(const OrgData& org, const AbsenceRequest& req);
    // Agents other than the appointment's whose plans offer its start for its motif, channel
    // and site, free then (the engine's candidates; the agency ignores the lead time), by
    // id. A video appointment from home may be served from any agency: `sites` (when given)
    // receives the site each agent would serve it from.
    std::vector<Id> reassign_candidates(const OrgData& org, const store::Appointment& a,
                                        const std::vector<Id>& excluded = {},
                                        std::map<Id, Id>* sites = nullptr);
    // Free starts (any agent) to move it to, after `after`, at most `count`.
    std::vector<SlotView> move_options(const OrgData& org, const store::Appointment& a,
                                       Instant after, int count);
    // A supervisor gives the appointment to another free agent: same time, site, channel.
    ChangeResult reassign(const OrgData& org, Id appointment_id, Id agent_id,
                          const std::string& actor);
    // Closing a site for a local day: the plan (preview), then the same plan applied in one
    // transaction when its fingerprint is unchanged (conflict otherwise, nothing written).
    ClosurePlan close_site_preview(const OrgData& org, Id site_id, LocalDay day);
    ClosurePlan close_site(const OrgData& org, Id site_id, LocalDay day, const std::string& reason,
                           const std::string& fingerprint, const std::string& actor);

    const BookingSettings& settings() const { return settings_; }
    const core::Clock& clock() const { return clock_; }
    store::Store& store() { return store_; }

    // --- Room rules (issue 13; defined in src/app/room_rules.cpp) ---
    // The automatic no-show: every live video appointment of every organisation whose
    // no-show delay has passed while its room is open (app::automatic_no_show_due), whose
    // citizen never joined its room and is not in it now
    // (`in_room`, the hub's view), is recorded no_show by kNoShowActor like the agent's
    // "did not show up" (history, audit, the message offering a new booking), one
    // transaction for all. Idempotent: a recorded outcome is never touched. Returns how many.
    int record_automatic_no_shows(const std::function<bool(Id appointment_id)>& in_room);

    // --- partner-hours (issue 15; src/app/partner_hours.cpp) ---
    // A service of its own queued messages in this service's store: wakes the outbox sender
    // like this service's own changes do.
    void notify_messages_queued() const { queued(); }

  private:
    // A memoised value of any type, and what it weighs in bytes.
    using Memoised = std::shared_ptr<const void>;
    Memoised memo_value(const std::string& key, Instant now,
                        const std::function<std::pair<Memoised, std::size_t>()>& make);
    std::optional<SlotView> search_first_slot(const OrgData& org, SlotQuery q, Instant now);
    std::vector<SlotView> slots_at(const OrgData& org, const SlotQuery& q, Instant now);
    std::vector<SlotView> compute(const OrgData& org, const store::Motif& m, const SlotQuery& q,
                                  Instant now, store::Session& s);
    // The site and the agents (preferred first) that can take this exact start.
    std::pair<Id, std::vector<Id>> candidates(const OrgData& org, const store::Motif& m,
                                              const SlotQuery& q, Instant start, Instant now,
                                              const std::optional<store::Appointment>& ignore);
    std::vector<SlotView> alternatives_after(const OrgData& org, const SlotQuery& q, Instant after,
                                             Instant now);

    // Availability and supervision: the closure plan read in s (preview and apply share it).
    ClosurePlan closure_plan(store::Session& s, const OrgData& org, Id site_id, LocalDay day);
    std::string sealed(const std::string& token) const;
    void queued() const {
        if (messages_queued_) messages_queued_();
    }
    // One write transaction on the appointment of a management token: not_found handled,
    // r.appointment preset; change() decides the rest.
    ChangeResult change_by_token(
        const std::string& token,
        const std::function<void(store::Session&, store::Appointment*, ChangeResult&)>& change);
    // The cancellation itself, inside a write transaction: status, history, audit, messages.
    void cancel_in(store::Session& s, const OrgData& org, store::Appointment& a,
                   const std::string& reason, const std::string& actor, const std::string& by,
                   const std::string& sealed_token, Instant now);
    std::shared_ptr<const OrgData> load_organisation(const std::string& slug);
    // The reschedule of a found appointment, by the citizen (token) or the agency (id):
    // reload finds it again inside the write transaction.
    ChangeResult reschedule_view(
        const AppointmentView& view, Instant start, std::optional<Id> site,
        const std::string& actor, const std::string& sealed_token,
        const std::function<std::optional<store::Appointment>(store::Session&)>& reload);
    // The outcome itself, inside a write transaction (a live appointment that has started).
    void record_outcome_in(store::Session& s, store::Appointment& a,
                           store::AppointmentStatus outcome, const std::string& actor, Instant now);
    // The appointment already booked with this key, into r (outcome ok, replayed), or the
    // refusal of a key used for another request. False: the key is new.
    bool replay(store::Session& s, const OrgData& org, const std::string& key_hash,
                const std::string& request_hash, BookResult& r) const;

    store::Store& store_;
    BookingSettings settings_;
    const store::Sealer* sealer_;
    const core::Clock& clock_;
    std::function<void()> messages_queued_;
    RateLimiter resend_by_client_;
    RateLimiter resend_by_contact_;
    // Bumped by every change of appointments in this process: slot answers are stale.
    std::atomic<std::uint64_t> bookings_generation_{0};
    // Bumped by configuration_changed(): organisation, motifs, plans, absences, terms.
    std::atomic<std::uint64_t> config_generation_{0};
    std::mutex memo_mutex_;
    // One computation per key: threads asking meanwhile wait for it (64 threads building the
    // same 800 KB answer at once after each booking was the memory peak).
    std::unordered_map<std::string, std::shared_future<Memoised>> memo_;
    std::string memo_version_;
    std::size_t memo_bytes_ = 0;
    static constexpr std::size_t kMemoBytes = 16 << 20;
    std::unordered_map<std::string, std::pair<std::string, std::shared_ptr<const OrgData>>> orgs_;
    // Plans and absences (no appointments) of one motif, memoised like OrgData.
    std::shared_ptr<const store::AvailabilityData> configuration(const OrgData& org, Id motif,
                                                                 store::Session& s, Instant now);
    std::unordered_map<std::string,
                       std::pair<std::string, std::shared_ptr<const store::AvailabilityData>>>
        configs_;
};

}  // namespace vg::app

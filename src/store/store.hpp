// Storage interface. Handlers and core never see SQL; a PostgreSQL implementation only has
// to provide another Store and Session.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/types.hpp"
#include "store/model.hpp"
#include "store/public_figures_rows.hpp"
#include "store/stats_rows.hpp"

namespace vg::store {

// The data the availability engine needs for one motif of one organisation.
struct AvailabilityData {
    std::vector<core::OpeningPlan> plans;
    std::vector<core::Absence> absences;
    std::vector<core::RecurringAbsence> recurring_absences;
    std::vector<Id> agents;  // whose plans serve the motif, ascending
    struct Busy {
        Id agent_id;
        core::Interval span;
    };
    std::vector<Busy> busy;
    // Sites closed for a local day (site_closures, migration 13): no on-site slot there.
    std::vector<SiteClosure> closures;
};

// The outbox's queue (operations: /metrics, /readyz). Messages due more than kDeferAfter
// later wait outside the queue (deferred).
struct OutboxStats {
    std::int64_t pending = 0;  // in the queue (due now or within kDeferAfter)
    std::int64_t sending = 0;
    std::int64_t deferred = 0;
    std::int64_t dead = 0;
    // The due time of the oldest message that is due and not sent yet.
    std::optional<Instant> oldest_due;
};

// A unit of work inside one transaction (read snapshot or exclusive write).
class Session {
  public:
    virtual ~Session() = default;

    // Organisation data
    virtual std::optional<Organisation> organisation_by_slug(const std::string& slug) = 0;
    virtual std::optional<Organisation> organisation_by_id(Id id) = 0;
    virtual std::vector<Organisation> organisations() = 0;
    virtual std::optional<Terms> current_terms(Id organisation_id) = 0;
    virtual std::vector<Site> sites(Id organisation_id) = 0;
    virtual std::vector<Motif> motifs(Id organisation_id) = 0;
    virtual std::vector<Agent> agents(Id organisation_id) = 0;
    virtual std::optional<Agent> agent(Id organisation_id, Id agent_id) = 0;

    // Plans, absences and live appointments of the agents who may serve this motif
    // (plans listing it or all motifs; motif 0: every plan, the statistics' offered time),
    // busy intervals overlapping [from, to).
    // with_busy = false skips the appointments (a booking checks its few candidates itself).
    virtual AvailabilityData availability_data(Id organisation_id, Id motif_id, Instant from,
                                               Instant to, bool with_busy = true) = 0;
    // Live appointments (booked/confirmed) of the given agents overlapping [from, to), in
    // one statement: the busy intervals of a slot search, the freedom and the day's load of
    // a booking's candidates. Only appointments starting less than `longest` seconds before
    // `from` are looked at (a day covers any appointment; a tighter bound reads less).
    virtual std::vector<AvailabilityData::Busy> busy(const std::vector<Id>& agents, Instant from,
                                                     Instant to, Instant longest) = 0;

    // Appointments
    // By the hash of its first management token or of one issued later (add_token_hash).
    virtual std::optional<Appointment> appointment_by_token_hash(const std::string& hash) = 0;
    // One more management token for the appointment; only the newest `keep` added ones stay
    // valid (the first token, in appointments.token_hash, always does).
    virtual void add_token_hash(Id appointment_id, const std::string& hash, int keep) = 0;
    // Live appointments (booked, confirmed) of the organisation not over at `after`
    // (ends_at > after), soonest first, at most `limit`: those whose e-mail address is
    // `email` in any case, or those whose phone number (stored in international form) is
    // `phone`.
    virtual std::vector<Appointment> live_by_email(Id organisation_id, const std::string& email,
                                                   Instant after, int limit) = 0;
    virtual std::vector<Appointment> live_by_phone(Id organisation_id, const std::string& phone,
                                                   Instant after, int limit) = 0;
    virtual std::optional<Appointment> appointment_by_id(Id organisation_id, Id id) = 0;
    virtual Id insert_appointment(const Appointment& a) = 0;
    virtual void update_appointment(const Appointment& a) = 0;
    virtual void add_event(Id appointment_id, const std::string& kind, const std::string& actor,
                           const std::string& detail) = 0;
    virtual void add_audit(const AuditEntry& e) = 0;
    virtual void enqueue(const OutboxMessage& m) = 0;

    // Outbox (messages). claim_due leases due messages until lease_until so that a crashed
    // sender's messages are taken again after the lease, and no two senders share one.
    // Only messages in the due queue are claimed: one written more than two hours before it
    // is due waits outside it (a booking's reminders) until promote_deferred(until) queues
    // every message due by `until`; returns how many.
    virtual std::vector<OutboxRow> claim_due(Instant now, Instant lease_until, int limit) = 0;
    virtual int promote_deferred(Instant until) = 0;
    // Reads for an idle sender (no write): when the next queued message is due (nullopt:
    // none), and whether promote_deferred(until) would queue anything.
    virtual std::optional<Instant> next_due() = 0;
    virtual bool deferred_due(Instant until) = 0;
    // Compare-and-set renewal of one leased message just before it is sent: false when the
    // lease ran out and another sender took the message (then this one must not send it).
    virtual bool renew_lease(Id id, Instant expected_lease, Instant new_lease) = 0;
    virtual void mark_sent(Id id, Instant now) = 0;
    virtual void mark_retry(Id id, int attempts, Instant next_attempt_at,
                            const std::string& error) = 0;
    virtual void mark_dead(Id id, int attempts, const std::string& error) = 0;
    // Not sent on purpose (obsolete reminder, SMS opt-out, no gateway): status 'cancelled'.
    virtual void mark_skipped(Id id, const std::string& why) = 0;
    // Satisfaction survey after the appointment: one answer per appointment.
    virtual bool insert_survey(Id organisation_id, Id appointment_id, int rating,
                               const std::string& comment) = 0;
    virtual bool sms_opted_out(Id organisation_id, const std::string& e164) = 0;
    virtual void add_sms_opt_out(Id organisation_id, const std::string& e164) = 0;
    // Pending messages of an appointment that a change makes obsolete (reminders...).
    virtual int cancel_pending(Id appointment_id, const std::vector<std::string>& kinds) = 0;
    virtual std::vector<OutboxRow> outbox(Id organisation_id, const std::string& status,
                                          int limit) = 0;
    // Dead message back to pending, due now; false when not dead or another organisation's.
    virtual bool replay(Id organisation_id, Id id, Instant now) = 0;
    // The daily per-number SMS cap, counted over the SMS sent by every sender of the
    // database: records that message outbox_id goes to e164 now, unless per_day SMS were
    // already sent (or are being sent) to that number in the last 24 hours (then false).
    // A send that fails gives its place back with release_sms.
    virtual bool reserve_sms(Id outbox_id, const std::string& e164, Instant now, int per_day) = 0;
    virtual void release_sms(Id outbox_id) = 0;
    // Pending messages of this kind of an appointment that wait for something (the
    // thank-you waits for the outcome) become due now, or at their due time if later.
    virtual int release_waiting(Id appointment_id, const std::string& kind, Instant now) = 0;

    // The installation (table created by migration 6): "installation_id" (random, created
    // by the migration), "secret_key_id". remember_installation_value stores value unless
    // the name already has one, and returns the stored value.
    virtual std::optional<std::string> installation_value(const std::string& name) = 0;
    virtual std::string remember_installation_value(const std::string& name,
                                                    const std::string& value) = 0;
    // True when the agent has no live appointment within `buffer` seconds of span and no
    // one-off absence over it (the appointment `except` is ignored: reschedules).
    virtual bool agent_is_free(Id agent_id, core::Interval span, Instant buffer,
                               std::optional<Id> except) = 0;
    // Pairs of overlapping live appointments of one agent: must always be zero.
    virtual int count_live_overlaps(Id organisation_id) = 0;

    // Single-use booking keys (BookingKey): found by organisation and key hash; written in
    // the booking's transaction.
    virtual std::optional<BookingKey> booking_key(Id organisation_id,
                                                  const std::string& key_hash) = 0;
    virtual void insert_booking_key(const BookingKey& k) = 0;

    // Staff accounts (sqlite_accounts.cpp). E-mails are matched case-insensitively.
    virtual Id insert_account(const Account& a) = 0;
    virtual std::optional<Account> account_by_id(Id id) = 0;
    virtual std::optional<Account> account_by_email(const std::string& email) = 0;
    // Every account, or those with a membership in the organisation; by e-mail.
    virtual std::vector<Account> accounts(std::optional<Id> organisation_id) = 0;
    virtual void set_password_hash(Id account_id, const std::string& hash) = 0;
    // A disabled account (disabled_at set) can neither sign in nor use a session or a link.
    virtual void set_account_disabled(Id account_id, std::optional<Instant> at) = 0;
    // Sets (or with nullopt removes) the sealed TOTP secret; the last step goes back to 0.
    virtual void set_totp_secret(Id account_id, const std::optional<std::string>& sealed) = 0;
    // Compare-and-set of the last accepted TOTP step: false when step is not after it
    // (a code already used, even by a concurrent sign-in).
    virtual bool advance_totp_step(Id account_id, std::int64_t step) = 0;
    // Memberships of an account (with the organisations' slug and name), by organisation.
    virtual std::vector<Membership> memberships(Id account_id) = 0;
    // False when the account already holds that role there.
    virtual bool add_membership(const Membership& m) = 0;

    virtual void insert_staff_session(const StaffSession& s) = 0;
    virtual std::optional<StaffSession> staff_session(const std::string& id_hash) = 0;
    // Records activity (idle timeout) and, optionally, the stage and organisation.
    virtual void update_staff_session(const StaffSession& s) = 0;
    virtual void revoke_staff_session(const std::string& id_hash, Instant now) = 0;
    // Revokes every live session of the account; returns how many.
    virtual int revoke_staff_sessions(Id account_id, Instant now) = 0;

    virtual void insert_account_token(const AccountToken& t) = 0;
    // The token when it exists with this purpose, is unused and not expired at now (read
    // only: a form shows the link's page before the link is used).
    virtual std::optional<AccountToken> account_token(const std::string& token_hash,
                                                      const std::string& purpose, Instant now) = 0;
    // Marks the token used and returns it, when it exists with this purpose, is unused and
    // not expired at now; nullopt otherwise (single use, even under concurrent attempts).
    virtual std::optional<AccountToken> take_account_token(const std::string& token_hash,
                                                           const std::string& purpose,
                                                           Instant now) = 0;
    // Replaces the account's recovery codes (hashes).
    virtual void set_recovery_codes(Id account_id, const std::vector<std::string>& hashes) = 0;
    // Marks the unused code used; false when there is none.
    virtual bool use_recovery_code(Id account_id, const std::string& hash, Instant now) = 0;
    virtual int unused_recovery_codes(Id account_id) = 0;

    virtual SignInThrottle sign_in_throttle(const std::string& subject) = 0;
    virtual void set_sign_in_throttle(const std::string& subject, const SignInThrottle& t) = 0;
    virtual void clear_sign_in_throttle(const std::string& subject) = 0;

    // The change journal (migration 10): every configuration write of the console, the
    // administration and the CLI adds one entry in its transaction.
    virtual void add_change(const ConfigChange& c) = 0;
    // Newest first, at most filter.limit.
    virtual std::vector<ConfigChange> changes(Id organisation_id, const ChangeFilter& filter) = 0;

    // Configuration writes (demo loader, CLI, tests)
    virtual Id insert_organisation(const Organisation& o) = 0;
    virtual Id insert_terms(const Terms& t) = 0;
    virtual Id insert_site(const Site& s) = 0;
    virtual Id insert_motif(const Motif& m) = 0;
    virtual Id insert_agent(const Agent& a) = 0;
    virtual Id insert_plan(Id organisation_id, const core::OpeningPlan& p) = 0;
    virtual Id insert_absence(Id organisation_id, const core::Absence& a,
                              const std::string& reason) = 0;
    virtual Id insert_recurring_absence(Id organisation_id, const core::RecurringAbsence& a,
                                        const std::string& reason) = 0;

    // --- agenda (sqlite_agenda.cpp, migration 11) -------------------------------------
    // Appointments of the organisation starting in [from, to) held by one of `agents`,
    // by start: live ones (booked, confirmed), and with held = true also those recorded as
    // honoured or no-show (never cancelled ones).
    virtual std::vector<Appointment> agenda(Id organisation_id, const std::vector<Id>& agents,
                                            Instant from, Instant to, bool held) = 0;
    // The account's console language (fr/en/nl/de), nullopt: the browser's.
    virtual void set_account_language(Id account_id,
                                      const std::optional<std::string>& language) = 0;
    // Calendar feeds: the live (not revoked) feed of an account in an organisation, or of a
    // token hash; insert; revoke every live feed of the account there (returns how many).
    virtual std::optional<CalendarFeed> calendar_feed(Id account_id, Id organisation_id) = 0;
    virtual std::optional<CalendarFeed> calendar_feed_by_hash(const std::string& token_hash) = 0;
    virtual Id insert_calendar_feed(const CalendarFeed& f) = 0;
    virtual int revoke_calendar_feeds(Id account_id, Id organisation_id, Instant now) = 0;
    // Teams of the organisation with their agents and supervisors, by name; one team.
    virtual std::vector<Team> teams(Id organisation_id) = 0;
    virtual std::optional<Team> team(Id organisation_id, Id team_id) = 0;
    // Names are unique in an organisation: insert/rename return false on a taken name.
    virtual std::optional<Id> insert_team(Id organisation_id, const std::string& name) = 0;
    virtual bool rename_team(Id organisation_id, Id team_id, const std::string& name) = 0;
    // Deletes the team and its members' links.
    virtual void delete_team(Id organisation_id, Id team_id) = 0;
    // Membership changes; false when nothing changed (already in / not in).
    virtual bool add_team_agent(Id team_id, Id agent_id) = 0;
    virtual bool remove_team_agent(Id team_id, Id agent_id) = 0;
    virtual bool add_team_supervisor(Id team_id, Id account_id) = 0;
    virtual bool remove_team_supervisor(Id team_id, Id account_id) = 0;

    // Appointment page (issue 12, sqlite_console.cpp): history, private notes, outcome.
    virtual std::vector<AppointmentEvent> appointment_events(Id appointment_id) = 0;
    virtual Id add_note(const AppointmentNote& n) = 0;
    // Oldest first.
    virtual std::vector<AppointmentNote> notes(Id organisation_id, Id appointment_id) = 0;
    // Every item, retired ones too, by group then position.
    virtual std::vector<OutcomeItem> outcome_items(Id organisation_id) = 0;
    // False when the code is already taken in this organisation (codes are never reused).
    virtual bool insert_outcome_item(const OutcomeItem& i) = 0;
    // Label, position and retirement of the item (id, organisation_id).
    virtual void update_outcome_item(const OutcomeItem& i) = 0;
    // Inserts or replaces the outcome of the appointment.
    virtual void set_outcome(const AppointmentOutcome& o) = 0;
    virtual std::optional<AppointmentOutcome> outcome(Id organisation_id, Id appointment_id) = 0;

    // Availability and supervision (issue 12; sqlite_supervision.cpp). Every read takes the
    // organisation: an id of another one is not found.
    // Opening plans of the organisation, of one agent when given; by agent, then id.
    virtual std::vector<core::OpeningPlan> plans(Id organisation_id, std::optional<Id> agent) = 0;
    virtual std::optional<core::OpeningPlan> plan(Id organisation_id, Id id) = 0;
    virtual bool update_plan(Id organisation_id, const core::OpeningPlan& p) = 0;
    virtual bool delete_plan(Id organisation_id, Id id) = 0;
    // One-off absences of an agent ending after `after`, soonest first.
    virtual std::vector<AbsenceRow> absences(Id organisation_id, Id agent_id, Instant after) = 0;
    virtual std::optional<AbsenceRow> absence(Id organisation_id, Id id) = 0;
    virtual bool delete_absence(Id organisation_id, Id id) = 0;
    virtual std::vector<RecurringAbsenceRow> recurring_absences(Id organisation_id,
                                                                Id agent_id) = 0;
    virtual std::optional<RecurringAbsenceRow> recurring_absence(Id organisation_id, Id id) = 0;
    virtual bool delete_recurring_absence(Id organisation_id, Id id) = 0;
    // Appointments of the organisation starting in [from, to), soonest first; live only
    // (booked, confirmed) when live_only; of one agent / one site when given.
    virtual std::vector<Appointment> appointments_between(Id organisation_id, Instant from,
                                                          Instant to, bool live_only,
                                                          std::optional<Id> agent,
                                                          std::optional<Id> site) = 0;
    // False when the site is already closed that day.
    virtual bool insert_site_closure(const SiteClosure& c) = 0;
    virtual std::vector<SiteClosure> site_closures(Id organisation_id, core::LocalDay from,
                                                   core::LocalDay to) = 0;

    // --- admin: the organisation's administration (sqlite_admin.cpp) ----------------------
    // Writes what an administrator edits: name, languages, default time zone, sender and
    // reply-to addresses, mediation contact, brand colour, no-show delay, retention period.
    // False: no such organisation.
    virtual bool update_organisation_settings(const Organisation& o) = 0;
    // By organisation_id and id; false when the organisation has no such site / motif.
    virtual bool update_site(const Site& x) = 0;
    virtual bool update_motif(const Motif& m) = 0;
    // Every published version of the terms, newest first.
    virtual std::vector<Terms> terms_versions(Id organisation_id) = 0;
    // Removes a role of an account in an organisation; false when it did not hold it.
    virtual bool remove_membership(Id account_id, Id organisation_id, const std::string& role) = 0;
    // Retention: erases the citizen's personal data (names, e-mail, phone, beneficiary number,
    // needs; the messages' payloads and the survey's comment) of the organisation's
    // appointments that ended before `ended_before` and were not erased yet; motif, channel,
    // site, agent, times, status and origin stay. Returns how many appointments.
    virtual int erase_personal_data(Id organisation_id, Instant ended_before) = 0;
    // The uploaded logo (nullopt: remove it); its etag is the one the organisation row shows.
    virtual void set_logo(Id organisation_id, const std::optional<Logo>& logo) = 0;
    virtual std::optional<Logo> logo(Id organisation_id) = 0;

    // --- video room (issue 13; sqlite_room.cpp, migration 15) ----------------------------
    // The room token of a management token (its hash), written beside it.
    virtual void add_room_token_hash(Id appointment_id, const std::string& hash) = 0;
    virtual std::optional<Appointment> appointment_by_room_token_hash(const std::string& hash) = 0;
    virtual void add_room_event(const RoomEvent& e) = 0;
    // The journal of one appointment of the organisation, oldest first.
    virtual std::vector<RoomEvent> room_events(Id organisation_id, Id appointment_id) = 0;
    virtual Id insert_room_invitation(const RoomInvitation& i) = 0;
    virtual std::optional<RoomInvitation> room_invitation_by_hash(const std::string& hash) = 0;
    virtual std::vector<RoomInvitation> room_invitations(Id organisation_id, Id appointment_id) = 0;
    // Sets revoked_at (now) of a live invitation of that appointment; false: none.
    virtual bool revoke_room_invitation(Id organisation_id, Id appointment_id, Id id) = 0;
    // Sets used_at (now) unless already used or revoked; false: not bound by this call.
    virtual bool use_room_invitation(Id id) = 0;
    virtual Id insert_room_participant(const RoomParticipant& p) = 0;
    virtual std::optional<RoomParticipant> room_participant_by_resume(const std::string& hash) = 0;
    virtual void admit_room_participant(Id appointment_id, const std::string& participant) = 0;
    // Documents of the room (issue 13; sqlite_documents.cpp).
    virtual Id insert_document(const RoomDocument& d) = 0;
    virtual std::vector<RoomDocument> documents(Id organisation_id, Id appointment_id) = 0;
    virtual std::optional<RoomDocument> document(Id organisation_id, Id id) = 0;
    // Not yet deleted and past their delete_after, or past the appointment's end plus the
    // organisation's document_retention_days as it is now; oldest first (every organisation).
    virtual std::vector<RoomDocument> documents_due(Instant now, int limit) = 0;
    // Erases the key and sets deleted_at (the file is removed by the caller).
    virtual bool mark_document_deleted(Id organisation_id, Id id, Instant at) = 0;
    // --- operations (sqlite_operations.cpp; docs/OPERATIONS.md) ---
    // The outbox as /metrics and /readyz see it, every organisation together.
    virtual OutboxStats outbox_stats(Instant now) = 0;
    // --- admin-rest: closed days, message texts, platform (sqlite_admin_rest.cpp) ---------
    // The organisation's closed days ending on or after `from` (local day), soonest first.
    virtual std::vector<ClosedDay> closed_days(Id organisation_id, core::LocalDay from) = 0;
    virtual Id insert_closed_day(const ClosedDay& d) = 0;
    // False when the organisation has no such closed day.
    virtual bool delete_closed_day(Id organisation_id, Id id) = 0;
    // The organisation's message texts, by kind then language.
    virtual std::vector<MessageText> message_texts(Id organisation_id) = 0;
    // Writes the text of (kind, language); both empty: removes it.
    virtual void put_message_text(const MessageText& t) = 0;
    // The platform administrator flag of an account (accounts.is_platform_admin).
    virtual void set_platform_admin(Id account_id, bool on) = 0;
    // --- stats: the statistics (issue 14; sqlite_stats.cpp) -------------------------------
    // Every appointment of the organisation that starts or was booked in [from, to), each
    // given to `each` as it is read (a cursor: an export never holds them all), by start,
    // with its outcome, survey answer and what its history says: its row of
    // stats_appointments (migration 28), kept by the writes. The citizen's contact data only
    // when with_contacts (else left empty).
    virtual void stats_appointments(Id organisation_id, Instant from, Instant to,
                                    bool with_contacts,
                                    const std::function<void(const StatsAppointment&)>& each) = 0;
    // The organisation's messages written in [from, to), oldest first. One statement.
    virtual std::vector<StatsMessage> stats_messages(Id organisation_id, Instant from,
                                                     Instant to) = 0;
    // API keys (migration 18): by hash (revoked ones too: the caller refuses them), the
    // organisation's by creation, revoke now (false: no such live key of the organisation).
    virtual Id insert_api_key(const ApiKey& k) = 0;
    virtual std::optional<ApiKey> api_key_by_hash(const std::string& key_hash) = 0;
    virtual std::vector<ApiKey> api_keys(Id organisation_id) = 0;
    virtual bool revoke_api_key(Id organisation_id, Id id) = 0;
    // --- public figures (issue 14; sqlite_public_figures.cpp, migration 21) ---------------
    // What the organisation publishes at /{org}/chiffres; nullopt: never chosen.
    virtual std::optional<FigureChoice> figure_choice(Id organisation_id) = 0;
    virtual void put_figure_choice(Id organisation_id, const FigureChoice& c) = 0;
    // The organisation's processing delays, newest week first, at most `weeks` weeks; only
    // weeks on or before `until` (a Monday) when given.
    virtual std::vector<DelayWeek> delay_weeks(Id organisation_id, int weeks,
                                               std::optional<core::LocalDay> until) = 0;
    // The week's lines become exactly w.lines (the other weeks stay as they are).
    virtual void replace_delay_week(const DelayWeek& w) = 0;

    // --- room rules: automatic no-show, late agent (issue 13; sqlite_room_rules.cpp) ------
    // Live (booked, confirmed) video appointments of the organisation starting in
    // [from, until] whose citizen never joined the room (no citizen `joined`/`rejoined` in
    // room_events), soonest first.
    virtual std::vector<Appointment> video_appointments_without_citizen(Id organisation_id,
                                                                        Instant from,
                                                                        Instant until) = 0;
    // --- stats-exports: SMS segments, monthly digest (issue 14; sqlite_stats_digest.cpp,
    // migration 20) ---
    // Records the segments of the SMS of outbox message `outbox_id` (just before it is sent).
    virtual void set_sms_segments(Id outbox_id, int segments) = 0;
    // When the organisation was created (nullopt: no such organisation).
    virtual std::optional<Instant> organisation_created_at(Id organisation_id) = 0;
    // True when the digest of (organisation, "YYYY-MM") is queued already.
    virtual bool digest_queued(Id organisation_id, const std::string& month) = 0;
    // Records that it is queued now; false when it already was (then queue nothing).
    virtual bool claim_digest(Id organisation_id, const std::string& month) = 0;

    // --- stats-video: time to the first free slot (issue 14; sqlite_first_slot.cpp,
    // migration 24) ---
    // Records the sample of (organisation, motif, channel, day); false when that day's sample
    // exists already (it is kept: one sample a day).
    virtual bool add_first_slot_sample(Id organisation_id, const FirstSlotSample& s) = 0;
    // The samples of local days first..last, by day then motif and channel.
    virtual std::vector<FirstSlotSample> first_slot_samples(Id organisation_id,
                                                            core::LocalDay first,
                                                            core::LocalDay last) = 0;
    // --- partner-admin: partners, their sites, conventions, label (issue 15;
    // sqlite_partners.cpp, migration 22). Every read of an id takes the organisation: another
    // organisation's id answers nullopt / false, like a missing one.
    virtual Id insert_partner(const Partner& p) = 0;
    // name, town, responsible_name, responsible_email; false: not the organisation's.
    virtual bool update_partner(const Partner& p) = 0;
    // The organisation's partners (archived ones too), by name.
    virtual std::vector<Partner> partners(Id organisation_id) = 0;
    virtual std::optional<Partner> partner(Id organisation_id, Id id) = 0;
    virtual Id insert_partner_site(const PartnerSite& x) = 0;
    // Every field but partner and organisation; false: not the organisation's.
    virtual bool update_partner_site(const PartnerSite& x) = 0;
    // The organisation's partner sites, of one partner when given; by partner then name.
    virtual std::vector<PartnerSite> partner_sites(Id organisation_id,
                                                   std::optional<Id> partner_id) = 0;
    virtual std::optional<PartnerSite> partner_site(Id organisation_id, Id id) = 0;
    // The accounts holding the partner role in the organisation, of one partner when given.
    virtual std::vector<PartnerStaff> partner_staff(Id organisation_id,
                                                    std::optional<Id> partner_id) = 0;
    virtual Id insert_convention(const Convention& c) = 0;
    // The terms a convention's page edits (everything but partner, signed_on, ended_on,
    // end_reason, created_*); false: not the organisation's.
    virtual bool update_convention(const Convention& c) = 0;
    // The partner's newest convention (ended or not).
    virtual std::optional<Convention> latest_convention(Id organisation_id, Id partner_id) = 0;
    virtual std::optional<Convention> convention(Id organisation_id, Id id) = 0;
    // Conventions not ended, of every organisation (the notice reminder), by id.
    virtual std::vector<Convention> live_conventions() = 0;
    // Ends a live convention; false when it is not the organisation's or already ended.
    virtual bool end_convention(Id organisation_id, Id id, core::LocalDay on,
                                const std::string& reason) = 0;
    virtual Id insert_convention_action(const ConventionAction& a) = 0;
    // The convention's action plan: open items by due day, then the done ones.
    virtual std::vector<ConventionAction> convention_actions(Id organisation_id,
                                                             Id convention_id) = 0;
    // Marks an item done at `at` (nullopt: open again); false: not the organisation's.
    virtual bool set_convention_action_done(Id organisation_id, Id id,
                                            std::optional<Instant> at) = 0;
    virtual Id insert_label_event(const LabelEvent& e) = 0;
    // The partner's label history, newest first.
    virtual std::vector<LabelEvent> label_events(Id organisation_id, Id partner_id) = 0;
    // Records that the notice reminder of (convention, term end) is queued now; false when
    // it already was (then queue nothing).
    virtual bool claim_convention_reminder(Id convention_id, core::LocalDay term_end) = 0;
    // Records that the overdue e-mail of (partner, period) is queued now; false when it already
    // was (then queue nothing). Migration 29.
    virtual bool claim_report_overdue(Id partner_id, const std::string& period) = 0;

    // --- partner-screens: the partner's visits and reports (issue 15; sqlite_partner_screens.cpp,
    // migration 22). Every read takes the organisation and the partner.
    // The visit with its cells and themes (call inside one write transaction).
    virtual Id insert_partner_visit(const PartnerVisit& v) = 0;
    // The partner's visits of days [from, to], oldest first, with cells and themes.
    virtual std::vector<PartnerVisit> partner_visits(Id organisation_id, Id partner_id,
                                                     core::LocalDay from, core::LocalDay to) = 0;
    // Deletes the partner's visit of `day` (with its cells and themes); false when there is
    // no such visit of that organisation, partner and day.
    virtual bool delete_partner_visit(Id organisation_id, Id partner_id, Id id,
                                      core::LocalDay day) = 0;
    virtual std::optional<PartnerReport> partner_report(Id organisation_id, Id partner_id,
                                                        const std::string& period) = 0;
    // False when the partner already has a report of that period (nothing written).
    virtual bool insert_partner_report(const PartnerReport& r) = 0;
    // --- partner-hours: a partner site's weekly hours and closures (issue 15;
    // sqlite_partner_hours.cpp, migration 22). Scoped by organisation like partner-admin's.
    // The site's weekly spans, by weekday then opening time.
    virtual std::vector<PartnerHoursSpan> partner_hours(Id organisation_id, Id site_id) = 0;
    // Replaces every span of the site (call inside one write transaction); false when the
    // site is not the organisation's (nothing written).
    virtual bool replace_partner_hours(Id organisation_id, Id site_id,
                                       const std::vector<PartnerHoursSpan>& spans) = 0;
    // The site's closures, by first day; only those ending on or after `from` when given.
    virtual std::vector<PartnerClosure> partner_closures(Id organisation_id, Id site_id,
                                                         std::optional<core::LocalDay> from) = 0;
    // Adds a closure (from_day <= to_day); 0 when the site is not the organisation's.
    virtual Id insert_partner_closure(const PartnerClosure& c) = 0;
    // Deletes a closure of the site; false when it is not the organisation's or that site's.
    virtual bool delete_partner_closure(Id organisation_id, Id site_id, Id id) = 0;
    // --- partner-caf: the organisation's overview of its partners (issue 15;
    // sqlite_partner_caf.cpp). Scoped by organisation.
    // Appointments booked on behalf of citizens (booked_by 'partner') from the partner's sites.
    virtual int partner_bookings_on_behalf(Id organisation_id, Id partner_id) = 0;
    // The notice of a convention (once: false when one exists, nothing written).
    virtual bool insert_convention_notice(const ConventionNotice& n) = 0;
    virtual std::optional<ConventionNotice> convention_notice(Id organisation_id,
                                                              Id convention_id) = 0;
    // Every notice whose convention is still live, by convention (the daily end job).
    virtual std::vector<ConventionNotice> live_convention_notices() = 0;
    // Archives a partner or a site (archived_at set once; false: not the organisation's or
    // already archived).
    virtual bool archive_partner(Id organisation_id, Id id, Instant at) = 0;
    virtual bool archive_partner_site(Id organisation_id, Id id, Instant at) = 0;
    virtual Id insert_partner_training(const PartnerTraining& t) = 0;
    // The partner's trainings and update days, newest first.
    virtual std::vector<PartnerTraining> partner_trainings(Id organisation_id, Id partner_id) = 0;
    // --- partner-booking: appointments a partner books on a citizen's behalf (issue 15;
    // sqlite_partner_booking.cpp, migration 22). Every read takes the organisation and the
    // partner.
    // Records the helper's account on an appointment booked by a partner (in the booking's
    // transaction).
    virtual void set_booked_by_account(Id organisation_id, Id appointment_id, Id account_id) = 0;
    // The appointments booked by any site of this partner (booked_by 'partner'), upcoming
    // first (by start), then past ones newest first.
    virtual std::vector<Appointment> partner_appointments(Id organisation_id, Id partner_id,
                                                          Instant now) = 0;
    // Forgets one room token of the organisation's appointment (a partner desk's, once the
    // call is over): the link opens nothing any more. False when there was none.
    virtual bool delete_room_token_hash(Id organisation_id, Id appointment_id,
                                        const std::string& hash) = 0;
};

// Messages due later than this after they are written wait outside the due queue (see
// migration 5) until Session::promote_deferred brings them in; whoever sends messages must
// promote at least every kDeferAfter minus the notice it wants.
inline constexpr Instant kDeferAfter = 2 * 3600;

class Store {
  public:
    virtual ~Store() = default;
    // Applies pending migrations; returns the schema version reached.
    virtual int migrate() = 0;
    virtual int schema_version() = 0;
    // Runs fn in a read transaction (consistent snapshot).
    virtual void read(const std::function<void(Session&)>& fn) = 0;
    // Runs fn in an exclusive write transaction; commits if fn returns, rolls back if it
    // throws. Writers are serialised, so check-then-insert is race-free (invariant 2).
    virtual void write(const std::function<void(Session&)>& fn) = 0;
    // True when the database answers a trivial query.
    virtual bool ready() = 0;
};

// Who makes a group commit durable (when StoreOptions::durable): the flush thread
// (`fdatasync` of the WAL beside the writer, which commits with synchronous=NORMAL and runs
// the next batch meanwhile), or SQLite itself inside COMMIT (synchronous=FULL on the writer
// connection, the writer waits). Both answer nobody before their batch is on disk;
// docs/ARCHITECTURE.md says which one serves and why (measured by bench/bench_commit.cpp).
enum class Flush { thread, sqlite };

struct StoreOptions {
    std::string path;
    bool durable = true;  // nobody is answered before their commit is on disk
    int busy_timeout_ms = 10000;
    // Where created_at, audit and event times come from; the wall clock when null.
    const core::Clock* clock = nullptr;
    Flush flush = Flush::thread;
};

// Exit status of a process whose flush of the database failed (EX_IOERR): after a failed
// fsync the kernel may have dropped the dirty pages and a later fsync succeeds without them,
// so the process cannot know what is on disk. It stops at once, answering none of the
// writers of the batch; a restart recovers what the disk holds (PostgreSQL does the same
// since 2018).
inline constexpr int kExitFlushFailed = 74;

std::unique_ptr<Store> open_sqlite_store(const StoreOptions& options);

}  // namespace vg::store

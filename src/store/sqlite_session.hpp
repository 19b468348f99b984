// The SQLite Session: the queries of one transaction, split by aggregate into
// sqlite_<aggregate>.cpp files; the commit machinery that runs them is sqlite_store.cpp.
#pragma once

#include "core/clock.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace vg::store::sqlite {

class SqliteSession final : public Session {
  public:
    SqliteSession(Connection& c, const core::Clock& clock) : c_(c), clock_(clock) {}

    std::optional<Organisation> organisation_by_slug(const std::string& slug) override;

    std::optional<Organisation> organisation_by_id(Id id) override;

    std::vector<Organisation> organisations() override;

    std::optional<Terms> current_terms(Id org) override;

    std::vector<Site> sites(Id org) override;

    std::vector<Motif> motifs(Id org) override;

    std::vector<Agent> agents(Id org) override;

    std::optional<Agent> agent(Id org, Id id) override;

    Id insert_organisation(const Organisation& o) override;

    Id insert_terms(const Terms& t) override;

    Id insert_site(const Site& x) override;

    Id insert_motif(const Motif& m) override;

    Id insert_agent(const Agent& a) override;

    Id insert_plan(Id org, const core::OpeningPlan& p) override;

    Id insert_absence(Id org, const core::Absence& a, const std::string& reason) override;

    Id insert_recurring_absence(Id org, const core::RecurringAbsence& a,
                                const std::string& reason) override;

    AvailabilityData availability_data(Id org, Id motif, Instant from, Instant to,
                                       bool with_busy) override;

    std::vector<AvailabilityData::Busy> busy(const std::vector<Id>& agents, Instant from,
                                             Instant to, Instant longest) override;

    bool agent_is_free(Id agent, core::Interval span, Instant buffer,
                       std::optional<Id> except) override;

    int count_live_overlaps(Id org) override;

    std::optional<BookingKey> booking_key(Id org, const std::string& key_hash) override;

    void insert_booking_key(const BookingKey& k) override;

    std::optional<Appointment> appointment_by_token_hash(const std::string& hash) override;

    void add_token_hash(Id appointment, const std::string& hash, int keep) override;

    std::vector<Appointment> live_by_email(Id org, const std::string& email, Instant after,
                                           int limit) override;

    std::vector<Appointment> live_by_phone(Id org, const std::string& phone, Instant after,
                                           int limit) override;

    std::optional<Appointment> appointment_by_id(Id org, Id id) override;

    Id insert_appointment(const Appointment& a) override;

    void update_appointment(const Appointment& a) override;

    void add_event(Id appointment, const std::string& kind, const std::string& actor,
                   const std::string& detail) override;

    bool insert_survey(Id org, Id appointment, int rating, const std::string& comment) override;

    void add_audit(const AuditEntry& e) override;

    void add_change(const ConfigChange& c) override;

    std::vector<ConfigChange> changes(Id org, const ChangeFilter& filter) override;

    void enqueue(const OutboxMessage& m) override;

    int promote_deferred(Instant until) override;

    std::optional<Instant> next_due() override;

    bool deferred_due(Instant until) override;

    std::vector<OutboxRow> claim_due(Instant now, Instant lease_until, int limit) override;

    bool renew_lease(Id id, Instant expected, Instant lease) override;

    void mark_sent(Id id, Instant now) override;

    void mark_retry(Id id, int attempts, Instant next, const std::string& error) override;

    void mark_dead(Id id, int attempts, const std::string& error) override;

    void mark_skipped(Id id, const std::string& why) override;

    bool sms_opted_out(Id org, const std::string& e164) override;

    void add_sms_opt_out(Id org, const std::string& e164) override;

    int cancel_pending(Id appointment, const std::vector<std::string>& kinds) override;

    std::vector<OutboxRow> outbox(Id org, const std::string& status, int limit) override;

    bool replay(Id org, Id id, Instant now) override;

    bool reserve_sms(Id outbox_id, const std::string& e164, Instant now, int per_day) override;

    void release_sms(Id outbox_id) override;

    int release_waiting(Id appointment, const std::string& kind, Instant now) override;

    std::optional<std::string> installation_value(const std::string& name) override;

    std::string remember_installation_value(const std::string& name,
                                            const std::string& value) override;

    Id insert_account(const Account& a) override;
    std::optional<Account> account_by_id(Id id) override;
    std::optional<Account> account_by_email(const std::string& email) override;
    std::vector<Account> accounts(std::optional<Id> org) override;
    void set_password_hash(Id account, const std::string& hash) override;
    void set_account_disabled(Id account, std::optional<Instant> at) override;
    void set_totp_secret(Id account, const std::optional<std::string>& sealed) override;
    bool advance_totp_step(Id account, std::int64_t step) override;
    std::vector<Membership> memberships(Id account) override;
    bool add_membership(const Membership& m) override;
    void insert_staff_session(const StaffSession& s) override;
    std::optional<StaffSession> staff_session(const std::string& id_hash) override;
    void update_staff_session(const StaffSession& s) override;
    void revoke_staff_session(const std::string& id_hash, Instant now) override;
    int revoke_staff_sessions(Id account, Instant now) override;
    void insert_account_token(const AccountToken& t) override;
    std::optional<AccountToken> account_token(const std::string& token_hash,
                                              const std::string& purpose, Instant now) override;
    std::optional<AccountToken> take_account_token(const std::string& token_hash,
                                                   const std::string& purpose,
                                                   Instant now) override;
    void set_recovery_codes(Id account, const std::vector<std::string>& hashes) override;
    bool use_recovery_code(Id account, const std::string& hash, Instant now) override;
    int unused_recovery_codes(Id account) override;
    SignInThrottle sign_in_throttle(const std::string& subject) override;
    void set_sign_in_throttle(const std::string& subject, const SignInThrottle& t) override;
    void clear_sign_in_throttle(const std::string& subject) override;

    // --- agenda (sqlite_agenda.cpp) ---
    std::vector<Appointment> agenda(Id org, const std::vector<Id>& agents, Instant from, Instant to,
                                    bool held) override;
    void set_account_language(Id account, const std::optional<std::string>& language) override;
    std::optional<CalendarFeed> calendar_feed(Id account, Id org) override;
    std::optional<CalendarFeed> calendar_feed_by_hash(const std::string& token_hash) override;
    Id insert_calendar_feed(const CalendarFeed& f) override;
    int revoke_calendar_feeds(Id account, Id org, Instant now) override;
    std::vector<Team> teams(Id org) override;
    std::optional<Team> team(Id org, Id team) override;
    std::optional<Id> insert_team(Id org, const std::string& name) override;
    bool rename_team(Id org, Id team, const std::string& name) override;
    void delete_team(Id org, Id team) override;
    bool add_team_agent(Id team, Id agent) override;
    bool remove_team_agent(Id team, Id agent) override;
    bool add_team_supervisor(Id team, Id account) override;
    bool remove_team_supervisor(Id team, Id account) override;

    // Appointment page (sqlite_console.cpp)
    std::vector<AppointmentEvent> appointment_events(Id appointment) override;
    Id add_note(const AppointmentNote& n) override;
    std::vector<AppointmentNote> notes(Id org, Id appointment) override;
    std::vector<OutcomeItem> outcome_items(Id org) override;
    bool insert_outcome_item(const OutcomeItem& i) override;
    void update_outcome_item(const OutcomeItem& i) override;
    void set_outcome(const AppointmentOutcome& o) override;
    std::optional<AppointmentOutcome> outcome(Id org, Id appointment) override;

    // Availability and supervision (issue 12; sqlite_supervision.cpp).
    std::vector<core::OpeningPlan> plans(Id org, std::optional<Id> agent) override;
    std::optional<core::OpeningPlan> plan(Id org, Id id) override;
    bool update_plan(Id org, const core::OpeningPlan& p) override;
    bool delete_plan(Id org, Id id) override;
    std::vector<AbsenceRow> absences(Id org, Id agent, Instant after) override;
    std::optional<AbsenceRow> absence(Id org, Id id) override;
    bool delete_absence(Id org, Id id) override;
    std::vector<RecurringAbsenceRow> recurring_absences(Id org, Id agent) override;
    std::optional<RecurringAbsenceRow> recurring_absence(Id org, Id id) override;
    bool delete_recurring_absence(Id org, Id id) override;
    std::vector<Appointment> appointments_between(Id org, Instant from, Instant to, bool live_only,
                                                  std::optional<Id> agent,
                                                  std::optional<Id> site) override;
    bool insert_site_closure(const SiteClosure& c) override;
    std::vector<SiteClosure> site_closures(Id org, core::LocalDay from, core::LocalDay to) override;

    // admin (sqlite_admin.cpp)
    bool update_organisation_settings(const Organisation& o) override;
    bool update_site(const Site& x) override;
    bool update_motif(const Motif& m) override;
    std::vector<Terms> terms_versions(Id org) override;
    bool remove_membership(Id account, Id org, const std::string& role) override;
    int erase_personal_data(Id org, Instant ended_before) override;
    void set_logo(Id org, const std::optional<Logo>& logo) override;
    std::optional<Logo> logo(Id org) override;

    // video room (sqlite_room.cpp)
    void add_room_token_hash(Id appointment, const std::string& hash) override;
    std::optional<Appointment> appointment_by_room_token_hash(const std::string& hash) override;
    void add_room_event(const RoomEvent& e) override;
    std::vector<RoomEvent> room_events(Id org, Id appointment) override;
    Id insert_room_invitation(const RoomInvitation& i) override;
    std::optional<RoomInvitation> room_invitation_by_hash(const std::string& hash) override;
    std::vector<RoomInvitation> room_invitations(Id org, Id appointment) override;
    bool revoke_room_invitation(Id org, Id appointment, Id id) override;
    bool use_room_invitation(Id id) override;
    Id insert_room_participant(const RoomParticipant& p) override;
    std::optional<RoomParticipant> room_participant_by_resume(const std::string& hash) override;
    void admit_room_participant(Id appointment, const std::string& participant) override;
    // Documents of the room (sqlite_documents.cpp).
    Id insert_document(const RoomDocument& d) override;
    std::vector<RoomDocument> documents(Id org, Id appointment) override;
    std::optional<RoomDocument> document(Id org, Id id) override;
    std::vector<RoomDocument> documents_due(Instant now, int limit) override;
    bool mark_document_deleted(Id org, Id id, Instant at) override;
    // operations (sqlite_operations.cpp)
    OutboxStats outbox_stats(Instant now) override;
    // admin-rest (sqlite_admin_rest.cpp)
    std::vector<ClosedDay> closed_days(Id org, core::LocalDay from) override;
    Id insert_closed_day(const ClosedDay& d) override;
    bool delete_closed_day(Id org, Id id) override;
    std::vector<MessageText> message_texts(Id org) override;
    void put_message_text(const MessageText& t) override;
    void set_platform_admin(Id account_id, bool on) override;
    // stats (sqlite_stats.cpp)
    void stats_appointments(Id org, Instant from, Instant to, bool with_contacts,
                            const std::function<void(const StatsAppointment&)>& each) override;
    std::vector<StatsMessage> stats_messages(Id org, Instant from, Instant to) override;
    Id insert_api_key(const ApiKey& k) override;
    std::optional<ApiKey> api_key_by_hash(const std::string& key_hash) override;
    std::vector<ApiKey> api_keys(Id org) override;
    bool revoke_api_key(Id org, Id id) override;
    // public figures (sqlite_public_figures.cpp)
    std::optional<FigureChoice> figure_choice(Id org) override;
    void put_figure_choice(Id org, const FigureChoice& c) override;
    std::vector<DelayWeek> delay_weeks(Id org, int weeks,
                                       std::optional<core::LocalDay> until) override;
    void replace_delay_week(const DelayWeek& w) override;
    // room rules (sqlite_room_rules.cpp)
    std::vector<Appointment> video_appointments_without_citizen(Id org, Instant from,
                                                                Instant until) override;
    // stats-exports (sqlite_stats_digest.cpp)
    void set_sms_segments(Id outbox_id, int segments) override;
    std::optional<Instant> organisation_created_at(Id org) override;
    bool digest_queued(Id org, const std::string& month) override;
    bool claim_digest(Id org, const std::string& month) override;
    // stats-video (sqlite_first_slot.cpp)
    bool add_first_slot_sample(Id org, const FirstSlotSample& s) override;
    std::vector<FirstSlotSample> first_slot_samples(Id org, core::LocalDay first,
                                                    core::LocalDay last) override;
    // partner-admin (sqlite_partners.cpp)
    Id insert_partner(const Partner& p) override;
    bool update_partner(const Partner& p) override;
    std::vector<Partner> partners(Id org) override;
    std::optional<Partner> partner(Id org, Id id) override;
    Id insert_partner_site(const PartnerSite& x) override;
    bool update_partner_site(const PartnerSite& x) override;
    std::vector<PartnerSite> partner_sites(Id org, std::optional<Id> partner_id) override;
    std::optional<PartnerSite> partner_site(Id org, Id id) override;
    std::vector<PartnerStaff> partner_staff(Id org, std::optional<Id> partner_id) override;
    Id insert_convention(const Convention& c) override;
    bool update_convention(const Convention& c) override;
    std::optional<Convention> latest_convention(Id org, Id partner_id) override;
    std::optional<Convention> convention(Id org, Id id) override;
    std::vector<Convention> live_conventions() override;
    bool end_convention(Id org, Id id, core::LocalDay on, const std::string& reason) override;
    Id insert_convention_action(const ConventionAction& a) override;
    std::vector<ConventionAction> convention_actions(Id org, Id convention_id) override;
    bool set_convention_action_done(Id org, Id id, std::optional<Instant> at) override;
    Id insert_label_event(const LabelEvent& e) override;
    std::vector<LabelEvent> label_events(Id org, Id partner_id) override;
    bool claim_convention_reminder(Id convention_id, core::LocalDay term_end) override;
    bool claim_report_overdue(Id partner_id, const std::string& period) override;
    // partner-screens (sqlite_partner_screens.cpp)
    Id insert_partner_visit(const PartnerVisit& v) override;
    std::vector<PartnerVisit> partner_visits(Id org, Id partner_id, core::LocalDay from,
                                             core::LocalDay to) override;
    bool delete_partner_visit(Id org, Id partner_id, Id id, core::LocalDay day) override;
    std::optional<PartnerReport> partner_report(Id org, Id partner_id,
                                                const std::string& period) override;
    bool insert_partner_report(const PartnerReport& r) override;
    // partner-hours (sqlite_partner_hours.cpp)
    std::vector<PartnerHoursSpan> partner_hours(Id org, Id site_id) override;
    bool replace_partner_hours(Id org, Id site_id,
                               const std::vector<PartnerHoursSpan>& spans) override;
    std::vector<PartnerClosure> partner_closures(Id org, Id site_id,
                                                 std::optional<core::LocalDay> from) override;
    Id insert_partner_closure(const PartnerClosure& c) override;
    bool delete_partner_closure(Id org, Id site_id, Id id) override;
    // partner-caf (sqlite_partner_caf.cpp)
    int partner_bookings_on_behalf(Id org, Id partner_id) override;
    bool insert_convention_notice(const ConventionNotice& n) override;
    std::optional<ConventionNotice> convention_notice(Id org, Id convention_id) override;
    std::vector<ConventionNotice> live_convention_notices() override;
    bool archive_partner(Id org, Id id, Instant at) override;
    bool archive_partner_site(Id org, Id id, Instant at) override;
    Id insert_partner_training(const PartnerTraining& t) override;
    std::vector<PartnerTraining> partner_trainings(Id org, Id partner_id) override;
    // --- partner-booking (sqlite_partner_booking.cpp) ---
    void set_booked_by_account(Id org, Id appointment_id, Id account_id) override;
    std::vector<Appointment> partner_appointments(Id org, Id partner_id, Instant now) override;
    bool delete_room_token_hash(Id org, Id appointment_id, const std::string& hash) override;

  private:
    Instant now() const { return clock_.now(); }

    Connection& c_;
    const core::Clock& clock_;
};

}  // namespace vg::store::sqlite

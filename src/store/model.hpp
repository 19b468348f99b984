// Records as the store reads and writes them. Localised texts are kept as JSON objects
// {"fr": "...", "en": "..."} so that adding a language never changes the schema.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/partner_visit.hpp"
#include "core/opening_hours.hpp"
#include "core/types.hpp"

namespace vg::store {

using core::Id;
using core::Instant;

// Text per language code; pick() falls back to French, then to any language.
struct LocalText {
    std::map<std::string, std::string> by_lang;
    const std::string& pick(const std::string& lang) const;
    static LocalText from_json(const std::string& json);
    std::string to_json() const;
};

struct Organisation {
    Id id = 0;
    std::string slug;
    std::string name;
    std::vector<std::string> languages{"fr"};
    std::string default_time_zone = "Europe/Paris";
    std::string holiday_region = "fr_metropole";
    std::string brand_colour = "#1d4f91";
    std::string logo_url;  // empty: text logo only (no State emblem by default)
    std::string sender_email;
    std::string reply_to;
    std::string mediation_contact;
    std::string sms_gateway;  // JSON request shape of the SMS gateway ("" = no SMS)
    // Administration (migration 14): app::no_show_delay reads the first.
    int no_show_delay_minutes = 10;
    int retention_days = 730;
    std::string logo_etag;  // of the uploaded logo ("" = none), served at /{slug}/logo
    // The video room (migration 15): the waiting room opens this many minutes before the
    // start and the room stays open this many after the end; a camera is required.
    int room_opens_minutes = 15;
    int room_margin_minutes = 30;
    bool camera_required = false;
    // Days a document sent during a call is kept after the appointment's end (migration 17).
    int document_retention_days = 7;
};

// The logo an administrator uploaded, as served.
struct Logo {
    std::string content_type;  // image/png | image/jpeg
    std::string data;          // the bytes
    std::string etag;
};

// A document sent during a call (room_documents); the bytes are in the DocumentVault.
struct RoomDocument {
    Id id = 0;
    Id organisation_id = 0;
    Id appointment_id = 0;
    std::string sender;        // citizen | guest | agent
    std::string name;          // safe download name (core::download_name)
    std::string content_type;  // application/pdf | image/png | image/jpeg
    std::int64_t size = 0;
    std::string file;        // name in the vault's folder
    std::string sealed_key;  // empty once deleted
    Instant created_at = 0;
    Instant delete_after = 0;
    std::optional<Instant> deleted_at;
};

struct Terms {
    Id id = 0;
    Id organisation_id = 0;
    int version = 0;
    LocalText text;
    LocalText conduct_rules;
    Instant published_at = 0;
};

struct Site {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string address;
    std::string postal_code;
    std::string city;
    std::string time_zone = "Europe/Paris";
    LocalText access_notes;
    bool is_partner = false;
    std::string holiday_region;  // empty: the organisation's
};

struct Motif {
    Id id = 0;
    Id organisation_id = 0;
    std::string code;
    LocalText name;
    LocalText theme;
    LocalText documents;  // what to prepare, one item per line
    core::Motif rules;
    bool is_public = true;
    bool asks_beneficiary_number = false;
    std::vector<int> reminder_minutes{2880, 120};
    int position = 0;
    bool open_to_partners = false;  // partners may book it on a citizen's behalf (migration 22)
};

struct Agent {
    Id id = 0;
    Id organisation_id = 0;
    std::string display_name;
    std::string email;
    std::string notify_mode = "immediate";  // or "digest"
    bool active = true;
};

enum class AppointmentStatus { booked, confirmed, cancelled, honoured, no_show };
std::string_view to_string(AppointmentStatus s);
std::optional<AppointmentStatus> parse_appointment_status(std::string_view s);

struct Citizen {
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string phone;
    std::string language = "fr";
    std::string beneficiary_number;
    std::string needs;
};

// Who made the booking: the citizen, or later an agent, a partner site or a tutor.
struct BookingActor {
    std::string kind = "citizen";  // citizen | agent | partner | tutor
    std::optional<Id> agent_id;
    std::optional<Id> partner_site_id;
};

struct Appointment {
    Id id = 0;
    Id organisation_id = 0;
    Id motif_id = 0;
    Id site_id = 0;
    Id agent_id = 0;
    core::Channel channel = core::Channel::video;
    Instant starts_at = 0;
    Instant ends_at = 0;
    AppointmentStatus status = AppointmentStatus::booked;
    Citizen citizen;
    int terms_version = 0;
    BookingActor booked_by;
    std::string token_hash;
    Instant token_expires_at = 0;
    std::string cancel_reason;
    int sequence = 0;  // bumped at each reschedule (for .ics SEQUENCE)
    Instant created_at = 0;
    Instant updated_at = 0;
};

// A message to send after commit (issue: messages). Written in the booking's transaction.
struct OutboxMessage {
    Id organisation_id = 0;
    std::optional<Id> appointment_id;
    std::string idempotency_key;
    std::string kind;     // confirmation | reschedule | cancellation | reminder ...
    std::string channel;  // email | sms
    std::string payload;  // JSON
    Instant due_at = 0;
};

// A row of the outbox as the worker sees it.
struct OutboxRow {
    Id id = 0;
    Id organisation_id = 0;
    std::optional<Id> appointment_id;
    std::string idempotency_key;
    std::string kind;
    std::string channel;
    std::string payload;
    std::string status;  // pending | sending | sent | dead | cancelled
    int attempts = 0;
    Instant due_at = 0;
    Instant next_attempt_at = 0;
    std::string last_error;
    Instant created_at = 0;
};

// The single-use key of a booking (the hidden key of a booking form, an API Idempotency-Key):
// a resubmission with it finds the appointment instead of booking again. Only hashes and the
// sealed management token are kept.
struct BookingKey {
    Id organisation_id = 0;
    std::string key_hash;      // hash of the key, scoped by organisation
    std::string request_hash;  // hash of the request it came with: same key, other request
    Id appointment_id = 0;
    std::string sealed_token;  // management token sealed with the secret key ("" without one)
    Instant created_at = 0;
};

struct AuditEntry {
    Id organisation_id = 0;
    std::string actor;   // "citizen", "agent:12", "system"
    std::string action;  // "appointment.book" ...
    std::string object_type;
    Id object_id = 0;
    std::string detail;  // JSON, never personal data
};

// One change of an organisation's configuration (site, motif, plan, team, settings...):
// the change journal administrators read. before/after are JSON objects (empty "{}" on
// create/delete), never citizen data.
struct ConfigChange {
    Id id = 0;
    Id organisation_id = 0;
    Instant at = 0;           // set by the store
    std::string actor;        // "account:12", "cli", "system"
    std::string object_type;  // "site", "motif", "plan", "absence", "team", "settings"...
    Id object_id = 0;
    std::string action;  // create | update | delete
    std::string before = "{}";
    std::string after = "{}";
};

// What the journal page filters by (empty / nullopt: any).
struct ChangeFilter {
    std::string object_type;
    std::string actor;
    std::optional<Instant> from;
    std::optional<Instant> to;
    int limit = 200;
};

// Staff accounts (issue 12). One account per person; what they may do comes from their
// memberships, one per organisation and role.
inline constexpr const char* kRoles[] = {"agent", "supervisor", "admin", "partner"};
bool is_role(std::string_view role);

struct Account {
    Id id = 0;
    std::string email;  // as given; unique case-insensitively
    std::string display_name;
    std::optional<std::string> password_hash;  // Argon2id string; none until one is set
    std::optional<std::string> totp_secret;    // sealed with the secret key; none: no TOTP
    std::int64_t totp_last_step = 0;           // last TOTP time step accepted (no replay)
    bool platform_admin = false;
    Instant created_at = 0;
    std::optional<Instant> disabled_at;
    std::optional<std::string> language;  // console language chosen (fr/en/nl/de); none: browser's
};

struct Membership {
    Id account_id = 0;
    Id organisation_id = 0;
    std::string role;  // agent | supervisor | admin | partner
    std::optional<Id> agent_id;
    std::optional<Id> partner_id;  // the partner structure of a partner role (migration 22)
    // Read with the membership, for listings.
    std::string organisation_slug;
    std::string organisation_name;
};

// A server-side staff session; the cookie carries the id, the database its hash.
struct StaffSession {
    std::string id_hash;
    Id account_id = 0;
    std::optional<Id> organisation_id;  // the organisation chosen to work in
    std::string stage = "full";         // totp | enrol | full
    Instant created_at = 0;
    Instant last_seen_at = 0;
    Instant expires_at = 0;  // absolute end
    std::optional<Instant> revoked_at;
};

// A single-use link's token (invitation, password reset), by hash.
struct AccountToken {
    std::string token_hash;
    Id account_id = 0;
    std::string purpose;  // invitation | reset
    std::optional<Id> organisation_id;
    Instant created_at = 0;
    Instant expires_at = 0;
};

// Failed sign-ins of one subject ("email:<hash>", "ip:<client>").
struct SignInThrottle {
    int failures = 0;
    Instant last_failure_at = 0;
    Instant blocked_until = 0;
};

// --- agenda (issue 12): calendar feeds and teams (migration 11) -------------------------

// The private calendar feed (iCal subscription) of an account in one organisation; the
// secret link's token is never stored, only its hash.
struct CalendarFeed {
    Id id = 0;
    Id account_id = 0;
    Id organisation_id = 0;
    std::string token_hash;
    Instant created_at = 0;
    std::optional<Instant> revoked_at;
};

// A team of agents and the accounts that supervise it.
struct Team {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::vector<Id> agent_ids;       // ascending
    std::vector<Id> supervisor_ids;  // accounts, ascending
};

// Appointment page (issue 12): history, private notes, outcome and its qualification.
struct AppointmentEvent {
    Id id = 0;
    Instant at = 0;
    std::string kind;
    std::string actor;
    std::string detail;  // JSON
};

struct AppointmentNote {
    Id id = 0;
    Id appointment_id = 0;
    Id organisation_id = 0;
    Instant at = 0;      // set by the store
    std::string author;  // "account:12"
    std::string author_name;
    std::string body;
};

// One item of an organisation's outcome qualification. group: category (of request types),
// request_type (category: its category's code), theme, autonomy.
struct OutcomeItem {
    Id id = 0;
    Id organisation_id = 0;
    std::string group;
    std::string category;
    std::string code;
    LocalText label;
    int position = 0;
    std::optional<Instant> retired_at;
};

struct AppointmentOutcome {
    Id appointment_id = 0;
    Id organisation_id = 0;
    std::string resolved;  // yes | no | partially
    std::string request_type;
    std::string theme;
    std::string autonomy;
    std::string recorded_by;
    Instant recorded_at = 0;  // set by the store
};

// Availability and supervision (issue 12): an agent's one-off or recurring absence as
// listed and deleted from the console, and a site closed for a day.
struct AbsenceRow {
    Id id = 0;
    core::Absence absence;
    std::string reason;
};
struct RecurringAbsenceRow {
    Id id = 0;
    core::RecurringAbsence absence;
    std::string reason;
};
struct SiteClosure {
    Id id = 0;
    Id organisation_id = 0;
    Id site_id = 0;
    core::LocalDay day = 0;  // the site's local day
    std::string reason;
    std::string created_by;
    Instant created_at = 0;
    // A closed day of the administration (closed_days, admin-rest): no slot of any channel
    // that day; site_id 0 then means every site of the organisation.
    bool every_channel = false;
};

// --- admin-rest -------------------------------------------------------------------------
// A closed day (or range of days) of the organisation, of one site or of all (site_id
// nullopt), in each site's local days.
struct ClosedDay {
    Id id = 0;
    Id organisation_id = 0;
    std::optional<Id> site_id;
    core::LocalDay first_day = 0;
    core::LocalDay last_day = 0;
    std::string label;
    std::string created_by;
    Instant created_at = 0;
};

// The subject and introduction of a citizen message kind in one language, written by the
// organisation's administrator (message_texts); an empty one: the catalogue's text.
struct MessageText {
    Id organisation_id = 0;
    std::string kind;
    std::string language;
    std::string subject;
    std::string intro;
};

// The video room (issue 13, migration 15; docs/VIDEO.md).
struct RoomEvent {
    Id id = 0;
    Id appointment_id = 0;
    Id organisation_id = 0;
    Instant at = 0;           // set by the store
    std::string role;         // citizen | agent | guest | server
    std::string participant;  // public participant id ("" for the server)
    std::string kind;         // joined, left, admitted, chat, event names...
    std::string detail;       // JSON ("" = none)
};
struct RoomInvitation {
    Id id = 0;
    Id appointment_id = 0;
    Id organisation_id = 0;
    std::string token_hash;
    std::string created_by;
    Instant created_at = 0;
    std::optional<Instant> revoked_at;
    std::optional<Instant> used_at;
};
struct RoomParticipant {
    Id id = 0;
    Id appointment_id = 0;
    std::string participant;  // public id, sent to the other participants
    std::string role;         // citizen | agent | guest
    std::string resume_hash;  // hash of the resume secret given in welcome
    std::optional<Id> invitation_id;
    std::optional<Id> account_id;
    std::optional<Instant> admitted_at;
    Instant created_at = 0;
};

// --- partner-admin: partner structures, their sites, conventions, label (issue 15,
// migration 22; docs/PARTNERS.md). Days are core::LocalDay (days since 1970-01-01).
struct Partner {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string town;
    std::string responsible_name;
    std::string responsible_email;  // the partner's side of the notice reminder
    Instant created_at = 0;
    std::optional<Instant> archived_at;
};
// A place of a partner that welcomes the public (art. 8).
struct PartnerSite {
    Id id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string address;
    std::string postcode;
    std::string town;
    std::string timezone = "Europe/Paris";
    std::string accessibility;  // for people with disabilities, free text
    bool step_free = false;
    std::string equipment;  // offered to the public, free text
    bool video_desk = false;
    Instant created_at = 0;
    std::optional<Instant> archived_at;
};
// The convention (art. 11): from signed_on for term_months, renewed tacitly; ended_on and
// end_reason ("withdrawn" | "notice") once it ends.
struct Convention {
    Id id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    core::LocalDay signed_on = 0;
    int term_months = 12;
    std::string reporting_period = "month";  // month | quarter (art. 9)
    bool option_video_desk = false;
    bool option_visio = false;
    std::string responsible_name;
    std::string responsible_email;
    std::string director_name;
    std::optional<core::LocalDay> committee_on;
    std::optional<core::LocalDay> visit_on;
    std::string visit_findings;
    std::optional<core::LocalDay> ended_on;
    std::string end_reason;  // "" while it holds
    std::string created_by;
    Instant created_at = 0;
};
// An item of the annual visit's action plan.
struct ConventionAction {
    Id id = 0;
    Id convention_id = 0;
    Id organisation_id = 0;
    std::string item;
    std::string owner;
    std::optional<core::LocalDay> due_on;
    std::optional<Instant> done_at;
    Instant created_at = 0;
};
// The label's history (art. 6): granted with a convention, withdrawn with a reason.
struct LabelEvent {
    Id id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    std::optional<Id> convention_id;
    std::string kind;  // granted | withdrawn
    std::string reason;
    std::string actor;
    Instant at = 0;  // set by the store
};
// An account holding the partner role of a partner.
struct PartnerStaff {
    Account account;
    Id partner_id = 0;
};
// partner-screens: a visit logged at a partner's site (Annexe 2; no name, number or document).
struct PartnerVisit {
    Id id = 0;
    Id partner_site_id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    std::optional<Id> account_id;  // who logged it
    core::LocalDay day = 0;        // in the site's zone
    core::Visit visit;
    Instant created_at = 0;  // set by the store
};
// A period's report submitted by a partner.
struct PartnerReport {
    Id id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    std::string period;  // "2026-11", "2026-Q4"
    std::optional<Id> submitted_by;
    Instant submitted_at = 0;  // set by the store
    bool late = false;
    std::string comment;
};
// partner-hours: a weekly opening interval of a site (a row of partner_hours; weekday 0 =
// Monday, minutes after midnight, [opens, closes)).
using PartnerHoursSpan = core::OpeningSpan;
// partner-caf: notice given on a convention (art. 11) by the CAF or the partner.
struct ConventionNotice {
    Id convention_id = 0;
    Id organisation_id = 0;
    core::LocalDay given_on = 0;
    std::string given_by;  // caf | partner
    std::string actor;
    core::LocalDay ends_on = 0;  // the convention's last day
    Instant created_at = 0;      // set by the store
};
// partner-caf: a training attended by a partner's staff member, or the partner's yearly
// update day (kind "update"; art. 3 and 4).
struct PartnerTraining {
    Id id = 0;
    Id partner_id = 0;
    Id organisation_id = 0;
    std::string person;
    std::optional<Id> account_id;
    std::string title;
    std::string kind = "training";  // training | update
    core::LocalDay attended_on = 0;
    Instant created_at = 0;  // set by the store
};
// partner-hours: an exceptional closure of a site, from_day to to_day both included.
struct PartnerClosure {
    Id id = 0;
    Id partner_site_id = 0;
    Id organisation_id = 0;
    core::LocalDay from_day = 0;
    core::LocalDay to_day = 0;
    std::string reason;
    Instant created_at = 0;  // set by the store
};

}  // namespace vg::store

// The organisation's administration (issue 12): settings, sites, motifs, terms versions,
// members and their roles, retention of personal data, logo. Every write checks the whole
// form first (nothing written when a field is refused), runs in one transaction with its
// entry in the change journal (before/after as JSON, never citizen data), then calls
// BookingService::configuration_changed() so that citizens' pages follow at once.
// The pages (web/console_admin.cpp) and the CLI (retention run) call this.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/booking_service.hpp"
#include "app/periodic_job.hpp"
#include "core/citizen.hpp"
#include "notify/composer.hpp"

namespace vg::app {

// A form's values by name (the last one of a repeated name).
using Fields = std::map<std::string, std::string>;

// How long after an appointment's start an absent citizen may be recorded as a no-show, in
// seconds: the organisation's setting (minutes; seed 003: 10 by default).
core::Instant no_show_delay(const store::Organisation& o);

// The outcome of a write: field -> message key ("admin.error_*") when refused (nothing
// written), not_found when the object is not the organisation's.
struct AdminResult {
    core::FieldErrors errors;
    bool not_found = false;
    Id id = 0;  // the object written (created or updated)
    // admin-rest: the live appointments that refused a closed day (nothing written).
    std::vector<store::Appointment> hit;
    bool ok() const { return errors.empty() && !not_found; }
};

// The limits the forms announce.
inline constexpr int kMaxNoShowDelay = 240;  // minutes
inline constexpr int kMinRetentionDays = 30;
inline constexpr int kMaxRetentionDays = 3650;
// The video room's settings (docs/VIDEO.md): minutes the waiting room opens before the
// start, minutes the room stays open after the end, days the call's documents are kept.
inline constexpr int kMaxRoomOpensMinutes = 120;
inline constexpr int kMaxRoomMarginMinutes = 240;
inline constexpr int kMinDocumentRetentionDays = 1;
inline constexpr int kMaxDocumentRetentionDays = 365;
inline constexpr std::size_t kMaxLogoBytes = 512 * 1024;
inline constexpr int kMaxClosedDays = 366;  // one closed range

class Administration {
  public:
    Administration(BookingService& booking, AccountService* accounts)
        : booking_(booking), accounts_(accounts) {}

    // Settings: name, languages (lang_fr... = "1"), time_zone, sender_email, reply_to,
    // mediation_contact, brand_colour (contrast with white >= 4.5), no_show_delay (minutes),
    // retention_days.
    AdminResult update_settings(Id org, const Fields& f, const std::string& actor);

    // Sites: name, address, postal_code, city, time_zone, access_notes_<lang>, is_partner.
    // id nullopt: a new site.
    AdminResult save_site(Id org, std::optional<Id> id, const Fields& f, const std::string& actor);

    // Motifs: code, name_<lang> (French required), theme_<lang>, documents_<lang>,
    // duration, buffer, lead (minutes), horizon (days), channel_video / channel_on_site /
    // channel_phone, is_public, asks_beneficiary_number, reminders ("2880, 120": minutes
    // before), position.
    AdminResult save_motif(Id org, std::optional<Id> id, const Fields& f, const std::string& actor);

    // A new version of the terms (text_<lang>, French required; conduct_<lang>): the
    // next number; appointments keep the version they accepted.
    AdminResult publish_terms(Id org, const Fields& f, const std::string& actor);

    // Members. invite: email, name, role; creates the account if needed, gives it the role
    // and e-mails an invitation link (through the outbox) when it has no password yet.
    AdminResult invite(Id org, const Fields& f, const std::string& actor, const std::string& lang);
    // The account's roles in this organisation become exactly `roles` (at least one); an
    // administrator cannot take away their own admin role.
    AdminResult set_roles(Id org, Id account, const std::vector<std::string>& roles,
                          const std::string& actor, Id acting_account);
    // Disables (or enables) an account of this organisation; never one's own.
    AdminResult set_disabled(Id org, Id account, bool disabled, const std::string& actor,
                             Id acting_account);

    // Retention: erases the personal data of every organisation's appointments that ended
    // more than its retention period before now; each organisation's count goes to the
    // audit journal (action "retention.erase"). Returns the total.
    int run_retention(const std::string& actor = "system");

    // The logo (PNG or JPEG by its content, at most kMaxLogoBytes); empty data removes it.
    AdminResult set_logo(Id org, const std::string& data, const std::string& actor);

    // --- admin-rest (src/app/admin_rest.cpp) -------------------------------------------
    // A closed day of the organisation: first and last (YYYY-MM-DD; last empty: first; at
    // most kMaxClosedDays days), label, site ("" : every site; another organisation's site:
    // not_found). No slot of any channel is offered there (the engine's holidays). Live
    // appointments in it refuse it: errors["first"] and `hit` lists them, nothing written.
    AdminResult add_closed_day(Id org, const Fields& f, const std::string& actor);
    AdminResult delete_closed_day(Id org, Id id, const std::string& actor);
    // The subject and introduction of a citizen message kind (notify::customisable_kinds();
    // another kind: not_found) in each language: subject_<lang>, intro_<lang>, empty for the
    // catalogue's text. Only core::known_placeholders() may appear ("admin.error_placeholder").
    AdminResult save_message_texts(Id org, const std::string& kind, const Fields& f,
                                   const std::string& actor);
    // A sample appointment of the organisation for the preview of a message kind in `lang`:
    // its first public motif, first site, a citizen "Camille Exemple", two days ahead at
    // 10:00; the message row (kind, payload) to compose it with. Nothing is written.
    std::optional<std::pair<store::OutboxRow, notify::MessageData>> sample_message(
        Id org, const std::string& kind, const std::string& lang);

    // --- Platform administration (admin-rest) ------------------------------------------
    // Grants or revokes the platform administrator flag of the account of this e-mail
    // (created without password when new; audit "account.platform_admin"). False: not an
    // e-mail address.
    bool set_platform_admin(const std::string& email, bool on, const std::string& actor);
    // A new organisation with the rules of `visioguichet org create` (slug, name) and its
    // first administrator (admin_email), invited by e-mail with the single-use link when the
    // account has no password yet. Refusals: slug ("admin.error_slug", "_slug_taken"),
    // name, admin_email; nothing written then.
    AdminResult create_organisation(const Fields& f, const std::string& actor,
                                    const std::string& lang);

    // What the journal shows of each object.
    static nlohmann::json settings_json(const store::Organisation& o);
    static nlohmann::json site_json(const store::Site& x);
    static nlohmann::json motif_json(const store::Motif& m);

  private:
    // True when the site or motif (kind) `id` is the organisation's: checked before the
    // form, so that another organisation's id is answered like a missing one.
    bool of_organisation(Id org, const std::string& kind, Id id);
    BookingService& booking_;
    AccountService* accounts_;
};

// The server's daily retention run: once at start, then every `period` until stop().
class RetentionJob : public PeriodicJob {
  public:
    // `also`: something else to run at each turn, after the personal data (the room's
    // documents past their period, app::RoomDocuments::delete_due).
    explicit RetentionJob(Administration& admin, std::function<void()> also = {},
                          std::chrono::seconds period = std::chrono::hours(24));
};

// "image/png" or "image/jpeg" from the first bytes, "" for anything else.
std::string image_type(const std::string& data);

}  // namespace vg::app

// Turns an outbox row into the text the citizen or the agent receives, in their language
// and the site's time zone. Templates: templates/messages/<name>.mustache, overridable per
// organisation by templates/messages/<org-slug>/<name>.mustache.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "notify/ics.hpp"
#include "notify/mime.hpp"
#include "store/model.hpp"

namespace vg::text {
class I18n;
class Templates;
}  // namespace vg::text

namespace vg::notify {

// One appointment of a "links" message (send me my link again), with its new link.
struct LinkedAppointment {
    store::Appointment appointment;
    store::Motif motif;
    store::Site site;
    std::string token;  // the new management token
};

// Everything a message may mention, loaded in one read.
struct MessageData {
    store::Organisation org;
    store::Appointment appointment;
    store::Motif motif;
    store::Site site;
    std::optional<store::Agent> agent;
    std::string token;  // opened management token ("" when unknown)
    // A "links" message: the appointments still live, soonest first (appointment is the
    // first of them: the recipient's contact).
    std::vector<LinkedAppointment> links;
    // The organisation's own subjects and introductions (administration); the one of the
    // message's kind and language replaces the catalogue's text.
    std::vector<store::MessageText> texts;
};

// The citizen message kinds whose subject and introduction an organisation may write.
const std::vector<std::string>& customisable_kinds();

// What makes Message-IDs and calendar UIDs unique to this installation: two installations
// (or a database created again) number their appointments and messages alike.
struct Identity {
    std::string installation_id;     // random, created by `migrate` (store: installation table)
    std::string host = "localhost";  // the public host (from --public-url)

    // "appointment-<id>.<installation>@<host>": stable across reschedules.
    std::string calendar_uid(core::Id appointment_id) const;
    // "<BLAKE2b-128 of the idempotency key>.<installation>@<host>": a message sent again
    // (crash after the server's OK) is recognisably the same message.
    std::string message_id(const std::string& idempotency_key) const;
};

// The host of a public URL ("https://rdv.example.org:8443/x" -> "rdv.example.org"; an IPv6
// literal keeps its brackets); "localhost" when there is none.
std::string host_of(const std::string& url);

class Composer {
  public:
    Composer(const text::I18n& i18n, const text::Templates& templates, std::string public_url,
             Identity identity = {});
    const Identity& identity() const { return identity_; }

    // Citizen e-mail (with .ics for confirmation/reschedule/cancellation/reminder). A
    // "links" message lists its appointments with their links (templates links.*); its SMS
    // keeps the soonest ones that fit in kMaxSmsSegments.
    Mail citizen_email(const store::OutboxRow& row, const MessageData& d) const;
    std::string citizen_sms(const store::OutboxRow& row, const MessageData& d) const;
    // One e-mail for one or several agent notices (a digest groups them).
    Mail agent_email(const std::vector<std::pair<store::OutboxRow, MessageData>>& items) const;

    // A staff account's single-use link (kind account_invitation or account_reset) to
    // /account/password/<token>; org may be null (an account without organisation).
    Mail account_email(const store::OutboxRow& row, const store::Account& account,
                       const store::Organisation* org, const std::string& token,
                       const std::string& lang) const;

    // Room rules (issue 13): a supervisor is told that the citizen of an appointment is
    // waiting for an advisor who has not come (kind staff_agent_late), with the link to the
    // appointment's page in the console. The account e-mails' layout (account.*).
    Mail staff_alert_email(const store::Account& account, const MessageData& d,
                           const std::string& lang) const;
    // The monthly digest of the statistics (kind stats_digest) to an administrator: the
    // payload's figures (app::StatsDigest wrote them in payload.lang) and the page's link.
    Mail digest_email(const store::Account& account, const store::Organisation& org,
                      const nlohmann::json& payload) const;
    // partner-admin: a convention's notice reminder (kind partner_notice) to an administrator
    // or the partner's responsible person; app::ConventionReminders wrote its texts, address
    // and link in the payload. The account e-mails' layout. The overdue report's e-mail (kind
    // partner_overdue, app::ReportOverdue) is laid out the same.
    Mail partner_notice_email(const store::Organisation& org, const nlohmann::json& payload) const;

  private:
    Mail links_email(const MessageData& d) const;
    std::string links_sms(const MessageData& d) const;
    std::string render(const std::string& org_slug, const std::string& name,
                       const void* context) const;

    const text::I18n& i18n_;
    const text::Templates& templates_;
    std::string public_url_;
    Identity identity_;
};

// The appointment as a calendar event, the same for the .ics download and the e-mail
// attachment; site may be null (the organisation's default zone is used).
CalendarEvent appointment_event(const text::I18n& i18n, const std::string& lang,
                                const store::Organisation& org, const store::Appointment& a,
                                const store::Motif& motif, const store::Site* site,
                                const std::string& url, const Identity& identity);

}  // namespace vg::notify

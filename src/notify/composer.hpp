// Turns an outbox row into the text the citizen or the agent receives, in their language
// and the site's time zone. Templates: templates/messages/<name>.mustache, overridable per
// organisation by templates/messages/<org-slug>/<name>.mustache.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "notify/ics.hpp"
#include "notify/mime.hpp"
#include "store/model.hpp"

namespace vg::web {
class I18n;
class Templates;
}  // namespace vg::web

namespace vg::notify {

// Everything a message may mention, loaded in one read.
struct MessageData {
    store::Organisation org;
    store::Appointment appointment;
    store::Motif motif;
    store::Site site;
    std::optional<store::Agent> agent;
    std::string token;  // opened management token ("" when unknown)
};

class Composer {
  public:
    Composer(const web::I18n& i18n, const web::Templates& templates, std::string public_url);

    // Citizen e-mail (with .ics for confirmation/reschedule/cancellation/reminder).
    Mail citizen_email(const store::OutboxRow& row, const MessageData& d) const;
    std::string citizen_sms(const store::OutboxRow& row, const MessageData& d) const;
    // One e-mail for one or several agent notices (a digest groups them).
    Mail agent_email(const std::vector<std::pair<store::OutboxRow, MessageData>>& items) const;

  private:
    std::string render(const std::string& org_slug, const std::string& name,
                       const void* context) const;

    const web::I18n& i18n_;
    const web::Templates& templates_;
    std::string public_url_;
};

// The appointment as a calendar event, the same for the .ics download and the e-mail
// attachment; site may be null (the organisation's default zone is used).
CalendarEvent appointment_event(const web::I18n& i18n, const std::string& lang,
                                const store::Organisation& org, const store::Appointment& a,
                                const store::Motif& motif, const store::Site* site,
                                const std::string& url);

// Stable Message-ID from the idempotency key: a resent message is recognisably the same.
std::string message_id_for(const std::string& idempotency_key, const std::string& domain);

}  // namespace vg::notify

#include "notify/composer.hpp"

#include <date/tz.h>
#include <sodium.h>

#include <cctype>
#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/phone.hpp"
#include "core/placeholders.hpp"
#include "core/timefmt.hpp"
#include "notify/ics.hpp"
#include "notify/sms.hpp"
#include "store/secrets.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

namespace vg::notify {

using nlohmann::json;

namespace {

std::string replace_name(std::string text, const std::string& name) {
    auto pos = text.find("{name}");
    if (pos != std::string::npos) text.replace(pos, 6, name);
    return text;
}

// The text of a message kind ("subject", "intro", "intro_short"): messages.<what>.<kind>,
// or, for the kinds a part of the console adds (site closure), <part>.messages.<what>.<kind>
// in that part's catalogue (locales/<lang>/<part>.json).
std::string kind_text(const text::I18n& i18n, const std::string& lang, const std::string& what,
                      const std::string& kind) {
    auto key = "messages." + what + "." + kind;
    auto text = i18n.t(lang, key);
    if (text == key) text = i18n.t(lang, "supervision." + key);
    return text;
}

std::string lang_of(const MessageData& d) {
    auto l = d.appointment.citizen.language;
    return l.empty() ? std::string("fr") : l;
}

// "25/11 09:30" in the zone: SMS.
std::string short_when(core::Instant t, const date::time_zone* zone) {
    auto p = core::local_parts(t, zone);
    char out[32];
    std::snprintf(out, sizeof out, "%02d/%02d %02d:%02d", p.day, p.month, p.hour, p.minute);
    return out;
}

// The organisation's text of this kind and language, or null.
const store::MessageText* custom_text(const MessageData& d, const std::string& kind,
                                      const std::string& lang) {
    for (auto& t : d.texts)
        if (t.kind == kind && t.language == lang) return &t;
    return nullptr;
}

// The values of core::known_placeholders() for this appointment, in its language and zone.
std::map<std::string, std::string> placeholder_values(const text::I18n& i18n,
                                                      const std::string& lang,
                                                      const MessageData& d) {
    auto parts =
        core::local_parts(d.appointment.starts_at, core::zone_or_default(d.site.time_zone));
    return {{"motif", d.motif.name.pick(lang)},
            {"date", i18n.format_date(lang, parts)},
            {"time", i18n.format_time(lang, parts)},
            {"site", d.site.name},
            {"organisation", d.org.name}};
}

}  // namespace

const std::vector<std::string>& customisable_kinds() {
    static const std::vector<std::string> kinds{"confirmation", "reminder",       "reschedule",
                                                "cancellation", "moved_to_phone", "channel_changed",
                                                "no_show",      "thank_you"};
    return kinds;
}

CalendarEvent appointment_event(const text::I18n& i18n, const std::string& lang,
                                const store::Organisation& org, const store::Appointment& a,
                                const store::Motif& motif, const store::Site* site,
                                const std::string& url, const Identity& identity) {
    CalendarEvent e;
    e.uid = identity.calendar_uid(a.id);
    e.sequence = a.sequence;
    e.cancelled = a.status == store::AppointmentStatus::cancelled;
    e.start = a.starts_at;
    e.end = a.ends_at;
    e.time_zone = site ? site->time_zone : org.default_time_zone;
    e.summary = org.name + " – " + motif.name.pick(lang);
    if (site && (a.channel == core::Channel::on_site || site->is_partner))
        e.location =
            site->name + ", " + site->address + ", " + site->postal_code + " " + site->city;
    else
        e.location = i18n.t(lang, "channel." + std::string(core::to_string(a.channel)));
    e.url = url;
    e.organizer_email = org.sender_email;
    return e;
}

namespace {
std::string installation_part(const Identity& id) {
    return id.installation_id.empty() ? std::string() : "." + id.installation_id;
}
}  // namespace

std::string Identity::calendar_uid(core::Id appointment_id) const {
    return "appointment-" + std::to_string(appointment_id) + installation_part(*this) + "@" + host;
}

std::string Identity::message_id(const std::string& key) const {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                       nullptr, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return std::string(hex) + installation_part(*this) + "@" + host;
}

std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/?#", start);
    auto authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    std::string host;
    if (!authority.empty() && authority.front() == '[')
        host = authority.substr(0, authority.find(']') + 1);
    else
        host = authority.substr(0, authority.find(':'));
    for (auto& c : host) c = char(std::tolower(static_cast<unsigned char>(c)));
    return host.empty() ? std::string("localhost") : host;
}

Composer::Composer(const text::I18n& i18n, const text::Templates& templates, std::string public_url,
                   Identity identity)
    : i18n_(i18n),
      templates_(templates),
      public_url_(std::move(public_url)),
      identity_(std::move(identity)) {}

std::string Composer::render(const std::string& org_slug, const std::string& name,
                             const void* context) const {
    auto& ctx = *static_cast<const mstch::map*>(context);
    auto custom = "messages/" + org_slug + "/" + name;
    return templates_.render(templates_.has(custom) ? custom : "messages/" + name, ctx);
}

namespace {

// Values shared by the citizen e-mail and SMS.
mstch::map citizen_context(const text::I18n& i18n, const store::OutboxRow& row,
                           const MessageData& d, const std::string& public_url) {
    auto lang = lang_of(d);
    auto& a = d.appointment;
    auto zone = core::zone_or_default(d.site.time_zone);
    auto payload = json::parse(row.payload, nullptr, false);
    mstch::map c{{"t", i18n.node(lang)}, {"lang", lang}};
    auto kind = row.kind;
    c["is_" + kind] = true;
    c["org_name"] = d.org.name;
    c["greeting"] = replace_name(i18n.t(lang, "messages.greeting"),
                                 a.citizen.first_name + " " + a.citizen.last_name);
    c["intro"] = kind_text(i18n, lang, "intro", kind);
    c["intro_short"] = kind_text(i18n, lang, "intro_short", kind);
    // The organisation's own introduction: the e-mail's, and the whole sentence of the SMS
    // (escaped like any value in the HTML part).
    if (auto custom = custom_text(d, kind, lang); custom && !custom->intro.empty()) {
        auto intro = core::fill_placeholders(custom->intro, placeholder_values(i18n, lang, d));
        c["intro"] = intro;
        c["sms_text"] = intro;
    }
    c["motif"] = d.motif.name.pick(lang);
    c["when"] = i18n.format_datetime(lang, a.starts_at, zone);
    c["when_short"] = short_when(a.starts_at, zone);
    c["duration"] = std::to_string((a.ends_at - a.starts_at) / 60);
    if (auto zone = i18n.zone_label(lang, d.site.time_zone);
        text::I18n::remote(a.channel, d.site.is_partner) && !zone.empty())
        c["time_zone"] = zone;  // "Paris time", never an IANA name
    c["channel"] = i18n.t(lang, "channel." + std::string(core::to_string(a.channel)));
    c["is_video"] = a.channel == core::Channel::video;
    c["is_home_video"] = a.channel == core::Channel::video && !d.site.is_partner;
    c["camera_required"] = d.org.camera_required;  // seed 003: identity checked camera on
    if (a.channel == core::Channel::video && d.site.is_partner)  // where to go, what is there
        c["partner_how"] = text::I18n::fill(
            i18n.t(lang, "manage.partner_info"), "{place}",
            d.site.name + ", " + d.site.address + ", " + d.site.postal_code + " " + d.site.city);
    c["is_phone"] = a.channel == core::Channel::phone;
    c["phone"] = a.citizen.phone;
    bool live = a.status == store::AppointmentStatus::booked ||
                a.status == store::AppointmentStatus::confirmed;
    c["live"] = live && kind != "cancellation";
    if (a.channel == core::Channel::on_site || d.site.is_partner) {
        c["site_name"] = d.site.name;
        c["site_address"] = d.site.address + ", " + d.site.postal_code + " " + d.site.city;
        c["site_notes"] = d.site.access_notes.pick(lang);
    }
    mstch::array docs;
    std::stringstream ss(d.motif.documents.pick(lang));
    std::string line;
    while (std::getline(ss, line))
        if (!line.empty()) docs.push_back(line);
    c["has_documents"] = !docs.empty();
    c["documents"] = docs;
    if (payload.is_object() && payload.contains("previous_start"))
        c["previous_when"] =
            i18n.format_datetime(lang, payload["previous_start"].get<core::Instant>(), zone);
    if (!a.cancel_reason.empty() && kind == "cancellation") c["cancel_reason"] = a.cancel_reason;
    if (!d.token.empty()) {
        auto manage = public_url + "/manage/" + d.token;
        c["manage_url"] = manage + "?lang=" + lang;
        c["presence_url"] = manage + "/presence?lang=" + lang;
        c["cancel_url"] = manage + "?lang=" + lang + "#cancel";
        c["survey_url"] = manage + "/survey?lang=" + lang;
        // The video room: its token derives from the management token (docs/VIDEO.md).
        if (a.channel == core::Channel::video)
            c["room_url"] =
                public_url + "/room/" + store::room_token_for(d.token) + "?lang=" + lang;
    }
    c["device_test_url"] = public_url + "/" + d.org.slug + "/device-test?lang=" + lang;
    c["book_again_url"] = public_url + "/" + d.org.slug + "/?lang=" + lang;
    return c;
}

}  // namespace

namespace {

// A "links" message: its appointments (the first `count`), each with its new link.
mstch::map links_context(const text::I18n& i18n, const MessageData& d,
                         const std::string& public_url, std::size_t count) {
    auto lang = lang_of(d);
    auto& citizen = d.appointment.citizen;
    mstch::map c{{"t", i18n.node(lang)}, {"lang", lang}, {"org_name", d.org.name}};
    c["greeting"] = replace_name(i18n.t(lang, "messages.greeting"),
                                 citizen.first_name + " " + citizen.last_name);
    c["intro"] = i18n.t(lang, "messages.intro.links");
    c["intro_short"] = i18n.t(lang, "messages.intro_short.links");
    mstch::array items;
    for (std::size_t i = 0; i < d.links.size() && i < count; ++i) {
        auto& l = d.links[i];
        auto& a = l.appointment;
        auto zone = core::zone_or_default(l.site.time_zone);
        mstch::map item{
            {"motif", l.motif.name.pick(lang)},
            {"when", i18n.format_datetime(lang, a.starts_at, zone)},
            {"when_short", short_when(a.starts_at, zone)},
            {"channel", i18n.t(lang, "channel." + std::string(core::to_string(a.channel)))},
            {"manage_url", public_url + "/manage/" + l.token + "?lang=" + lang}};
        if (auto label = i18n.zone_label(lang, l.site.time_zone);
            text::I18n::remote(a.channel, l.site.is_partner) && !label.empty())
            item["time_zone"] = label;
        if (a.channel == core::Channel::on_site || l.site.is_partner) {
            item["site_name"] = l.site.name;
            item["site_address"] = l.site.address + ", " + l.site.postal_code + " " + l.site.city;
        }
        items.push_back(item);
    }
    c["appointments"] = items;
    c["more"] = d.links.size() > count;
    return c;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

Mail Composer::links_email(const MessageData& d) const {
    auto lang = lang_of(d);
    auto c = links_context(i18n_, d, public_url_, d.links.size());
    Mail m;
    m.from_name = d.org.name;
    m.from_address = d.org.sender_email;
    m.reply_to = d.org.reply_to;
    m.to_name = d.appointment.citizen.first_name + " " + d.appointment.citizen.last_name;
    m.to_address = d.appointment.citizen.email;
    m.subject = i18n_.t(lang, "messages.subject.links");
    c["subject"] = m.subject;
    m.text = render(d.org.slug, "links.txt", &c);
    m.html = render(d.org.slug, "links.html", &c);
    return m;
}

std::string Composer::links_sms(const MessageData& d) const {
    // The soonest appointments whose links fit in one text (at least one).
    for (auto count = d.links.size(); count > 1; --count) {
        auto c = links_context(i18n_, d, public_url_, count);
        auto text = trimmed(render(d.org.slug, "links.sms", &c));
        if (core::sms_length(text).segments <= kMaxSmsSegments) return text;
    }
    auto c = links_context(i18n_, d, public_url_, 1);
    return trimmed(render(d.org.slug, "links.sms", &c));
}

Mail Composer::citizen_email(const store::OutboxRow& row, const MessageData& d) const {
    if (row.kind == "links") return links_email(d);
    auto lang = lang_of(d);
    auto c = citizen_context(i18n_, row, d, public_url_);
    auto& a = d.appointment;
    Mail m;
    m.from_name = d.org.name;
    m.from_address = d.org.sender_email;
    m.reply_to = d.org.reply_to;
    m.to_name = a.citizen.first_name + " " + a.citizen.last_name;
    m.to_address = a.citizen.email;
    if (auto custom = custom_text(d, row.kind, lang); custom && !custom->subject.empty())
        m.subject = core::fill_placeholders(custom->subject, placeholder_values(i18n_, lang, d));
    else
        m.subject =
            kind_text(i18n_, lang, "subject", row.kind) + " – " +
            i18n_.format_datetime(lang, a.starts_at, core::zone_or_default(d.site.time_zone));
    c["subject"] = m.subject;
    m.text = render(d.org.slug, "citizen.txt", &c);
    m.html = render(d.org.slug, "citizen.html", &c);
    if (row.kind != "thank_you" && row.kind != "no_show") {
        auto e =
            appointment_event(i18n_, lang, d.org, a, d.motif, &d.site,
                              d.token.empty() ? "" : public_url_ + "/manage/" + d.token, identity_);
        e.cancelled = row.kind == "cancellation";
        e.description = m.text;
        m.attachments.push_back({"rendez-vous.ics",
                                 std::string("text/calendar; charset=utf-8; method=") +
                                     (e.cancelled ? "CANCEL" : "PUBLISH"),
                                 make_ics(e)});
    }
    return m;
}

std::string Composer::citizen_sms(const store::OutboxRow& row, const MessageData& d) const {
    if (row.kind == "links") return links_sms(d);
    auto c = citizen_context(i18n_, row, d, public_url_);
    return trimmed(render(d.org.slug, "citizen.sms", &c));
}

Mail Composer::agent_email(
    const std::vector<std::pair<store::OutboxRow, MessageData>>& items) const {
    auto& first = items.front().second;
    const std::string lang = "fr";  // agents' language setting comes with their accounts
    mstch::array list;
    for (auto& [row, d] : items) {
        auto payload = json::parse(row.payload, nullptr, false);
        auto starts = payload.is_object() && payload.contains("starts_at")
                          ? payload["starts_at"].get<core::Instant>()
                          : d.appointment.starts_at;
        mstch::map item{
            {"label",
             i18n_.t(lang, row.kind == "agent_booked" ? "messages.booked" : "messages.removed")},
            {"when", i18n_.format_datetime(lang, starts, core::zone_or_default(d.site.time_zone))},
            {"motif", d.motif.name.pick(lang)},
            {"channel",
             i18n_.t(lang, "channel." + std::string(core::to_string(d.appointment.channel)))},
            {"citizen_name",
             d.appointment.citizen.first_name + " " + d.appointment.citizen.last_name}};
        if (d.appointment.channel == core::Channel::on_site || d.site.is_partner)
            item["site_name"] = d.site.name;
        list.push_back(item);
    }
    Mail m;
    auto subject_kind = items.size() > 1 ? std::string("agent_digest") : items.front().first.kind;
    m.subject = i18n_.t(lang, "messages.subject." + subject_kind);
    mstch::map c{{"t", i18n_.node(lang)},
                 {"lang", lang},
                 {"org_name", first.org.name},
                 {"subject", m.subject},
                 {"greeting_agent", replace_name(i18n_.t(lang, "messages.greeting_agent"),
                                                 first.agent ? first.agent->display_name : "")},
                 {"items", list}};
    m.from_name = first.org.name;
    m.from_address = first.org.sender_email;
    m.to_name = first.agent ? first.agent->display_name : "";
    m.to_address = first.agent ? first.agent->email : "";
    m.text = render(first.org.slug, "agent.txt", &c);
    m.html = render(first.org.slug, "agent.html", &c);
    return m;
}

Mail Composer::account_email(const store::OutboxRow& row, const store::Account& account,
                             const store::Organisation* org, const std::string& token,
                             const std::string& lang) const {
    Mail m;
    m.subject = i18n_.t(lang, "messages.subject." + row.kind);
    std::string org_name = org ? org->name : "Visioguichet";
    mstch::map c{{"t", i18n_.node(lang)},
                 {"lang", lang},
                 {"org_name", org_name},
                 {"subject", m.subject},
                 {"greeting",
                  replace_name(i18n_.t(lang, "messages.greeting_account"), account.display_name)},
                 {"expiry", i18n_.t(lang, "messages.link_expiry")},
                 {"intro", i18n_.t(lang, "messages.intro." + row.kind)},
                 {"link", public_url_ + "/account/password/" + token}};
    m.from_name = org_name;
    // An organisation created from the command line may have no sender yet.
    m.from_address =
        org && !org->sender_email.empty() ? org->sender_email : "no-reply@" + identity_.host;
    if (org) m.reply_to = org->reply_to;
    m.to_name = account.display_name;
    m.to_address = account.email;
    m.text = render(org ? org->slug : "", "account.txt", &c);
    m.html = render(org ? org->slug : "", "account.html", &c);
    return m;
}

Mail Composer::staff_alert_email(const store::Account& account, const MessageData& d,
                                 const std::string& lang) const {
    auto& a = d.appointment;
    Mail m;
    m.subject = i18n_.t(lang, "room_rules.mail_subject");
    auto intro = text::I18n::fill(
        i18n_.t(lang, "room_rules.mail_intro"), "{when}",
        i18n_.format_datetime(lang, a.starts_at, core::zone_or_default(d.site.time_zone)));
    mstch::map c{{"t", i18n_.node(lang)},
                 {"lang", lang},
                 {"org_name", d.org.name},
                 {"subject", m.subject},
                 {"greeting",
                  replace_name(i18n_.t(lang, "messages.greeting_account"), account.display_name)},
                 {"expiry", i18n_.t(lang, "room_rules.mail_after")},
                 {"intro", intro},
                 {"link", public_url_ + "/console/appointments/" + std::to_string(a.id)}};
    m.from_name = d.org.name;
    m.from_address = d.org.sender_email.empty() ? "no-reply@" + identity_.host : d.org.sender_email;
    m.reply_to = d.org.reply_to;
    m.to_name = account.display_name;
    m.to_address = account.email;
    m.text = render(d.org.slug, "account.txt", &c);
    m.html = render(d.org.slug, "account.html", &c);
    return m;
}

Mail Composer::digest_email(const store::Account& account, const store::Organisation& org,
                            const nlohmann::json& payload) const {
    Mail m;
    auto lang = payload.value("lang", std::string("fr"));
    auto month = payload.value("month_label", std::string());
    m.subject = text::I18n::fill(i18n_.t(lang, "stats_digest.subject"), "{month}", month);
    mstch::array heads;
    if (auto h = payload.find("headlines"); h != payload.end() && h->is_array())
        for (auto& x : *h)
            heads.push_back(mstch::map{{"label", x.value("label", std::string())},
                                       {"value", x.value("value", std::string())},
                                       {"previous", x.value("previous", std::string())},
                                       {"change", x.value("change", std::string())}});
    auto intro = text::I18n::fill(i18n_.t(lang, "stats_digest.intro"), "{month}", month);
    intro = text::I18n::fill(intro, "{organisation}", org.name);
    mstch::map c{
        {"t", i18n_.node(lang)},
        {"lang", lang},
        {"org_name", org.name},
        {"subject", m.subject},
        {"greeting",
         replace_name(i18n_.t(lang, "messages.greeting_account"), account.display_name)},
        {"intro", intro},
        {"headlines", heads},
        {"link", public_url_ + "/console/stats?from=" + payload.value("from", std::string()) +
                     "&to=" + payload.value("to", std::string()) + "&lang=" + lang}};
    m.from_name = org.name;
    m.from_address = !org.sender_email.empty() ? org.sender_email : "no-reply@" + identity_.host;
    m.reply_to = org.reply_to;
    m.to_name = account.display_name;
    m.to_address = account.email;
    m.text = render(org.slug, "stats_digest.txt", &c);
    m.html = render(org.slug, "stats_digest.html", &c);
    return m;
}

Mail Composer::partner_notice_email(const store::Organisation& org,
                                    const nlohmann::json& payload) const {
    Mail m;
    auto lang = payload.value("lang", std::string("fr"));
    m.subject = payload.value("subject", std::string());
    auto name = payload.value("to_name", std::string());
    mstch::map c{{"t", i18n_.node(lang)},
                 {"lang", lang},
                 {"org_name", org.name},
                 {"subject", m.subject},
                 {"greeting", replace_name(i18n_.t(lang, "messages.greeting_account"), name)},
                 {"intro", payload.value("intro", std::string())},
                 {"expiry", payload.value("after", std::string())},
                 {"link", payload.value("link", std::string())}};
    m.from_name = org.name;
    m.from_address = !org.sender_email.empty() ? org.sender_email : "no-reply@" + identity_.host;
    m.reply_to = org.reply_to;
    m.to_name = name;
    m.to_address = payload.value("to", std::string());
    m.text = render(org.slug, "account.txt", &c);
    m.html = render(org.slug, "account.html", &c);
    return m;
}

}  // namespace vg::notify

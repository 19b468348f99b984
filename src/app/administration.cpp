#include "app/administration.hpp"

#include <date/tz.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "app/admin_form.hpp"
#include "core/colour.hpp"
#include "core/document_type.hpp"
#include "core/holidays.hpp"
#include "text/i18n.hpp"

namespace vg::app {

using nlohmann::json;

core::Instant no_show_delay(const store::Organisation& o) {
    return core::Instant(o.no_show_delay_minutes) * 60;
}

using detail::Form;
using detail::journal;
using detail::local_json;
using detail::save_journalled;

namespace {

std::optional<store::Account> member(store::Session& s, Id org, Id account,
                                     std::vector<store::Membership>* roles = nullptr) {
    auto a = s.account_by_id(account);
    if (!a) return std::nullopt;
    auto ms = s.memberships(account);
    std::erase_if(ms, [&](const store::Membership& m) { return m.organisation_id != org; });
    if (ms.empty()) return std::nullopt;
    if (roles) *roles = ms;
    return a;
}

json member_json(const store::Account& a, const std::vector<store::Membership>& ms) {
    json roles = json::array();
    for (auto& m : ms) roles.push_back(m.role);
    return {{"email", a.email},
            {"name", a.display_name},
            {"roles", roles},
            {"disabled", a.disabled_at.has_value()}};
}

}  // namespace

json Administration::settings_json(const store::Organisation& o) {
    return {{"name", o.name},
            {"languages", o.languages},
            {"time_zone", o.default_time_zone},
            {"sender_email", o.sender_email},
            {"reply_to", o.reply_to},
            {"mediation_contact", o.mediation_contact},
            {"brand_colour", o.brand_colour},
            {"no_show_delay_minutes", o.no_show_delay_minutes},
            {"retention_days", o.retention_days},
            {"room_opens_minutes", o.room_opens_minutes},
            {"room_margin_minutes", o.room_margin_minutes},
            {"camera_required", o.camera_required},
            {"document_retention_days", o.document_retention_days}};
}

json Administration::site_json(const store::Site& x) {
    return {{"name", x.name},
            {"address", x.address},
            {"postal_code", x.postal_code},
            {"city", x.city},
            {"time_zone", x.time_zone},
            {"access_notes", local_json(x.access_notes)},
            {"is_partner", x.is_partner},
            {"holiday_region", x.holiday_region}};
}

json Administration::motif_json(const store::Motif& m) {
    json channels = json::array();
    for (auto c : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
        if (m.rules.channels & core::channel_bit(c)) channels.push_back(core::to_string(c));
    return {{"code", m.code},
            {"name", local_json(m.name)},
            {"theme", local_json(m.theme)},
            {"documents", local_json(m.documents)},
            {"duration_minutes", m.rules.duration_minutes},
            {"buffer_minutes", m.rules.buffer_minutes},
            {"lead_minutes", m.rules.min_lead_minutes},
            {"horizon_days", m.rules.horizon_days},
            {"channels", channels},
            {"public", m.is_public},
            {"asks_beneficiary_number", m.asks_beneficiary_number},
            {"open_to_partners", m.open_to_partners},
            {"reminder_minutes", m.reminder_minutes},
            {"position", m.position}};
}

AdminResult Administration::update_settings(Id org, const Fields& f, const std::string& actor) {
    Form in{f, {}};
    store::Organisation o;
    o.name = in.text("name", true, 120);
    o.languages.clear();
    for (auto& lang : text::kLanguages)
        if (in.flag("lang_" + lang)) o.languages.push_back(lang);
    if (o.languages.empty()) in.fail("languages", "languages");
    o.default_time_zone = in.zone("time_zone");
    o.sender_email = in.email("sender_email", false);
    o.reply_to = in.email("reply_to", false);
    o.mediation_contact = in.text("mediation_contact", false, 500, true);
    o.brand_colour = in.text("brand_colour", true, 7);
    for (auto& c : o.brand_colour) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (!o.brand_colour.empty() && !in.errors.count("brand_colour")) {
        if (!core::contrast_with_white(o.brand_colour))
            in.fail("brand_colour", "colour");
        else if (!core::readable_on_white(o.brand_colour))
            in.fail("brand_colour", "contrast");
    }
    o.no_show_delay_minutes = in.number("no_show_delay", 0, kMaxNoShowDelay);
    o.retention_days = in.number("retention_days", kMinRetentionDays, kMaxRetentionDays);
    o.room_opens_minutes = in.number("room_opens_minutes", 0, kMaxRoomOpensMinutes);
    o.room_margin_minutes = in.number("room_margin_minutes", 0, kMaxRoomMarginMinutes);
    o.camera_required = in.flag("camera_required");
    o.document_retention_days =
        in.number("document_retention_days", kMinDocumentRetentionDays, kMaxDocumentRetentionDays);
    AdminResult r;
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        auto before = s.organisation_by_id(org);
        if (!before) {
            r.not_found = true;
            return;
        }
        o.id = org;
        s.update_organisation_settings(o);
        journal(s, org, actor, "settings", org, "update", settings_json(*before), settings_json(o));
    });
    r.id = org;
    if (r.ok()) booking_.configuration_changed();
    return r;
}

bool Administration::of_organisation(Id org, const std::string& kind, Id id) {
    bool found = false;
    booking_.store().read([&](store::Session& s) {
        if (kind == "site") {
            for (auto& x : s.sites(org)) found |= x.id == id;
        } else {
            for (auto& x : s.motifs(org)) found |= x.id == id;
        }
    });
    return found;
}

AdminResult Administration::save_site(Id org, std::optional<Id> id, const Fields& f,
                                      const std::string& actor) {
    Form in{f, {}};
    store::Site x;
    x.organisation_id = org;
    x.name = in.text("name", true, 120);
    x.address = in.text("address", false, 200);
    x.postal_code = in.text("postal_code", false, 12);
    x.city = in.text("city", false, 120);
    x.time_zone = in.zone("time_zone");
    x.access_notes = in.local("access_notes", false, 1000, true);
    x.is_partner = in.flag("is_partner");
    // The public holidays of the site: a region's calendar, or "" for the organisation's.
    x.holiday_region = in.text("holiday_region", false, 40);
    if (!x.holiday_region.empty() && !core::parse_holiday_region(x.holiday_region))
        in.fail("holiday_region", "invalid");
    AdminResult r;
    // Another organisation's id is not found, whatever the form says (no validation answer).
    if (id && !of_organisation(org, "site", *id)) {
        r.not_found = true;
        return r;
    }
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        std::vector<store::Site> sites;
        const store::Site* before = nullptr;
        if (id) {
            sites = s.sites(org);
            auto it = std::find_if(sites.begin(), sites.end(),
                                   [&](const store::Site& y) { return y.id == *id; });
            if (it == sites.end()) {
                r.not_found = true;
                return;
            }
            before = &*it;
            x.id = *id;
        }
        r.id = save_journalled(
            s, org, actor, "site", before, x, site_json, [&](auto& v) { return s.insert_site(v); },
            [&](auto& v) { s.update_site(v); });
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult Administration::save_motif(Id org, std::optional<Id> id, const Fields& f,
                                       const std::string& actor) {
    Form in{f, {}};
    store::Motif m;
    m.organisation_id = org;
    m.code = in.text("code", false, 40);
    m.name = in.local("name", true, 120);
    m.theme = in.local("theme", false, 120);
    m.documents = in.local("documents", false, 2000, true);
    m.rules.duration_minutes = in.number("duration", 5, 480);
    m.rules.buffer_minutes = in.number("buffer", 0, 240, 0);
    m.rules.min_lead_minutes = in.number("lead", 0, 60 * 24 * 60, 0);
    m.rules.horizon_days = in.number("horizon", 1, 366);
    m.rules.channels = 0;
    for (auto c : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
        if (in.flag("channel_" + std::string(core::to_string(c))))
            m.rules.channels |= core::channel_bit(c);
    if (m.rules.channels == 0) in.fail("channels", "channels");
    m.is_public = in.flag("is_public");
    m.asks_beneficiary_number = in.flag("asks_beneficiary_number");
    m.open_to_partners = in.flag("open_to_partners");
    m.reminder_minutes.clear();
    {
        auto list = in.text("reminders", false, 100);
        std::string item;
        bool bad = false;
        for (std::size_t i = 0; i <= list.size(); ++i) {
            if (i < list.size() && list[i] != ',' && list[i] != ';') {
                item += list[i];
                continue;
            }
            auto v = core::trim(item);
            item.clear();
            if (v.empty()) continue;
            int minutes = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), minutes);
            // At most 60 days before, at least 10 minutes; at most 5 reminders.
            if (ec != std::errc() || p != v.data() + v.size() || minutes < 10 ||
                minutes > 60 * 24 * 60) {
                bad = true;
                continue;
            }
            if (std::find(m.reminder_minutes.begin(), m.reminder_minutes.end(), minutes) ==
                m.reminder_minutes.end())
                m.reminder_minutes.push_back(minutes);
        }
        if (bad || m.reminder_minutes.size() > 5) in.fail("reminders", "reminders");
        std::sort(m.reminder_minutes.rbegin(), m.reminder_minutes.rend());
    }
    m.position = in.number("position", 0, 9999, 0);
    AdminResult r;
    if (id && !of_organisation(org, "motif", *id)) {
        r.not_found = true;
        return r;
    }
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        std::vector<store::Motif> motifs;
        const store::Motif* before = nullptr;
        if (id) {
            motifs = s.motifs(org);
            auto it = std::find_if(motifs.begin(), motifs.end(),
                                   [&](const store::Motif& y) { return y.id == *id; });
            if (it == motifs.end()) {
                r.not_found = true;
                return;
            }
            before = &*it;
            m.id = *id;
            m.rules.id = *id;
        }
        r.id = save_journalled(
            s, org, actor, "motif", before, m, motif_json,
            [&](auto& v) { return s.insert_motif(v); }, [&](auto& v) { s.update_motif(v); });
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult Administration::publish_terms(Id org, const Fields& f, const std::string& actor) {
    Form in{f, {}};
    store::Terms t;
    t.organisation_id = org;
    t.text = in.local("text", true, 20000, true);
    t.conduct_rules = in.local("conduct", false, 5000, true);
    AdminResult r;
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        auto current = s.current_terms(org);
        t.version = current ? current->version + 1 : 1;
        t.published_at = booking_.clock().now();
        r.id = s.insert_terms(t);
        json after = {{"version", t.version},
                      {"text", local_json(t.text)},
                      {"conduct_rules", local_json(t.conduct_rules)}};
        json before = current ? json{{"version", current->version}} : json();
        journal(s, org, actor, "terms", r.id, "create", before, after);
        s.add_audit(
            {org, actor, "terms.publish", "terms", r.id, json{{"version", t.version}}.dump()});
    });
    booking_.configuration_changed();
    return r;
}

AdminResult Administration::invite(Id org, const Fields& f, const std::string& actor,
                                   const std::string& lang) {
    Form in{f, {}};
    auto email = in.email("email", true);
    auto name = in.text("name", false, 120);
    auto role = in.text("role", true, 20);
    if (!role.empty() && (!store::is_role(role) || role == "partner")) in.fail("role", "role");
    AdminResult r;
    r.errors = in.errors;
    if (!r.ok() || !accounts_) return r;
    std::optional<store::Organisation> o;
    std::optional<store::Account> existing;
    booking_.store().read([&](store::Session& s) {
        o = s.organisation_by_id(org);
        existing = s.account_by_email(email);
    });
    if (!o) {
        r.not_found = true;
        return r;
    }
    json before;
    if (existing) {
        std::vector<store::Membership> ms;
        booking_.store().read([&](store::Session& s) { member(s, org, existing->id, &ms); });
        if (!ms.empty()) before = member_json(*existing, ms);
    }
    auto account = accounts_->add_member(o->slug, email, role, name, actor);
    r.id = account.id;
    booking_.store().write([&](store::Session& s) {
        std::vector<store::Membership> ms;
        auto a = member(s, org, account.id, &ms);
        journal(s, org, actor, "member", account.id, before.is_null() ? "create" : "update", before,
                a ? member_json(*a, ms) : json());
    });
    // A person without a password yet gets the link that lets them choose one.
    if (!account.password_hash) accounts_->send_link(account.email, "invitation", actor, lang);
    booking_.configuration_changed();  // a new agent may serve motifs
    return r;
}

AdminResult Administration::set_roles(Id org, Id account, const std::vector<std::string>& roles,
                                      const std::string& actor, Id acting_account) {
    AdminResult r;
    r.id = account;
    for (auto& role : roles)
        if (!store::is_role(role)) r.errors.emplace("roles", "admin.error_role");
    if (roles.empty()) r.errors.emplace("roles", "admin.error_no_role");
    if (account == acting_account && std::find(roles.begin(), roles.end(), "admin") == roles.end())
        r.errors.emplace("roles", "admin.error_own_admin");
    std::optional<store::Account> a;
    std::vector<store::Membership> held;
    booking_.store().read([&](store::Session& s) { a = member(s, org, account, &held); });
    if (!a) {  // before the form's errors: another organisation's account is not found
        r.not_found = true;
        r.errors.clear();
        return r;
    }
    if (!r.errors.empty()) return r;
    // Added roles through the accounts service (an agent role makes an agent of the agenda).
    std::vector<std::string> had;
    for (auto& m : held) had.push_back(m.role);
    std::string slug = held.front().organisation_slug;
    for (auto& role : roles)
        if (std::find(had.begin(), had.end(), role) == had.end() && accounts_)
            accounts_->add_member(slug, a->email, role, a->display_name, actor);
    booking_.store().write([&](store::Session& s) {
        for (auto& role : had)
            // The partner role is the partners' page's (partner-admin): kept here.
            if (role != "partner" && std::find(roles.begin(), roles.end(), role) == roles.end() &&
                s.remove_membership(account, org, role))
                s.add_audit({org, actor, "membership.remove", "account", account,
                             json{{"role", role}}.dump()});
        std::vector<store::Membership> now;
        auto after = member(s, org, account, &now);
        journal(s, org, actor, "member", account, "update", member_json(*a, held),
                after ? member_json(*after, now) : json());
    });
    booking_.configuration_changed();
    return r;
}

AdminResult Administration::set_disabled(Id org, Id account, bool disabled,
                                         const std::string& actor, Id acting_account) {
    AdminResult r;
    r.id = account;
    if (account == acting_account) {
        r.errors.emplace("account", "admin.error_self");
        return r;
    }
    std::optional<store::Account> a;
    std::vector<store::Membership> held;
    booking_.store().read([&](store::Session& s) { a = member(s, org, account, &held); });
    if (!a || !accounts_) {
        r.not_found = true;
        return r;
    }
    accounts_->set_disabled(a->email, disabled, actor);
    booking_.store().write([&](store::Session& s) {
        auto after = s.account_by_id(account);
        journal(s, org, actor, "member", account, "update", member_json(*a, held),
                member_json(*after, held));
    });
    return r;
}

int Administration::run_retention(const std::string& actor) {
    int total = 0;
    auto now = booking_.clock().now();
    booking_.store().write([&](store::Session& s) {
        for (auto& o : s.organisations()) {
            auto before = now - core::Instant(o.retention_days) * 86400;
            int n = s.erase_personal_data(o.id, before);
            total += n;
            s.add_audit({o.id, actor, "retention.erase", "organisation", o.id,
                         json{{"appointments", n},
                              {"ended_before", before},
                              {"retention_days", o.retention_days}}
                             .dump()});
        }
    });
    return total;
}

RetentionJob::RetentionJob(Administration& admin, std::function<void()> also,
                           std::chrono::seconds period)
    : PeriodicJob("retention", period, [&admin, also = std::move(also)] {
          int n = admin.run_retention();
          if (n > 0) spdlog::info("retention: personal data of {} appointments erased", n);
          if (also) also();  // after the personal data, even when none was due
      }) {}

std::string image_type(const std::string& d) {
    auto t = core::sniff_document(d);  // the room's documents read types the same way
    if (!t || *t == core::DocumentType::pdf) return "";
    return std::string(core::mime_type(*t));
}

AdminResult Administration::set_logo(Id org, const std::string& data, const std::string& actor) {
    AdminResult r;
    r.id = org;
    std::optional<store::Logo> logo;
    if (!data.empty()) {
        if (data.size() > kMaxLogoBytes) {
            r.errors.emplace("logo", "admin.error_logo_size");
            return r;
        }
        auto type = image_type(data);
        if (type.empty()) {
            r.errors.emplace("logo", "admin.error_logo_type");
            return r;
        }
        unsigned char hash[16];
        crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size(), nullptr, 0);
        char hex[sizeof hash * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        logo = store::Logo{type, data, hex};
    }
    booking_.store().write([&](store::Session& s) {
        auto o = s.organisation_by_id(org);
        if (!o) {
            r.not_found = true;
            return;
        }
        s.set_logo(org, logo);
        journal(s, org, actor, "logo", org, logo ? "update" : "delete",
                json{{"etag", o->logo_etag}},
                json{{"etag", logo ? logo->etag : ""},
                     {"type", logo ? logo->content_type : ""},
                     {"bytes", data.size()}});
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

}  // namespace vg::app

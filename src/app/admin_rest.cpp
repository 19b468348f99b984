// The rest of the organisation's administration (issue 12, admin-rest): closed days,
// message texts.
#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "app/admin_form.hpp"
#include "app/administration.hpp"
#include "app/memberships.hpp"
#include "core/placeholders.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

using detail::Form;
using detail::journal;
using nlohmann::json;

namespace {

json closed_day_json(const store::ClosedDay& d) {
    return {{"first", core::format_ymd(d.first_day)},
            {"last", core::format_ymd(d.last_day)},
            {"label", d.label},
            {"site", d.site_id ? json(*d.site_id) : json(nullptr)}};
}

}  // namespace

AdminResult Administration::add_closed_day(Id org, const Fields& f, const std::string& actor) {
    Form in{f, {}};
    store::ClosedDay d;
    d.organisation_id = org;
    d.created_by = actor;
    d.label = in.text("label", true, 120);
    auto day = [&](const std::string& name, bool required) -> std::optional<core::LocalDay> {
        auto v = in.text(name, required, 10);
        if (v.empty()) return std::nullopt;
        auto parsed = core::parse_ymd(v);
        if (!parsed) in.fail(name, "date");
        return parsed;
    };
    auto first = day("first", true);
    auto last = day("last", false);
    if (first) {
        d.first_day = *first;
        d.last_day = last.value_or(*first);
        if (last && *last < *first)
            in.fail("last", "closed_day_order");
        else if (d.last_day - d.first_day >= kMaxClosedDays)
            in.fail("last", "closed_day_length");
    }
    auto site = core::trim(in.raw("site"));
    AdminResult r;
    if (!site.empty()) {
        // A site of another organisation (or none) is not found, before the form's errors.
        Id id = 0;
        auto [p, ec] = std::from_chars(site.data(), site.data() + site.size(), id);
        if (ec != std::errc() || p != site.data() + site.size() ||
            !of_organisation(org, "site", id)) {
            r.not_found = true;
            return r;
        }
        d.site_id = id;
    }
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        // The live appointments of the closed days refuse them: the administrator moves or
        // cancels them first (each citizen told), then closes.
        for (auto& x : s.sites(org)) {
            if (d.site_id && x.id != *d.site_id) continue;
            auto zone = core::zone_or_default(x.time_zone);
            auto hit = s.appointments_between(org, core::start_of_local_day(d.first_day, zone),
                                              core::start_of_local_day(d.last_day + 1, zone), true,
                                              std::nullopt, x.id);
            r.hit.insert(r.hit.end(), hit.begin(), hit.end());
        }
        if (!r.hit.empty()) {
            std::sort(r.hit.begin(), r.hit.end(),
                      [](auto& a, auto& b) { return a.starts_at < b.starts_at; });
            r.errors.emplace("first", "admin.error_closed_day_booked");
            return;
        }
        r.id = s.insert_closed_day(d);
        journal(s, org, actor, "holiday", r.id, "create", nullptr, closed_day_json(d));
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult Administration::delete_closed_day(Id org, Id id, const std::string& actor) {
    AdminResult r;
    r.id = id;
    booking_.store().write([&](store::Session& s) {
        std::optional<store::ClosedDay> found;
        for (auto& d : s.closed_days(org, std::numeric_limits<core::LocalDay>::min()))
            if (d.id == id) found = d;
        if (!found || !s.delete_closed_day(org, id)) {
            r.not_found = true;
            return;
        }
        journal(s, org, actor, "holiday", id, "delete", closed_day_json(*found), nullptr);
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

namespace {

json message_texts_json(const std::vector<store::MessageText>& texts, const std::string& kind) {
    json out = {{"kind", kind}, {"texts", json::object()}};
    for (auto& t : texts)
        if (t.kind == kind) out["texts"][t.language] = {{"subject", t.subject}, {"intro", t.intro}};
    return out;
}

}  // namespace

AdminResult Administration::save_message_texts(Id org, const std::string& kind, const Fields& f,
                                               const std::string& actor) {
    AdminResult r;
    auto& kinds = notify::customisable_kinds();
    auto it = std::find(kinds.begin(), kinds.end(), kind);
    if (it == kinds.end()) {
        r.not_found = true;
        return r;
    }
    r.id = Id(it - kinds.begin()) + 1;  // the journal's object id: the kind's position
    Form in{f, {}};
    std::vector<store::MessageText> texts;
    for (auto& lang : text::kLanguages) {
        store::MessageText t{org, kind, lang, in.text("subject_" + lang, false, 150),
                             in.text("intro_" + lang, false, 500)};
        for (auto& field : {"subject_" + lang, "intro_" + lang})
            if (!in.errors.count(field) && !core::unknown_placeholders(in.raw(field)).empty())
                in.fail(field, "placeholder");
        texts.push_back(std::move(t));
    }
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        auto before = s.message_texts(org);
        for (auto& t : texts) s.put_message_text(t);
        journal(s, org, actor, "message", r.id, "update", message_texts_json(before, kind),
                message_texts_json(s.message_texts(org), kind));
    });
    booking_.configuration_changed();
    return r;
}

std::optional<std::pair<store::OutboxRow, notify::MessageData>> Administration::sample_message(
    Id org, const std::string& kind, const std::string& lang) {
    std::optional<std::pair<store::OutboxRow, notify::MessageData>> out;
    booking_.store().read([&](store::Session& s) {
        auto o = s.organisation_by_id(org);
        auto sites = s.sites(org);
        auto motifs = s.motifs(org);
        std::erase_if(motifs, [](const store::Motif& m) { return !m.is_public; });
        if (!o || sites.empty() || motifs.empty()) return;
        notify::MessageData d;
        d.org = *o;
        d.site = sites.front();
        d.motif = motifs.front();
        d.texts = s.message_texts(org);
        auto& a = d.appointment;
        a.id = 0;
        a.organisation_id = org;
        a.motif_id = d.motif.id;
        a.site_id = d.site.id;
        a.channel = kind == "moved_to_phone"    ? core::Channel::phone
                    : kind == "channel_changed" ? core::Channel::video
                    : (d.motif.rules.channels & core::channel_bit(core::Channel::on_site))
                        ? core::Channel::on_site
                        : core::Channel::video;
        auto zone = core::zone_or_default(d.site.time_zone);
        auto day = core::local_day_of(booking_.clock().now(), zone) + 2;
        a.starts_at = core::start_of_local_day(day, zone) + 10 * 3600;
        a.ends_at = a.starts_at + core::Instant(d.motif.rules.duration_minutes) * 60;
        a.status = kind == "cancellation" ? store::AppointmentStatus::cancelled
                   : kind == "thank_you"  ? store::AppointmentStatus::honoured
                   : kind == "no_show"    ? store::AppointmentStatus::no_show
                                          : store::AppointmentStatus::booked;
        a.citizen = {"Camille", "Exemple", "camille@example.org", "+33612345678", lang, "", ""};
        if (kind == "cancellation") a.cancel_reason = "—";
        d.token = "exemple";
        store::OutboxRow row;
        row.organisation_id = org;
        row.kind = kind;
        row.payload = kind == "reschedule" ? json{{"previous_start", a.starts_at - 86400}}.dump()
                                           : std::string("{}");
        out = std::pair{row, d};
    });
    return out;
}

bool Administration::set_platform_admin(const std::string& email, bool on,
                                        const std::string& actor) {
    if (!plausible_email(email)) return false;
    booking_.store().write([&](store::Session& s) {
        auto a = s.account_by_email(email);
        Id id = 0;
        if (a) {
            id = a->id;
        } else {
            store::Account fresh;
            fresh.email = email;
            id = s.insert_account(fresh);
        }
        s.set_platform_admin(id, on);
        s.add_audit({0, actor, "account.platform_admin", "account", id,
                     json{{"platform_admin", on}}.dump()});
    });
    return true;
}

AdminResult Administration::create_organisation(const Fields& f, const std::string& actor,
                                                const std::string& lang) {
    Form in{f, {}};
    auto slug = in.text("slug", true, 64);
    auto name = in.text("name", true, 120);
    auto email = in.email("admin_email", true);
    if (!slug.empty() && !in.errors.count("slug") && !slug_problem(slug).empty())
        in.fail("slug", "slug");
    AdminResult r;
    r.errors = in.errors;
    if (!r.ok() || !accounts_) return r;
    // The rules of `visioguichet org create` (AccountService::create_organisation).
    try {
        r.id = accounts_->create_organisation(slug, name, actor).id;
    } catch (const AccountError& e) {
        r.errors.emplace("slug", e.key == "account_error.slug_taken" ? "admin.error_slug_taken"
                                                                     : "admin.error_slug");
        return r;
    }
    auto account = accounts_->add_member(slug, email, "admin", "", actor);
    booking_.store().write([&](store::Session& s) {
        journal(s, r.id, actor, "settings", r.id, "create", nullptr,
                json{{"slug", slug}, {"name", name}, {"first_administrator", email}});
    });
    // The first administrator chooses a password from the invitation link.
    if (!account.password_hash) accounts_->send_link(account.email, "invitation", actor, lang);
    booking_.configuration_changed();
    return r;
}

}  // namespace vg::app

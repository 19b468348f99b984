#include "app/agenda.hpp"

#include <algorithm>

#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "notify/ics.hpp"
#include "text/i18n.hpp"

namespace vg::app {

std::vector<AgendaDay> group_by_day(std::vector<AgendaEntry> entries, const date::time_zone* zone,
                                    LocalDay from, int days) {
    std::vector<AgendaDay> out;
    for (int i = 0; i < days; ++i) out.push_back(AgendaDay{from + i, {}});
    for (auto& e : entries) {
        auto d = core::local_day_of(e.appointment.starts_at, zone);
        if (d < from || d >= from + days) continue;
        out[std::size_t(d - from)].entries.push_back(std::move(e));
    }
    for (auto& d : out)
        std::stable_sort(d.entries.begin(), d.entries.end(), [](auto& a, auto& b) {
            return a.appointment.starts_at < b.appointment.starts_at;
        });
    return out;
}

const AgendaEntry* next_entry(const std::vector<AgendaEntry>& entries, Instant now) {
    const AgendaEntry* best = nullptr;
    for (auto& e : entries)
        if (e.live() && e.appointment.ends_at > now &&
            (!best || e.appointment.starts_at < best->appointment.starts_at))
            best = &e;
    return best;
}

Countdown countdown(const AgendaEntry& e, Instant now) {
    if (e.appointment.starts_at <= now) return {true, 0};
    return {false, (e.appointment.starts_at - now + 59) / 60};
}

AgendaService::AgendaService(BookingService& booking, const text::I18n& i18n,
                             notify::Identity identity, std::string link_base)
    : booking_(booking),
      i18n_(i18n),
      identity_(std::move(identity)),
      link_base_(std::move(link_base)) {}

Agenda AgendaService::agenda(const std::string& org_slug, const ScopeSubject& subject,
                             const AgendaQuery& q) {
    Agenda out;
    out.org = booking_.organisation(org_slug);
    if (!out.org || out.org->org.id != subject.organisation_id) {
        out.outcome = Agenda::Outcome::not_found;
        return out;
    }
    const auto& org = *out.org;
    auto zone = org.default_zone();
    const Instant now = booking_.clock().now();
    std::vector<store::Appointment> found, upcoming;
    booking_.store().read([&](store::Session& s) {
        auto visible = visible_agents(s, subject);
        if (q.agent && !std::binary_search(visible.begin(), visible.end(), *q.agent)) {
            out.outcome = Agenda::Outcome::forbidden;
            return;
        }
        for (auto& a : s.agents(subject.organisation_id))
            if (std::binary_search(visible.begin(), visible.end(), a.id)) out.agents.push_back(a);
        std::vector<Id> wanted = q.agent ? std::vector<Id>{*q.agent} : visible;
        found = s.agenda(subject.organisation_id, wanted, core::start_of_local_day(q.from, zone),
                         core::start_of_local_day(q.from + q.days, zone), true);
        if (q.with_next) {
            // Under way or to come: started at most a day ago, within the next week.
            upcoming =
                s.agenda(subject.organisation_id, wanted, now - 86400, now + 8 * 86400, false);
        }
    });
    if (out.outcome != Agenda::Outcome::ok) return out;
    std::sort(out.agents.begin(), out.agents.end(),
              [](auto& a, auto& b) { return a.display_name < b.display_name; });
    auto entry = [&](store::Appointment a) {
        AgendaEntry e{std::move(a), nullptr, nullptr, {}};
        e.motif = org.motif(e.appointment.motif_id);
        e.site = org.site(e.appointment.site_id);
        for (auto& ag : out.agents)
            if (ag.id == e.appointment.agent_id) e.agent_name = ag.display_name;
        return e;
    };
    std::vector<AgendaEntry> entries;
    for (auto& a : found) entries.push_back(entry(std::move(a)));
    out.days = group_by_day(std::move(entries), zone, q.from, q.days);
    if (q.with_next) {
        std::vector<AgendaEntry> next;
        for (auto& a : upcoming) next.push_back(entry(std::move(a)));
        if (auto* n = next_entry(next, now)) out.next = *n;
    }
    return out;
}

bool AgendaService::set_language(Id account_id, const std::string& language) {
    std::optional<std::string> value;
    if (!language.empty()) {
        if (language != "fr" && language != "en" && language != "nl" && language != "de")
            return false;
        value = language;
    }
    booking_.store().write([&](store::Session& s) { s.set_account_language(account_id, value); });
    return true;
}

bool AgendaService::has_feed(Id account_id, Id organisation_id) {
    bool has = false;
    booking_.store().read(
        [&](store::Session& s) { has = s.calendar_feed(account_id, organisation_id).has_value(); });
    return has;
}

std::string AgendaService::create_feed(Id account_id, Id organisation_id,
                                       const std::string& actor) {
    auto token = new_token();
    booking_.store().write([&](store::Session& s) {
        auto now = booking_.clock().now();
        bool replaced = s.revoke_calendar_feeds(account_id, organisation_id, now) > 0;
        store::CalendarFeed f;
        f.account_id = account_id;
        f.organisation_id = organisation_id;
        f.token_hash = hash_token(token);
        auto id = s.insert_calendar_feed(f);
        s.add_audit({organisation_id, actor,
                     replaced ? "calendar_feed.replace" : "calendar_feed.create", "calendar_feed",
                     id, "{}"});
    });
    return token;
}

bool AgendaService::revoke_feed(Id account_id, Id organisation_id, const std::string& actor) {
    bool revoked = false;
    booking_.store().write([&](store::Session& s) {
        revoked = s.revoke_calendar_feeds(account_id, organisation_id, booking_.clock().now()) > 0;
        if (revoked)
            s.add_audit({organisation_id, actor, "calendar_feed.revoke", "calendar_feed",
                         account_id, "{}"});
    });
    return revoked;
}

std::optional<std::string> AgendaService::feed(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    // Looked up by the token's hash (BLAKE2b-256): the index compares hashes, never the
    // secret, so timing tells nothing about the token.
    auto hash = hash_token(token);
    std::optional<store::CalendarFeed> f;
    std::optional<store::Organisation> org;
    std::optional<Id> agent;
    std::string lang = "fr";
    booking_.store().read([&](store::Session& s) {
        f = s.calendar_feed_by_hash(hash);
        if (!f) return;
        auto account = s.account_by_id(f->account_id);
        if (!account || account->disabled_at) return;
        if (account->language) lang = *account->language;
        for (auto& m : s.memberships(f->account_id))
            if (m.organisation_id == f->organisation_id && m.role == "agent" && m.agent_id)
                agent = m.agent_id;
        org = s.organisation_by_id(f->organisation_id);
    });
    if (!f || !agent || !org) return std::nullopt;
    auto data = booking_.organisation(org->slug);
    if (!data) return std::nullopt;
    int horizon = 60;
    for (auto& m : data->motifs) horizon = std::max(horizon, m.rules.horizon_days);
    const Instant now = booking_.clock().now();
    std::vector<store::Appointment> live;
    booking_.store().read([&](store::Session& s) {
        live =
            s.agenda(org->id, {*agent}, now - kFeedPast, now + Instant(horizon + 1) * 86400, false);
    });
    std::vector<notify::CalendarEvent> events;
    for (auto& a : live) {
        auto motif = data->motif(a.motif_id);
        if (!motif) continue;
        auto site = data->site(a.site_id);
        // The event of the messages' .ics (same UID), without anything of the citizen.
        store::Appointment bare = a;
        bare.citizen = {};
        auto url = link_base_ + "/console/appointments/" + std::to_string(a.id);
        auto e =
            notify::appointment_event(i18n_, lang, data->org, bare, *motif, site, url, identity_);
        auto channel = i18n_.t(lang, "channel." + std::string(core::to_string(a.channel)));
        e.summary = motif->name.pick(lang) + " – " + channel;
        e.description = i18n_.t(lang, "agenda.feed_channel") + " " + channel;
        if (site) e.description += "\n" + i18n_.t(lang, "agenda.feed_site") + " " + site->name;
        e.description += "\n" + url;
        events.push_back(std::move(e));
    }
    return notify::make_ics_calendar(events, data->org.name + " – Visioguichet");
}

}  // namespace vg::app

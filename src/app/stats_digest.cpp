#include "app/stats_digest.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/timefmt.hpp"
#include "stats/headlines.hpp"
#include "stats/report.hpp"
#include "text/i18n.hpp"

namespace vg::app {

namespace {

const char* const kLanguages[] = {"fr", "en", "nl", "de"};

// The calendar month of local day d: its first and last days.
stats::Period month_of(core::LocalDay d) {
    auto first = d - (core::day_parts(d).day - 1);
    auto next = first + 31;
    next -= core::day_parts(next).day - 1;
    return {first, next - 1};
}

std::string month_key(core::LocalDay d) {
    auto p = core::day_parts(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", p.year, p.month);
    return buf;
}

}  // namespace

int StatsDigest::queue_due() {
    auto now = clock_.now();
    std::vector<store::Organisation> orgs;
    db_.read([&](store::Session& s) { orgs = s.organisations(); });
    int queued = 0;
    for (auto& org : orgs) queued += queue(org, now);
    if (queued > 0) {
        spdlog::info("statistics: {} monthly digest e-mails queued", queued);
        if (queued_) queued_();
    }
    return queued;
}

int StatsDigest::queue(const store::Organisation& org, core::Instant now) {
    auto zone = core::zone_or_default(org.default_time_zone);
    auto this_month = month_of(core::local_day_of(now, zone));
    auto month = month_of(this_month.first - 1);
    auto before = month_of(month.first - 1);
    auto key = month_key(month.first);
    bool due = false;
    std::vector<std::pair<store::Account, std::string>> admins;  // with their language
    db_.read([&](store::Session& s) {
        auto created = s.organisation_created_at(org.id);
        if (!created || *created >= core::start_of_local_day(this_month.first, zone) ||
            s.digest_queued(org.id, key))
            return;
        due = true;
        for (auto& a : s.accounts(org.id)) {
            if (a.disabled_at || a.email.empty()) continue;
            auto ms = s.memberships(a.id);
            if (std::none_of(ms.begin(), ms.end(), [&](auto& m) {
                    return m.organisation_id == org.id && m.role == "admin";
                }))
                continue;
            // The console language chosen, else the organisation's first language.
            auto lang = a.language.value_or(org.languages.empty() ? "fr" : org.languages[0]);
            if (std::find(std::begin(kLanguages), std::end(kLanguages), lang) ==
                std::end(kLanguages))
                lang = "fr";
            admins.emplace_back(a, lang);
        }
    });
    if (!due) return 0;
    // The month's figures and the previous month's, as the statistics page computes them
    // (the whole organisation, every filter open).
    stats::Filter f, prev;
    f.period = month;
    prev.period = before;
    auto r = stats::report(db_, org.id, f, false);
    auto p = stats::report(db_, org.id, prev, false);
    if (!r || !p) return 0;
    std::vector<store::OutboxMessage> messages;
    for (auto& [account, lang] : admins) {
        const auto& months = i18n_.catalogue(lang).at("date").at("months");
        auto parts = core::day_parts(month.first);
        nlohmann::json heads = nlohmann::json::array();
        for (auto& h : stats::headlines(r->current, p->current, lang, i18n_.t(lang, "stats.days")))
            heads.push_back({{"label", i18n_.t(lang, "stats.figure." + h.key)},
                             {"value", h.value},
                             {"previous", h.previous},
                             {"change", h.change}});
        nlohmann::json payload = {
            {"account_id", account.id},
            {"lang", lang},
            {"month", key},
            {"month_label", months.at(std::size_t(parts.month - 1)).get<std::string>() + " " +
                                std::to_string(parts.year)},
            {"from", core::format_ymd(month.first)},
            {"to", core::format_ymd(month.last)},
            {"headlines", heads}};
        messages.push_back({org.id, std::nullopt,
                            "stats_digest:" + std::to_string(org.id) + ":" + key + ":" +
                                std::to_string(account.id),
                            "stats_digest", "email", payload.dump(), now});
    }
    int queued = 0;
    db_.write([&](store::Session& s) {
        queued = 0;
        if (!s.claim_digest(org.id, key)) return;  // another server queued it meanwhile
        for (auto& m : messages) s.enqueue(m);
        queued = int(messages.size());
    });
    return queued;
}

}  // namespace vg::app

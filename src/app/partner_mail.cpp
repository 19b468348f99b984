// The daily e-mails about a partner's live convention: see partner_mail.hpp.
#include "app/partner_mail.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/timefmt.hpp"

namespace vg::app {

namespace {

const char* const kLanguages[] = {"fr", "en", "nl", "de"};

std::string known_language(const std::string& lang) {
    return std::find(std::begin(kLanguages), std::end(kLanguages), lang) == std::end(kLanguages)
               ? "fr"
               : lang;
}

}  // namespace

std::string first_language(const store::Organisation& org) {
    return known_language(org.languages.empty() ? "fr" : org.languages[0]);
}

std::vector<Recipient> partner_managers(store::Session& s, const store::Organisation& org) {
    std::vector<Recipient> out;
    auto first = first_language(org);
    for (auto& a : s.accounts(org.id)) {
        if (a.disabled_at || a.email.empty()) continue;
        auto ms = s.memberships(a.id);
        if (std::none_of(ms.begin(), ms.end(),
                         [&](auto& m) { return m.organisation_id == org.id && m.role == "admin"; }))
            continue;
        out.emplace_back(a, known_language(a.language.value_or(first)));
    }
    return out;
}

std::vector<Recipient> partner_staff_recipients(store::Session& s, const store::Organisation& org,
                                                store::Id partner_id) {
    std::vector<Recipient> out;
    auto first = first_language(org);
    for (auto& p : s.partner_staff(org.id, partner_id)) {
        auto a = s.account_by_id(p.account.id);
        if (!a || a->disabled_at || a->email.empty()) continue;
        out.emplace_back(*a, known_language(a->language.value_or(first)));
    }
    return out;
}

int queue_partner_mails(
    store::Store& db, core::Instant now,
    const std::function<std::optional<PartnerMails>(store::Session&, const LiveConvention&)>& due) {
    std::vector<store::Convention> live;
    db.read([&](store::Session& s) { live = s.live_conventions(); });
    int queued = 0;
    for (auto& c : live) {
        std::optional<store::Organisation> org;
        std::optional<PartnerMails> owed;
        db.read([&](store::Session& s) {
            org = s.organisation_by_id(c.organisation_id);
            auto partner = s.partner(c.organisation_id, c.partner_id);
            if (!org || !partner) return;
            auto today = core::local_day_of(now, core::zone_or_default(org->default_time_zone));
            if (today < c.signed_on) return;
            owed = due(s, LiveConvention{c, *org, *partner, today});
        });
        if (!owed) continue;
        std::vector<store::OutboxMessage> messages;
        for (auto& m : owed->mails) {
            auto payload = owed->ids;
            payload["to"] = m.to;
            payload["to_name"] = m.to_name;
            payload["lang"] = m.lang;
            payload["subject"] = m.subject;
            payload["intro"] = m.intro;
            payload["after"] = m.after;
            payload["link"] = m.link;
            messages.push_back(store::OutboxMessage{org->id, std::nullopt, owed->key + m.who,
                                                    owed->kind, "email", payload.dump(), now});
        }
        int n = 0;
        db.write([&](store::Session& s) {
            n = 0;
            if (!owed->claim(s)) return;  // queued already
            for (auto& m : messages) s.enqueue(m);
            n = int(messages.size());
        });
        queued += n;
    }
    return queued;
}

int PartnerMailJob::report_queued(int queued, const char* what) const {
    if (queued > 0) {
        spdlog::info("partners: {} {} queued", queued, what);
        if (queued_) queued_();
    }
    return queued;
}

}  // namespace vg::app

#include "app/convention_reminders.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/convention.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

namespace {

const char* const kLanguages[] = {"fr", "en", "nl", "de"};

std::string known_language(const std::string& lang) {
    return std::find(std::begin(kLanguages), std::end(kLanguages), lang) == std::end(kLanguages)
               ? "fr"
               : lang;
}

}  // namespace

std::vector<std::pair<store::Account, std::string>> partner_managers(
    store::Session& s, const store::Organisation& org) {
    std::vector<std::pair<store::Account, std::string>> out;
    auto first = known_language(org.languages.empty() ? "fr" : org.languages[0]);
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

int ConventionReminders::queue_due() {
    auto now = clock_.now();
    std::vector<store::Convention> live;
    db_.read([&](store::Session& s) { live = s.live_conventions(); });
    int queued = 0;
    for (auto& c : live) {
        std::optional<store::Organisation> org;
        std::optional<store::Partner> partner;
        std::vector<std::pair<store::Account, std::string>> admins;  // with their language
        db_.read([&](store::Session& s) {
            org = s.organisation_by_id(c.organisation_id);
            partner = s.partner(c.organisation_id, c.partner_id);
            if (org) admins = partner_managers(s, *org);
        });
        if (!org || !partner) continue;
        auto today = core::local_day_of(now, core::zone_or_default(org->default_time_zone));
        if (today < c.signed_on) continue;
        auto term = core::term_in_notice_window(c.signed_on, c.term_months, today);
        if (!term) continue;
        auto key_base =
            "partner_notice:" + std::to_string(c.id) + ":" + core::format_ymd(term->renewal) + ":";
        auto message = [&](const std::string& lang, const std::string& to,
                           const std::string& to_name, const std::string& link,
                           const std::string& who) {
            auto fill = [&](std::string text) {
                text = text::I18n::fill(text, "{partner}", partner->name);
                text = text::I18n::fill(text, "{organisation}", org->name);
                text = text::I18n::fill(text, "{term_end}",
                                        i18n_.format_date(lang, core::day_parts(term->last_day)));
                return text::I18n::fill(
                    text, "{deadline}",
                    i18n_.format_date(lang, core::day_parts(term->notice_deadline)));
            };
            nlohmann::json payload = {
                {"convention_id", c.id},
                {"to", to},
                {"to_name", to_name},
                {"lang", lang},
                {"subject", fill(i18n_.t(lang, "partners_admin.notice_subject"))},
                {"intro", fill(i18n_.t(lang, "partners_admin.notice_intro"))},
                {"after", i18n_.t(lang, "partners_admin.notice_after")},
                {"link", link}};
            return store::OutboxMessage{
                org->id,        std::nullopt, key_base + who, "partner_notice", "email",
                payload.dump(), now};
        };
        std::vector<store::OutboxMessage> messages;
        for (auto& [a, lang] : admins)
            messages.push_back(
                message(lang, a.email, a.display_name,
                        public_url_ + "/console/admin/partners/" + std::to_string(partner->id),
                        "account:" + std::to_string(a.id)));
        auto to = !c.responsible_email.empty() ? c.responsible_email : partner->responsible_email;
        auto to_name =
            !c.responsible_email.empty() ? c.responsible_name : partner->responsible_name;
        if (!to.empty()) {
            auto lang = known_language(org->languages.empty() ? "fr" : org->languages[0]);
            messages.push_back(message(lang, to, to_name, public_url_ + "/partner/", "partner"));
        }
        int n = 0;
        db_.write([&](store::Session& s) {
            n = 0;
            if (!s.claim_convention_reminder(c.id, term->renewal)) return;  // queued already
            for (auto& m : messages) s.enqueue(m);
            n = int(messages.size());
        });
        queued += n;
    }
    if (queued > 0) {
        spdlog::info("partners: {} convention notice reminders queued", queued);
        if (queued_) queued_();
    }
    return queued;
}

}  // namespace vg::app

#include "app/convention_reminders.hpp"

#include "core/convention.hpp"
#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::app {

int ConventionReminders::queue_due() {
    int queued = queue_partner_mails(
        db_, clock_.now(),
        [&](store::Session& s, const LiveConvention& v) -> std::optional<PartnerMails> {
            auto& c = v.convention;
            auto term = core::term_in_notice_window(c.signed_on, c.term_months, v.today);
            if (!term) return std::nullopt;
            PartnerMails out;
            out.kind = "partner_notice";
            out.key = "partner_notice:" + std::to_string(c.id) + ":" +
                      core::format_ymd(term->renewal) + ":";
            out.ids = {{"convention_id", c.id}};
            out.claim = [id = c.id, renewal = term->renewal](store::Session& w) {
                return w.claim_convention_reminder(id, renewal);
            };
            auto mail = [&](const std::string& lang, const std::string& to,
                            const std::string& to_name, const std::string& link,
                            const std::string& who) {
                auto fill = [&](std::string text) {
                    text = text::I18n::fill(text, "{partner}", v.partner.name);
                    text = text::I18n::fill(text, "{organisation}", v.org.name);
                    text =
                        text::I18n::fill(text, "{term_end}",
                                         i18n_.format_date(lang, core::day_parts(term->last_day)));
                    return text::I18n::fill(
                        text, "{deadline}",
                        i18n_.format_date(lang, core::day_parts(term->notice_deadline)));
                };
                out.mails.push_back({to, to_name, lang,
                                     fill(i18n_.t(lang, "partners_admin.notice_subject")),
                                     fill(i18n_.t(lang, "partners_admin.notice_intro")),
                                     i18n_.t(lang, "partners_admin.notice_after"), link, who});
            };
            for (auto& [a, lang] : partner_managers(s, v.org))
                mail(lang, a.email, a.display_name,
                     public_url_ + "/console/admin/partners/" + std::to_string(v.partner.id),
                     "account:" + std::to_string(a.id));
            auto to =
                !c.responsible_email.empty() ? c.responsible_email : v.partner.responsible_email;
            auto to_name =
                !c.responsible_email.empty() ? c.responsible_name : v.partner.responsible_name;
            if (!to.empty())
                mail(first_language(v.org), to, to_name, public_url_ + "/partner/", "partner");
            return out;
        });
    return report_queued(queued, "convention notice reminders");
}

}  // namespace vg::app
